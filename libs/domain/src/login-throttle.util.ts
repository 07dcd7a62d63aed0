/**
 * How failed logins are slowed down (docs/security.md). Two budgets, checked before the password
 * is hashed (so a refused try costs nothing):
 * - per account: a few free failures, then each further try must wait twice as long as the last
 *   (capped at maxDelaySeconds, so an outsider can hold an account for a minute at most, and only
 *   while spending their own address's budget); addresses that logged in to the account before are
 *   not held by it (the owner's own desk keeps working while someone else guesses);
 * - per source address, across accounts: password spraying (one guess at many emails) is cut off
 *   after addressMaxFailures failures in addressWindowSeconds.
 * A success clears the account's failures. No I/O, no clock: `now` is epoch milliseconds.
 */
export interface LoginThrottlePolicy {
  accountFreeFailures: number;
  accountMaxDelaySeconds: number;
  addressMaxFailures: number;
  addressWindowSeconds: number;
  /** How long an address that logged in stays trusted by its account. */
  knownAddressDays: number;
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottlePolicy = {
  accountFreeFailures: 5,
  accountMaxDelaySeconds: 60,
  addressMaxFailures: 20,
  addressWindowSeconds: 900,
  knownAddressDays: 30,
};

interface AccountRecord {
  failures: number;
  lastFailureAt: number;
  /** Addresses that logged in to the account, with when they last did. */
  known: ReadonlyMap<string, number>;
}

export interface LoginThrottleState {
  accounts: ReadonlyMap<string, AccountRecord>;
  /** Failure times per source address, oldest first. */
  addresses: ReadonlyMap<string, readonly number[]>;
}

export const EMPTY_LOGIN_THROTTLE: LoginThrottleState = { accounts: new Map(), addresses: new Map() };

export interface LoginAttempt {
  /** Lower-cased email. */
  account: string;
  address: string;
  now: number;
}

export type LoginVerdict = { allowed: true } | { allowed: false; scope: 'account' | 'address'; retryAfterSeconds: number };

/** The wait the account imposes after `failures` failures: 0 for the free ones, then 1, 2, 4 … s, capped. */
export function accountDelaySeconds(failures: number, policy: LoginThrottlePolicy): number {
  if (failures < policy.accountFreeFailures) return 0;
  return Math.min(2 ** (failures - policy.accountFreeFailures), policy.accountMaxDelaySeconds);
}

export function checkLogin(state: LoginThrottleState, attempt: LoginAttempt, policy: LoginThrottlePolicy): LoginVerdict {
  const since = attempt.now - policy.addressWindowSeconds * 1000;
  const recent = (state.addresses.get(attempt.address) ?? []).filter((t) => t > since);
  if (recent.length >= policy.addressMaxFailures) {
    return { allowed: false, scope: 'address', retryAfterSeconds: Math.max(1, Math.ceil((recent[0] - since) / 1000)) };
  }
  const account = state.accounts.get(attempt.account);
  if (!account || isKnown(account, attempt, policy)) return { allowed: true };
  const waitUntil = account.lastFailureAt + accountDelaySeconds(account.failures, policy) * 1000;
  if (attempt.now < waitUntil) return { allowed: false, scope: 'account', retryAfterSeconds: Math.max(1, Math.ceil((waitUntil - attempt.now) / 1000)) };
  return { allowed: true };
}

/** Records the outcome of a login that was allowed and checked. */
export function recordLogin(state: LoginThrottleState, attempt: LoginAttempt & { ok: boolean }, policy: LoginThrottlePolicy): LoginThrottleState {
  const accounts = new Map(state.accounts);
  const account = state.accounts.get(attempt.account);
  if (attempt.ok) {
    const known = new Map(account?.known ?? []);
    known.set(attempt.address, attempt.now);
    accounts.set(attempt.account, { failures: 0, lastFailureAt: 0, known });
    return { ...state, accounts };
  }
  accounts.set(attempt.account, { failures: (account?.failures ?? 0) + 1, lastFailureAt: attempt.now, known: account?.known ?? new Map() });
  const addresses = new Map(state.addresses);
  const since = attempt.now - policy.addressWindowSeconds * 1000;
  addresses.set(attempt.address, [...(state.addresses.get(attempt.address) ?? []).filter((t) => t > since), attempt.now]);
  return { accounts, addresses };
}

/** Forgets what no longer matters (call it now and then, or the state grows with every guess). */
export function pruneLoginThrottle(state: LoginThrottleState, now: number, policy: LoginThrottlePolicy): LoginThrottleState {
  const since = now - policy.addressWindowSeconds * 1000;
  const knownSince = now - policy.knownAddressDays * 86_400_000;
  const addresses = new Map<string, readonly number[]>();
  for (const [address, times] of state.addresses) {
    const recent = times.filter((t) => t > since);
    if (recent.length) addresses.set(address, recent);
  }
  const accounts = new Map<string, AccountRecord>();
  for (const [name, account] of state.accounts) {
    const known = new Map([...account.known].filter(([, at]) => at > knownSince));
    // Failures stop mattering once the longest wait has passed since the last one.
    const failing = account.failures > 0 && account.lastFailureAt + policy.accountMaxDelaySeconds * 1000 > now;
    if (failing || known.size) accounts.set(name, { ...account, failures: failing ? account.failures : 0, known });
  }
  return { accounts, addresses };
}

function isKnown(account: AccountRecord, attempt: LoginAttempt, policy: LoginThrottlePolicy): boolean {
  const at = account.known.get(attempt.address);
  return at !== undefined && at > attempt.now - policy.knownAddressDays * 86_400_000;
}
