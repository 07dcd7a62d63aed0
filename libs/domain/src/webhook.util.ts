// Webhooks (docs/webhooks.md): what may be subscribed to, where deliveries may go, and when a
// failed delivery is tried again or given up. Pure rules: no clock (`now` is passed in), no
// randomness of its own (`random` is passed in), no I/O.

/** The events a subscription may ask for, in the order the dashboard lists them. */
export const WEBHOOK_EVENT_TYPES = ['lead.accepted', 'lead.assigned', 'lead.exception', 'call.ended', 'dial_mode.result', 'inbound.missed'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent only by "Send test" to the one subscription it was pressed for; never subscribed to. */
export const WEBHOOK_TEST_EVENT = 'webhook.test';

/** The payload version of every event type today (docs/webhooks.md: what changes it). */
export const WEBHOOK_PAYLOAD_VERSION = 1;

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'dead'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** Limits of a subscription's own settings. */
export const WEBHOOK_LIMITS = {
  urlMaxLength: 2000,
  maxConcurrency: { min: 1, max: 16, default: 4 },
  timeoutSeconds: { min: 1, max: 30, default: 10 },
} as const;

/**
 * Why a subscription URL is refused, or null when it is fine. Production (NODE_ENV=production)
 * requires https and refuses the machine itself and link-local hosts by name or literal address
 * (requests to Leadline's own loopback services, or to a cloud metadata address, are never what
 * an admin means); private LAN addresses are allowed, as on-prem CRMs live there. Credentials in
 * the URL are refused everywhere: they would show in the dashboard and the logs, and the
 * signature is how a receiver knows the sender.
 */
export function webhookUrlProblem(raw: string, opts: { production: boolean }): string | null {
  if (raw.length > WEBHOOK_LIMITS.urlMaxLength) return `must be at most ${WEBHOOK_LIMITS.urlMaxLength} characters`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL (https://crm.example.com/hooks/leadline)';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http:// or https:// URL';
  if (opts.production && url.protocol !== 'https:') return 'must use https (NODE_ENV=production)';
  if (url.username || url.password) return 'must not carry a user name or password; receivers verify the signature instead';
  if (url.hash) return 'must not have a #fragment';
  if (opts.production && isForbiddenWebhookHost(url.hostname)) return 'must not point at this machine or a link-local address (NODE_ENV=production)';
  return null;
}

/**
 * Hosts a production server never delivers to: localhost names and loopback, link-local and
 * unspecified addresses (IPv4, IPv6, and IPv4-mapped IPv6). Used on the URL's host and again on
 * every address its name resolves to when a delivery is sent.
 */
export function isForbiddenWebhookHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  const v4 = ipv4Of(h);
  if (v4) return isForbiddenIpv4(v4);
  if (!h.includes(':')) return false;
  if (h === '::' || h === '::1') return true;
  if (/^fe[89ab][0-9a-f]?:/.test(h)) return true; // fe80::/10 link-local
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  if (mapped) {
    const inner = ipv4Of(mapped[1]);
    return inner ? isForbiddenIpv4(inner) : false;
  }
  return false;
}

function ipv4Of(h: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? parts : null;
}

function isForbiddenIpv4([a, b]: number[]): boolean {
  return a === 127 || a === 0 || (a === 169 && b === 254);
}

/** How retries are spaced: doubling from `baseMs`, each delay at most `maxDelayMs`, for at most `windowMs`. */
export interface WebhookRetryPolicy {
  baseMs: number;
  maxDelayMs: number;
  /** From the moment the delivery was queued (or replayed): after this it is dead-lettered. */
  windowMs: number;
}

export type WebhookRetryDecision = { kind: 'retry'; at: Date } | { kind: 'dead' };

/**
 * What happens after failed attempt number `attempts` (1 = the first attempt failed): the next
 * attempt after an exponential delay with jitter — base × 2^(attempts-1), capped, then drawn
 * uniformly from its upper half so that many deliveries failing together do not come back
 * together — or, when that would fall after the retry window, dead-lettered.
 * `random` is in [0, 1).
 */
export function nextWebhookAttempt(input: { attempts: number; queuedAt: Date; now: Date; random: number; policy: WebhookRetryPolicy }): WebhookRetryDecision {
  const { attempts, queuedAt, now, random, policy } = input;
  const exponent = Math.min(Math.max(attempts, 1) - 1, 40);
  const full = Math.min(policy.maxDelayMs, policy.baseMs * 2 ** exponent);
  const delay = Math.round(full / 2 + (full / 2) * Math.min(Math.max(random, 0), 1));
  const at = new Date(now.getTime() + delay);
  if (at.getTime() > queuedAt.getTime() + policy.windowMs) return { kind: 'dead' };
  return { kind: 'retry', at };
}
