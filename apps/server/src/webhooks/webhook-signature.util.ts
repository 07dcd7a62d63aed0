import { createHmac, timingSafeEqual } from 'node:crypto';

// How a delivery is signed, and how a receiver checks it (docs/webhooks.md "Verifying a
// delivery"): HMAC-SHA256 with the subscription's secret over "<timestamp>.<body>", where the
// timestamp is the attempt's Unix time in seconds, sent in Leadline-Timestamp. The signature
// header lists one `v1=<hex>` per secret in use (two for a while after a rotation).

export const SIGNATURE_HEADER = 'leadline-signature';
export const TIMESTAMP_HEADER = 'leadline-timestamp';
/** How far a receiver should accept a timestamp from its own clock (either way). */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The Leadline-Signature value: `v1=<hex>` per secret, comma-separated. */
export function webhookSignatureHeader(secrets: string[], timestamp: number, body: string): string {
  return secrets.map((s) => `v1=${webhookSignature(s, timestamp, body)}`).join(',');
}

export type SignatureProblem = 'missing' | 'stale' | 'mismatch';

/**
 * A receiver's check: null when one of the header's v1 signatures matches the body under
 * `secret` and the timestamp is within `toleranceSeconds` of `now` (replayed old deliveries and
 * forged ones are refused). Compares in constant time.
 */
export function webhookSignatureProblem(input: { secret: string; header: string | undefined; timestamp: string | undefined; body: string; now: Date; toleranceSeconds?: number }): SignatureProblem | null {
  const { secret, header, timestamp, body, now } = input;
  if (!header || !timestamp || !/^\d{1,12}$/.test(timestamp)) return 'missing';
  const t = Number(timestamp);
  if (Math.abs(now.getTime() / 1000 - t) > (input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) return 'stale';
  const expected = Buffer.from(webhookSignature(secret, t, body), 'hex');
  const given = header
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1='))
    .map((part) => Buffer.from(part.slice(3), 'hex'));
  return given.some((g) => g.length === expected.length && timingSafeEqual(g, expected)) ? null : 'mismatch';
}
