import { createHmac } from 'node:crypto';
import { webhookSignature, webhookSignatureHeader, webhookSignatureProblem } from './webhook-signature.util';

const SECRET = 'whsec_test_secret_0123456789';
const OLD = 'whsec_old_secret_9876543210';
const BODY = '{"id":"e1","type":"lead.accepted","version":1}';
const T = 1_765_000_000;
const at = (seconds: number) => new Date(seconds * 1000);

describe('webhookSignature', () => {
  it('is HMAC-SHA256 over "<timestamp>.<body>" in hex, as docs/webhooks.md tells receivers', () => {
    expect(webhookSignature(SECRET, T, BODY)).toBe(createHmac('sha256', SECRET).update(`${T}.${BODY}`).digest('hex'));
    expect(webhookSignature(SECRET, T, BODY)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('lists one v1 signature per secret', () => {
    expect(webhookSignatureHeader([SECRET, OLD], T, BODY)).toBe(`v1=${webhookSignature(SECRET, T, BODY)},v1=${webhookSignature(OLD, T, BODY)}`);
  });
});

describe('webhookSignatureProblem (the receiver side)', () => {
  const header = webhookSignatureHeader([SECRET], T, BODY);
  const rotating = webhookSignatureHeader([SECRET, OLD], T, BODY);
  it.each([
    ['a good signature', SECRET, header, String(T), BODY, T + 10, null],
    ['the old secret during a rotation', OLD, rotating, String(T), BODY, T, null],
    ['the new secret during a rotation', SECRET, rotating, String(T), BODY, T, null],
    ['spaces after the commas', SECRET, rotating.replace(',', ', '), String(T), BODY, T, null],
    ['a changed body', SECRET, header, String(T), BODY.replace('e1', 'e2'), T, 'mismatch'],
    ['another secret', 'whsec_other', header, String(T), BODY, T, 'mismatch'],
    ['a changed timestamp', SECRET, header, String(T + 1), BODY, T, 'mismatch'],
    ['older than the window (a replay)', SECRET, header, String(T), BODY, T + 301, 'stale'],
    ['from the future beyond the window', SECRET, header, String(T), BODY, T - 301, 'stale'],
    ['just inside the window', SECRET, header, String(T), BODY, T + 300, null],
    ['no header', SECRET, undefined, String(T), BODY, T, 'missing'],
    ['no timestamp', SECRET, header, undefined, BODY, T, 'missing'],
    ['a timestamp that is not a number', SECRET, header, '12a', BODY, T, 'missing'],
    ['a truncated signature', SECRET, header.slice(0, 20), String(T), BODY, T, 'mismatch'],
    ['another scheme only', SECRET, header.replace('v1=', 'v0='), String(T), BODY, T, 'mismatch'],
  ])('%s → %s', (_name, secret, h, timestamp, body, now, expected) => {
    expect(webhookSignatureProblem({ secret, header: h, timestamp, body, now: at(now) })).toBe(expected);
  });
});
