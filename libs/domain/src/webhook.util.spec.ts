import { isForbiddenWebhookHost, nextWebhookAttempt, WebhookRetryPolicy, webhookUrlProblem } from './webhook.util';

describe('webhookUrlProblem', () => {
  it.each([
    ['https://crm.example.com/hooks/leadline', false, null],
    ['https://crm.example.com/hooks/leadline', true, null],
    ['http://crm.example.com/hooks', false, null],
    ['http://crm.example.com/hooks', true, 'must use https (NODE_ENV=production)'],
    ['http://127.0.0.1:9000/in', false, null],
    ['https://10.0.4.20/los/webhook', true, null], // an on-prem LOS on the LAN
    ['https://192.168.1.5:8443/x', true, null],
    ['https://localhost/x', true, 'must not point at this machine or a link-local address (NODE_ENV=production)'],
    ['https://127.0.0.1/x', true, 'must not point at this machine or a link-local address (NODE_ENV=production)'],
    ['https://169.254.169.254/latest/meta-data', true, 'must not point at this machine or a link-local address (NODE_ENV=production)'],
    ['https://[::1]/x', true, 'must not point at this machine or a link-local address (NODE_ENV=production)'],
    ['https://user:pass@crm.example.com/x', false, 'must not carry a user name or password; receivers verify the signature instead'],
    ['https://crm.example.com/x#frag', false, 'must not have a #fragment'],
    ['ftp://crm.example.com/x', false, 'must be an http:// or https:// URL'],
    ['javascript:alert(1)', false, 'must be an http:// or https:// URL'],
    ['crm.example.com/hooks', false, 'must be an absolute URL (https://crm.example.com/hooks/leadline)'],
    ['', false, 'must be an absolute URL (https://crm.example.com/hooks/leadline)'],
    [`https://crm.example.com/${'a'.repeat(2000)}`, false, 'must be at most 2000 characters'],
  ])('%s (production %s) → %s', (url, production, expected) => {
    expect(webhookUrlProblem(url, { production })).toBe(expected);
  });
});

describe('isForbiddenWebhookHost', () => {
  it.each([
    ['localhost', true],
    ['LOCALHOST.', true],
    ['api.localhost', true],
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['0.0.0.0', true],
    ['169.254.169.254', true],
    ['::1', true],
    ['[::1]', true],
    ['::', true],
    ['fe80::1', true],
    ['febf::abcd', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:169.254.1.1', true],
    ['::ffff:10.0.0.1', false],
    ['10.0.0.1', false],
    ['172.16.5.4', false],
    ['192.168.0.10', false],
    ['8.8.8.8', false],
    ['2001:db8::1', false],
    ['fec0::1', false],
    ['crm.example.com', false],
    ['999.1.1.1', false], // not an address: a (strange) name, resolved and checked at send time
  ])('%s → %s', (host, expected) => {
    expect(isForbiddenWebhookHost(host)).toBe(expected);
  });
});

describe('nextWebhookAttempt', () => {
  const policy: WebhookRetryPolicy = { baseMs: 10_000, maxDelayMs: 3_600_000, windowMs: 24 * 3_600_000 };
  const queuedAt = new Date('2026-12-01T00:00:00Z');
  const at = (iso: string) => new Date(iso);

  it.each([
    // attempts, now, random → delay (ms) after now
    [1, '2026-12-01T00:00:00Z', 0, 5_000],
    [1, '2026-12-01T00:00:00Z', 0.999999, 10_000],
    [1, '2026-12-01T00:00:00Z', 0.5, 7_500],
    [2, '2026-12-01T00:00:10Z', 0, 10_000],
    [3, '2026-12-01T00:00:30Z', 1, 40_000],
    [10, '2026-12-01T02:00:00Z', 1, 3_600_000], // 10 s × 2^9 = 85 min, capped at an hour
    [10, '2026-12-01T02:00:00Z', 0, 1_800_000],
    [60, '2026-12-01T03:00:00Z', 0.5, 2_700_000], // huge exponents stay capped
    [0, '2026-12-01T00:00:00Z', 0, 5_000], // treated as the first
  ])('attempt %i failed at %s, random %d → next in %i ms', (attempts, now, random, delay) => {
    const decision = nextWebhookAttempt({ attempts, queuedAt, now: at(now), random, policy });
    expect(decision).toEqual({ kind: 'retry', at: new Date(at(now).getTime() + delay) });
  });

  it.each([
    ['the next attempt would fall after 24 h', '2026-12-01T23:30:01Z', 0, 'dead'],
    ['the next attempt falls at 24 h exactly', '2026-12-01T23:30:00Z', 0, 'retry'],
    ['already past the window', '2026-12-02T01:00:00Z', 0, 'dead'],
  ])('%s → %s', (_name, now, random, kind) => {
    // attempt 20: the delay is the one-hour cap, its lower half 30 min.
    expect(nextWebhookAttempt({ attempts: 20, queuedAt, now: at(now), random, policy }).kind).toBe(kind);
  });

  it('keeps retrying for the whole window with the defaults, then gives up (about 20 attempts in 24 h)', () => {
    let now = queuedAt;
    let attempts = 0;
    for (;;) {
      attempts++;
      const d = nextWebhookAttempt({ attempts, queuedAt, now, random: 0.5, policy });
      if (d.kind === 'dead') break;
      expect(d.at.getTime()).toBeGreaterThan(now.getTime());
      now = d.at;
    }
    expect(now.getTime() - queuedAt.getTime()).toBeGreaterThan(22 * 3_600_000);
    expect(attempts).toBeGreaterThanOrEqual(20);
    expect(attempts).toBeLessThanOrEqual(40);
  });
});
