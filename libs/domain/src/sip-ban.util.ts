/**
 * Brute-force protection for SIP: Asterisk's security log says who failed to authenticate, these
 * rules decide when an address has failed often enough to be banned. No I/O, no clock (`now` is
 * passed in).
 */

/** One line of Asterisk's security log (res_security_log), reduced to what the ban rules need. */
export interface SipSecurityEvent {
  /** e.g. ChallengeResponseFailed, InvalidAccountID, SuccessfulAuth. */
  event: string;
  /** The remote IP address (no port). */
  address: string;
  /** The SIP transaction's session: one failed REGISTER or INVITE logs several events under it. */
  sessionId: string;
  /** The user name the request claimed ("<unknown>" when none). */
  accountId: string;
}

/**
 * Events that mean "this request failed to prove who it is": an unknown user, a wrong digest
 * answer or password. A challenge (ChallengeSent) is not a failure: every phone gets one first.
 * FailedACL is not counted either: it is also what a phone hears when it registers one contact
 * too many, and a banned address's own refusals must not extend its ban forever.
 */
export const SIP_FAILURE_EVENTS: readonly string[] = ['InvalidAccountID', 'ChallengeResponseFailed', 'InvalidPassword'];

const FIELD = /(\w+)="((?:[^"\\]|\\.)*)"/g;

/**
 * Parses one security log line, e.g.
 * `[2026-12-03 11:37:02.757] SECURITY[16253] res_security_log.c: SecurityEvent="ChallengeResponseFailed",…,RemoteAddress="IPV4/UDP/127.0.0.3/5060",…`
 * Null when the line is not a security event with a remote address.
 */
export function parseSipSecurityEvent(line: string): SipSecurityEvent | null {
  if (!line.includes('SecurityEvent="')) return null;
  const fields = new Map<string, string>();
  for (const m of line.matchAll(FIELD)) fields.set(m[1], m[2]);
  const event = fields.get('SecurityEvent');
  const remote = fields.get('RemoteAddress');
  if (!event || !remote) return null;
  // IPV4/UDP/127.0.0.3/5060 or IPV6/UDP/::1/5060: the address is everything between the second
  // and the last slash.
  const parts = remote.split('/');
  if (parts.length < 4) return null;
  const address = parts.slice(2, -1).join('/');
  if (!address) return null;
  return { event, address, sessionId: fields.get('SessionID') ?? '', accountId: fields.get('AccountID') ?? '' };
}

export interface SipBanPolicy {
  /** Failed requests from one address within `findSeconds` that earn a ban. */
  maxFailures: number;
  findSeconds: number;
}

/** One failed request: its session, when it was first seen, the user name it claimed. */
export interface SipFailure {
  sessionId: string;
  at: number;
  accountId: string;
}

/** Recent failures per address. */
export type SipFailureLog = ReadonlyMap<string, readonly SipFailure[]>;

export interface SipFailureOutcome {
  log: SipFailureLog;
  /** Set when this event pushed its address over the limit: ban it, with this many failures. */
  ban?: { address: string; failures: number; /** The distinct user names tried (at most 5). */ accounts: string[] };
}

/**
 * Counts one event. A failed request counts once however many failure events Asterisk logs for it
 * (an unknown user logs InvalidAccountID twice and ChallengeResponseFailed once). Failures older
 * than findSeconds drop out; reaching maxFailures asks for a ban and starts the address afresh.
 */
export function recordSipSecurityEvent(log: SipFailureLog, event: SipSecurityEvent, now: number, policy: SipBanPolicy): SipFailureOutcome {
  if (!SIP_FAILURE_EVENTS.includes(event.event)) return { log };
  const since = now - policy.findSeconds * 1000;
  const recent = (log.get(event.address) ?? []).filter((f) => f.at > since);
  if (event.sessionId && recent.some((f) => f.sessionId === event.sessionId)) return { log: withEntry(log, event.address, recent) };
  const failures = [...recent, { sessionId: event.sessionId, at: now, accountId: event.accountId }];
  if (failures.length >= policy.maxFailures) {
    const accounts = [...new Set(failures.map((f) => f.accountId).filter(Boolean))].slice(0, 5);
    return { log: withEntry(log, event.address, []), ban: { address: event.address, failures: failures.length, accounts } };
  }
  return { log: withEntry(log, event.address, failures) };
}

/** Drops addresses with no failure inside the window (call it now and then, or the log grows). */
export function pruneSipFailureLog(log: SipFailureLog, now: number, policy: SipBanPolicy): SipFailureLog {
  const since = now - policy.findSeconds * 1000;
  const next = new Map<string, readonly SipFailure[]>();
  for (const [address, failures] of log) {
    const recent = failures.filter((f) => f.at > since);
    if (recent.length) next.set(address, recent);
  }
  return next;
}

function withEntry(log: SipFailureLog, address: string, failures: readonly SipFailure[]): SipFailureLog {
  const next = new Map(log);
  if (failures.length) next.set(address, failures);
  else next.delete(address);
  return next;
}
