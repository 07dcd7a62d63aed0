import { parseSipSecurityEvent, pruneSipFailureLog, recordSipSecurityEvent, SipFailureLog, SipSecurityEvent } from './sip-ban.util';

// Lines as Asterisk 22.10.1's res_security_log writes them (copied from a real security log).
const LINES = {
  challengeFailed:
    '[2026-12-03 11:37:02.757] SECURITY[16253] res_security_log.c: SecurityEvent="ChallengeResponseFailed",EventTV="2026-12-03T11:37:02.757+0000",Severity="Error",Service="PJSIP",EventVersion="1",AccountID="agent100001",SessionID="55d04029-ab43",LocalAddress="IPV4/UDP/127.0.0.1/26560",RemoteAddress="IPV4/UDP/127.0.0.3/49609",Challenge="1796297822/72fd",Response="1cd8",ExpectedResponse=""',
  invalidAccount:
    '[2026-12-03 11:37:03.257] SECURITY[16253] res_security_log.c: SecurityEvent="InvalidAccountID",EventTV="2026-12-03T11:37:03.257+0000",Severity="Error",Service="PJSIP",EventVersion="1",AccountID="nobody999",SessionID="2d592d1c",LocalAddress="IPV4/UDP/127.0.0.1/26560",RemoteAddress="IPV4/UDP/127.0.0.3/40239"',
  ipv6: '[x] SECURITY[1] res_security_log.c: SecurityEvent="InvalidPassword",AccountID="agent1",SessionID="s6",LocalAddress="IPV6/UDP/::1/5060",RemoteAddress="IPV6/UDP/2001:db8::7/5062"',
  banner: '[2026-12-03 11:36:35.089] Asterisk 22.10.1+dfsg built by nobody @ buildd.debian.org',
};

describe('parseSipSecurityEvent', () => {
  it.each([
    ['a wrong digest answer', LINES.challengeFailed, { event: 'ChallengeResponseFailed', address: '127.0.0.3', sessionId: '55d04029-ab43', accountId: 'agent100001' }],
    ['an unknown user', LINES.invalidAccount, { event: 'InvalidAccountID', address: '127.0.0.3', sessionId: '2d592d1c', accountId: 'nobody999' }],
    ['an IPv6 peer', LINES.ipv6, { event: 'InvalidPassword', address: '2001:db8::7', sessionId: 's6', accountId: 'agent1' }],
    ['the start banner', LINES.banner, null],
    ['an event without a remote address', 'SecurityEvent="LoadAverageLimit",Service="PJSIP"', null],
    ['a malformed remote address', 'SecurityEvent="InvalidPassword",RemoteAddress="garbage"', null],
  ])('%s', (_name, line, expected) => {
    expect(parseSipSecurityEvent(line)).toEqual(expected);
  });
});

describe('recordSipSecurityEvent', () => {
  const policy = { maxFailures: 3, findSeconds: 60 };
  const ev = (sessionId: string, event = 'ChallengeResponseFailed', address = '10.0.0.9'): SipSecurityEvent => ({ event, address, sessionId, accountId: 'x' });

  function run(events: [SipSecurityEvent, number][]) {
    let log: SipFailureLog = new Map();
    const bans: { address: string; failures: number; at: number; accounts?: string[] }[] = [];
    for (const [event, at] of events) {
      const out = recordSipSecurityEvent(log, event, at, policy);
      log = out.log;
      if (out.ban) bans.push({ address: out.ban.address, failures: out.ban.failures, at });
    }
    return { log, bans };
  }

  it.each<[string, [SipSecurityEvent, number][], { address: string; failures: number; at: number }[]]>([
    ['bans on the maxFailures-th failed request', [[ev('a'), 0], [ev('b'), 1000], [ev('c'), 2000]], [{ address: '10.0.0.9', failures: 3, at: 2000 }]],
    ['counts one request once, however many events it logs', [[ev('a', 'InvalidAccountID'), 0], [ev('a', 'InvalidAccountID'), 1], [ev('a'), 2], [ev('b'), 3]], []],
    ['ignores challenges and successes', [[ev('a', 'ChallengeSent'), 0], [ev('b', 'SuccessfulAuth'), 1], [ev('c', 'ChallengeSent'), 2]], []],
    ['does not count a FailedACL (a banned address refused again, or one contact too many)', [[ev('a', 'FailedACL'), 0], [ev('b', 'FailedACL'), 1], [ev('c', 'FailedACL'), 2]], []],
    ['forgets failures older than findSeconds', [[ev('a'), 0], [ev('b'), 1000], [ev('c'), 61_000]], []],
    ['counts addresses apart', [[ev('a', 'InvalidPassword', '10.0.0.1'), 0], [ev('b', 'InvalidPassword', '10.0.0.2'), 1], [ev('c', 'InvalidPassword', '10.0.0.1'), 2]], []],
    [
      'starts the address afresh after a ban',
      [[ev('a'), 0], [ev('b'), 1], [ev('c'), 2], [ev('d'), 3], [ev('e'), 4], [ev('f'), 5]],
      [
        { address: '10.0.0.9', failures: 3, at: 2 },
        { address: '10.0.0.9', failures: 3, at: 5 },
      ],
    ],
  ])('%s', (_name, events, expected) => {
    expect(run(events).bans).toEqual(expected);
  });

  it('names the user names tried, each once', () => {
    const tried = (sessionId: string, accountId: string): SipSecurityEvent => ({ event: 'InvalidAccountID', address: '10.0.0.9', sessionId, accountId });
    const first = recordSipSecurityEvent(new Map(), tried('a', 'admin'), 0, policy);
    const second = recordSipSecurityEvent(first.log, tried('b', 'admin'), 1, policy);
    expect(recordSipSecurityEvent(second.log, tried('c', '100'), 2, policy).ban).toEqual({ address: '10.0.0.9', failures: 3, accounts: ['admin', '100'] });
  });

  it('prunes addresses with nothing recent', () => {
    const { log } = run([[ev('a', 'InvalidPassword', '10.0.0.1'), 0], [ev('b', 'InvalidPassword', '10.0.0.2'), 50_000]]);
    expect([...pruneSipFailureLog(log, 70_000, policy).keys()]).toEqual(['10.0.0.2']);
  });
});
