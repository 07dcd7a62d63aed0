import { accountDelaySeconds, checkLogin, DEFAULT_LOGIN_THROTTLE, EMPTY_LOGIN_THROTTLE, LoginThrottleState, LoginVerdict, pruneLoginThrottle, recordLogin } from './login-throttle.util';

const policy = { ...DEFAULT_LOGIN_THROTTLE, accountFreeFailures: 3, accountMaxDelaySeconds: 8, addressMaxFailures: 5, addressWindowSeconds: 60 };

type Step = [account: string, address: string, atSeconds: number, ok: boolean];

/** Runs attempts in order; an attempt that is refused is not recorded (it never reached the password check). */
function run(steps: Step[], start: LoginThrottleState = EMPTY_LOGIN_THROTTLE): { verdicts: LoginVerdict[]; state: LoginThrottleState } {
  let state = start;
  const verdicts: LoginVerdict[] = [];
  for (const [account, address, at, ok] of steps) {
    const attempt = { account, address, now: at * 1000 };
    const verdict = checkLogin(state, attempt, policy);
    verdicts.push(verdict);
    if (verdict.allowed) state = recordLogin(state, { ...attempt, ok }, policy);
  }
  return { verdicts, state };
}

const ok: LoginVerdict = { allowed: true };
const heldBy = (scope: 'account' | 'address', retryAfterSeconds: number): LoginVerdict => ({ allowed: false, scope, retryAfterSeconds });

describe('DEFAULT_LOGIN_THROTTLE', () => {
  it('is what docs/security.md promises: 5 free failures, waits capped at 60 s, 20 failures per address in 15 min, known addresses for 30 days', () => {
    expect(DEFAULT_LOGIN_THROTTLE).toEqual({ accountFreeFailures: 5, accountMaxDelaySeconds: 60, addressMaxFailures: 20, addressWindowSeconds: 900, knownAddressDays: 30 });
    expect([5, 6, 7, 11, 12, 50].map((n) => accountDelaySeconds(n, DEFAULT_LOGIN_THROTTLE))).toEqual([1, 2, 4, 60, 60, 60]);
  });
});

describe('accountDelaySeconds', () => {
  it.each([
    [0, 0],
    [2, 0],
    [3, 1],
    [4, 2],
    [5, 4],
    [6, 8],
    [20, 8],
  ])('%i failures → %i s', (failures, delay) => {
    expect(accountDelaySeconds(failures, policy)).toBe(delay);
  });
});

describe('checkLogin / recordLogin', () => {
  it.each<[string, Step[], LoginVerdict[]]>([
    [
      'free failures, then a wait that doubles',
      // (from addresses of their own: one address alone would reach its own limit first)
      [['a', 'p', 0, false], ['a', 'q', 0, false], ['a', 'r', 0, false], ['a', 's', 0.5, false], ['a', 's', 1, false], ['a', 't', 2, false], ['a', 't', 3, false], ['a', 'u', 4, false]],
      [ok, ok, ok, heldBy('account', 1), ok, heldBy('account', 1), ok, heldBy('account', 3)],
    ],
    ['the account holds every new address alike', [['a', 'x', 0, false], ['a', 'y', 0, false], ['a', 'z', 0, false], ['a', 'w', 0, false]], [ok, ok, ok, heldBy('account', 1)]],
    [
      'an address that logged in before is not held by its account',
      [['a', 'home', 0, true], ['a', 'x', 1, false], ['a', 'x', 1, false], ['a', 'x', 1, false], ['a', 'x', 1, false], ['a', 'home', 1, true]],
      [ok, ok, ok, ok, heldBy('account', 1), ok],
    ],
    ['the wait is capped: an outsider cannot hold the account for long', [...Array.from({ length: 12 }, (_, i): Step => ['a', `x${i}`, i * 10, false]), ['a', 'y', 117, true], ['a', 'y', 118, true]], [...Array(12).fill(ok), heldBy('account', 1), ok]],
    ['a success clears the failures', [['a', 'x', 0, false], ['a', 'x', 0, false], ['a', 'x', 0, true], ['a', 'x', 0, false], ['a', 'x', 0, false]], [ok, ok, ok, ok, ok]],
    [
      'spraying one guess across many emails is cut off per address',
      [['a', 'x', 0, false], ['b', 'x', 1, false], ['c', 'x', 2, false], ['d', 'x', 3, false], ['e', 'x', 4, false], ['f', 'x', 5, false], ['f', 'y', 5, false], ['g', 'x', 61, false]],
      [ok, ok, ok, ok, ok, heldBy('address', 55), ok, ok],
    ],
    ["the address budget counts failures only: one address's successes never use it up", [...Array.from({ length: 8 }, (_, i): Step => [`u${i}`, 'office', i, true])], Array(8).fill(ok)],
  ])('%s', (_name, steps, expected) => {
    expect(run(steps).verdicts).toEqual(expected);
  });

  it('prunes what no longer matters', () => {
    const { state } = run([['a', 'home', 0, true], ['b', 'x', 0, false], ['c', 'x', 100, false]]);
    const pruned = pruneLoginThrottle(state, 105_000, policy);
    expect([...pruned.addresses.keys()]).toEqual(['x']);
    expect([...pruned.accounts.keys()].sort()).toEqual(['a', 'c']);
  });
});
