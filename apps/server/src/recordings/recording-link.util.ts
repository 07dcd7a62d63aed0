import { createHmac, timingSafeEqual } from 'node:crypto';

// Signed, expiring links to a call leg's recording (webhooks hand them to CRMs, which fetch the
// audio without a Leadline login): GET /api/recording-links/<callActivityId>?expires=<unix s>&signature=<hex>,
// the signature an HMAC-SHA256 over "<callActivityId>.<expires>" with a key only the server knows.

export function recordingLinkSignature(key: Buffer, callActivityId: string, expires: number): string {
  return createHmac('sha256', key).update(`${callActivityId}.${expires}`).digest('hex');
}

export function recordingLinkUrl(baseUrl: string, callActivityId: string, expires: number, key: Buffer): string {
  return `${baseUrl}/api/recording-links/${callActivityId}?expires=${expires}&signature=${recordingLinkSignature(key, callActivityId, expires)}`;
}

export type RecordingLinkProblem = 'malformed' | 'expired' | 'bad_signature';

/** Why a link is refused, or null when it is good at `now`. Compares in constant time. */
export function recordingLinkProblem(input: { key: Buffer; callActivityId: string; expires: unknown; signature: unknown; now: Date }): RecordingLinkProblem | null {
  const { key, callActivityId, expires, signature, now } = input;
  if (typeof expires !== 'string' || !/^\d{1,12}$/.test(expires) || typeof signature !== 'string' || !/^[0-9a-f]{64}$/.test(signature)) return 'malformed';
  const expected = Buffer.from(recordingLinkSignature(key, callActivityId, Number(expires)), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) return 'bad_signature';
  return Number(expires) * 1000 < now.getTime() ? 'expired' : null;
}
