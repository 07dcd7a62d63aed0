// The SIP edge as an attacker on the office network sees it (real Asterisk 22, real SIPp on other
// loopback addresses): a spoofed trunk, an impersonated static-IP phone, user enumeration, and a
// REGISTER brute force that gets its address banned while the trunk and real phones carry on.
// The test trunk is 127.0.0.2 (IT_TRUNK_HOST); 127.0.0.3, .4 and .6 play attackers; 127.0.0.5
// is the "office phone subnet" (SIP_BAN_EXEMPT), never banned.
import * as path from 'node:path';
import { createUser, CreatedUser } from '../factories';
import { IT_DIR, IT_PORT_BASE, IT_PORTS, IT_TRUNK_HOST, itAsteriskOptions } from '../harness/it-env';
import { launchBrowser, newContext, screenshot, signIn } from '../harness/browser';
import { ADMIN, eventually, startServer, TestServer } from '../harness/server';
import { SipMessage, SIPP_SCENARIO_DIR, startSipp, stopAllSipp } from '../harness/sipp';

const TRACE_DIR = path.join(IT_DIR, 'sipp-sip-security');
const ASTERISK_SIP = `127.0.0.1:${IT_PORTS.sip}`;
const ATTACKER = '127.0.0.3';
const ATTACKER_2 = '127.0.0.4';
/** The brute-forcer: an address of its own, so the attacks above (which count too) don't add up. */
const BRUTE = '127.0.0.6';
const OFFICE = '127.0.0.5';
// This suite's SIPp ports: IT_PORT_BASE + 200..239.
const PORT = {
  staticPhone: IT_PORT_BASE + 200,
  attacker: IT_PORT_BASE + 201,
  trunk: IT_PORT_BASE + 202,
  phone: IT_PORT_BASE + 203,
  compare: IT_PORT_BASE + 204,
} as const;
const SECURITY_LOG = path.join(IT_DIR, 'asterisk', 'log', 'security');
const MAX_FAILURES = 5;

let runs = 0;

interface SippRun {
  code: number;
  /** Final (non-1xx) and provisional responses received, in order, retransmissions removed. */
  statuses: number[];
  messages: SipMessage[];
}

/** Runs a UAC scenario once from `ip`; resolves with its exit code and what it received. */
async function uac(scenario: string, ip: string, port: number, args: string[], vars: Record<string, string> = {}): Promise<SippRun> {
  const sipp = await startSipp({ scenario, ip, port, remote: ASTERISK_SIP, vars, traceDir: TRACE_DIR, name: `${scenario}-${++runs}`, extraArgs: ['-m', '1', '-timeout', '15s', ...args] });
  const code = await sipp.exited;
  const messages = await sipp.parsedMessages();
  const seen = new Set<string>();
  const statuses: number[] = [];
  for (const m of messages) {
    if (m.direction !== 'received' || m.status === undefined) continue;
    const key = `${m.status} ${m.headers.get('cseq')?.[0] ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    statuses.push(m.status);
  }
  return { code, statuses, messages };
}

const credentials = (user: string, password: string) => ['-s', user, '-au', user, '-ap', password];

/** What an observer can compare between two refusals: status lines and header names, challenge values masked. */
function shape(run: SippRun): string[] {
  return run.messages
    .filter((m) => m.direction === 'received')
    .map((m) => {
      const challenge = (m.headers.get('www-authenticate') ?? []).map((h) => h.replace(/(nonce|opaque)="[^"]*"/g, '$1="…"'));
      return `${m.startLine} | ${[...m.headers.keys()].filter((h) => !['call-id', 'from', 'to', 'via', 'cseq'].includes(h)).sort().join(',')} | ${challenge.join(';')}`;
    });
}

/** Straight to Asterisk's ARI with the test credentials. */
async function ari(method: string, route: string): Promise<{ status: number; body: any }> {
  const opts = itAsteriskOptions();
  const res = await fetch(`http://127.0.0.1:${opts.ariPort}/ari${route}`, {
    method,
    headers: { authorization: `Basic ${Buffer.from(`leadline:${opts.ariPassword}`).toString('base64')}` },
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body };
}

describe('the SIP edge, as an attacker sees it (real Asterisk 22 + SIPp)', () => {
  let server: TestServer;
  let admin: string;
  let deskPhone: CreatedUser;
  let deskPassword: string;
  let staticPhone: CreatedUser;

  beforeAll(async () => {
    server = await startServer({
      SIP_SECURITY_LOG: SECURITY_LOG,
      SIP_BAN_MAX_FAILURES: String(MAX_FAILURES),
      SIP_BAN_FIND_SECONDS: '120',
      SIP_BAN_SECONDS: '600',
      SIP_BAN_EXEMPT: `${OFFICE}/32`,
    });
    await server.ari.waitUntilUp(15_000);
    admin = await server.login();
    deskPhone = await createUser(server, admin, { workPhoneType: 'sip_desk' });
    deskPassword = deskPhone.sipAccount!.password!;
    staticPhone = await createUser(server, admin, { workPhoneType: 'static_ip', workPhone: `127.0.0.1:${PORT.staticPhone}` });
  });

  afterAll(async () => {
    await stopAllSipp();
    // Leave no ban behind in the shared Asterisk.
    for (const ban of ((await server.request('GET', '/api/sip-bans', { token: admin })).body as { address: string }[]) ?? []) {
      await server.request('DELETE', `/api/sip-bans/${ban.address}`, { token: admin });
    }
    await server.close();
  });

  it('an INVITE from another address claiming to be the trunk is refused and never becomes a call', async () => {
    const spoof = await uac('attacker-invite', ATTACKER, PORT.attacker, credentials('trunk', 'guess'), { dial: '5125550100', pai: '+15125550199' });
    expect(spoof.code).toBe(0);
    expect(spoof.statuses).toEqual([401, 401]);
    const channels = (await ari('GET', '/channels')).body as { caller: { number: string } }[];
    expect(channels.filter((c) => c.caller.number.includes('5125550199'))).toEqual([]);

    // The carrier itself, from the trunk's address, still gets in.
    const real = await uac('inbound-call', IT_TRUNK_HOST, PORT.trunk, ['-s', '5125550100'], { caller: '+15125550123', call_ms: '300' });
    expect(real.code).toBe(0);
  });

  it("a static-IP phone is recognised by its address only: its name from elsewhere is refused", async () => {
    const args = ['-s', staticPhone.sipUsername!, '-au', staticPhone.sipUsername!, '-ap', 'guess'];
    const elsewhere = await uac('attacker-invite', ATTACKER, PORT.attacker, args, { dial: '5125550100', pai: '+15125550199' });
    expect(elsewhere.code).toBe(0);
    expect(elsewhere.statuses).toEqual([401, 401]);
    // Same address, another port: not the phone either.
    const otherPort = await uac('attacker-invite', '127.0.0.1', PORT.compare, args, { dial: '5125550100', pai: '+15125550199' });
    expect(otherPort.statuses).toEqual([401, 401]);
  });

  it('an unknown user, a known user with a wrong password and a static-IP name get indistinguishable answers', async () => {
    // From the exempt office address, so these failures ban nobody.
    const register = (user: string) => uac('phone-register-refused', OFFICE, PORT.compare, credentials(user, 'wrong-password'));
    const unknown = await register('agent999999');
    const known = await register(deskPhone.sipUsername!);
    const staticName = await register(staticPhone.sipUsername!);
    expect(unknown.statuses).toEqual([401, 401]);
    expect(shape(known)).toEqual(shape(unknown));
    expect(shape(staticName)).toEqual(shape(unknown));

    const invite = (user: string) => uac('attacker-invite', OFFICE, PORT.compare, credentials(user, 'wrong-password'), { dial: '5125550100', pai: '+15125550199' });
    const unknownInvite = await invite('agent999999');
    expect(unknownInvite.statuses).toEqual([401, 401]);
    expect(shape(await invite(deskPhone.sipUsername!))).toEqual(shape(unknownInvite));
    expect(shape(await invite(staticPhone.sipUsername!))).toEqual(shape(unknownInvite));
  });

  it('a REGISTER brute force gets its address banned; real phones, the office subnet and the trunk carry on; an admin sees and lifts the ban', async () => {
    // The brute force: a known phone's name with wrong passwords, from the attacker's address.
    for (let i = 0; i < MAX_FAILURES; i++) {
      const run = await uac('phone-register-refused', BRUTE, PORT.attacker, credentials(deskPhone.sipUsername!, `guess-${i}`));
      expect(run.code).toBe(0);
    }
    const bans = await eventually(async () => {
      const list = (await server.request('GET', '/api/sip-bans', { token: admin })).body as { address: string; failures: number; accounts: string[] }[];
      return list.some((b) => b.address === BRUTE) ? list : null;
    }, 10_000);
    expect(bans.find((b) => b.address === BRUTE)).toMatchObject({ failures: MAX_FAILURES, accounts: [deskPhone.sipUsername] });

    // Banned: even the right password is refused now, before any challenge.
    const blocked = await uac('phone-register-refused', BRUTE, PORT.attacker, credentials(deskPhone.sipUsername!, deskPassword));
    expect(blocked.code).toBe(0);
    expect(blocked.statuses).toEqual([403]);
    // Another address is not affected: the real phone registers and rings.
    const phone = await startSipp({
      scenario: 'phone-register-answer',
      port: PORT.phone,
      remote: ASTERISK_SIP,
      traceDir: TRACE_DIR,
      name: `phone-register-answer-${++runs}`,
      extraArgs: ['-m', '1', ...credentials(deskPhone.sipUsername!, deskPassword), '-oocsf', path.join(SIPP_SCENARIO_DIR, 'borrower-answer.xml')],
    });
    await eventually(async () => (await phone.parsedMessages()).some((m) => m.direction === 'received' && m.status === 200 && /REGISTER/.test(m.headers.get('cseq')?.[0] ?? '')), 10_000);
    const call = await ari('POST', `/channels?endpoint=${encodeURIComponent(`PJSIP/${deskPhone.sipUsername}`)}&app=${server.config.ari.app}&timeout=10`);
    expect(call.status).toBe(200);
    await eventually(async () => (await phone.receivedInvites()).length > 0, 10_000);
    await ari('DELETE', `/channels/${call.body.id}`);
    await phone.stop();

    // The same failures from the trunk's address and the exempt office address ban neither.
    for (let i = 0; i < MAX_FAILURES + 1; i++) {
      await uac('phone-register-refused', IT_TRUNK_HOST, PORT.trunk, credentials(deskPhone.sipUsername!, `guess-${i}`));
      await uac('phone-register-refused', OFFICE, PORT.compare, credentials(deskPhone.sipUsername!, `guess-${i}`));
    }
    // Other attackers' failures are counted apart (ATTACKER failed twice above, ATTACKER_2 once).
    await uac('phone-register-refused', ATTACKER_2, PORT.attacker, credentials(deskPhone.sipUsername!, 'guess'));
    await new Promise((r) => setTimeout(r, 1500)); // the log reader polls every 500 ms
    const after = (await server.request('GET', '/api/sip-bans', { token: admin })).body as { address: string }[];
    expect(after.map((b) => b.address)).toEqual([BRUTE]);
    const inbound = await uac('inbound-call', IT_TRUNK_HOST, PORT.trunk, ['-s', '5125550100'], { caller: '+15125550123', call_ms: '300' });
    expect(inbound.code).toBe(0);

    // Only an admin may see or lift bans; a bad address is a 400.
    const agent = await createUser(server, admin, { role: 'manager' });
    const managerToken = await server.login(agent.email, agent.password);
    expect((await server.request('GET', '/api/sip-bans', { token: managerToken })).status).toBe(403);
    expect((await server.request('DELETE', `/api/sip-bans/${BRUTE}`, { token: managerToken })).status).toBe(403);
    expect((await server.request('DELETE', '/api/sip-bans/not-an-address', { token: admin })).status).toBe(400);
    expect((await server.request('DELETE', `/api/sip-bans/${ATTACKER_2}`, { token: admin })).status).toBe(404);

    // Lifted: the address registers again with the right password.
    expect((await server.request('DELETE', `/api/sip-bans/${BRUTE}`, { token: admin })).status).toBe(204);
    expect((await server.request('GET', '/api/sip-bans', { token: admin })).body).toEqual([]);
    const again = await uac('phone-register', BRUTE, PORT.attacker, credentials(deskPhone.sipUsername!, deskPassword));
    expect(again.code).toBe(0);
  });

  it('an admin sees a ban in the dashboard and lifts it there (Chromium)', async () => {
    for (let i = 0; i < MAX_FAILURES; i++) await uac('phone-register-refused', BRUTE, PORT.attacker, credentials(deskPhone.sipUsername!, `again-${i}`));
    await eventually(async () => ((await server.request('GET', '/api/sip-bans', { token: admin })).body as { address: string }[]).some((b) => b.address === BRUTE), 10_000);
    const browser = await launchBrowser();
    try {
      const page = await signIn(await newContext(browser), server.url, ADMIN.email, ADMIN.password);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'SIP bans', exact: true }).click();
      const row = page.getByRole('table', { name: 'SIP bans' }).getByRole('row').filter({ hasText: BRUTE });
      await row.waitFor();
      await expect(row.textContent()).resolves.toContain(deskPhone.sipUsername);
      await screenshot(page, 'admin-sip-bans');
      await row.getByRole('button', { name: `Lift the ban of ${BRUTE}` }).click();
      await page.getByRole('dialog', { name: 'Lift SIP ban' }).getByRole('button', { name: 'Lift ban' }).click();
      await page.getByText('No address is banned.').waitFor();
    } finally {
      await browser.close();
    }
    expect((await server.request('GET', '/api/sip-bans', { token: admin })).body).toEqual([]);
    const again = await uac('phone-register', BRUTE, PORT.attacker, credentials(deskPhone.sipUsername!, deskPassword));
    expect(again.code).toBe(0);
  });
});

describe('SIP bans end by themselves and survive Asterisk forgetting them', () => {
  const SHORT = '127.0.0.7';
  let first: TestServer;
  let second: TestServer | undefined;
  let admin: string;
  let phone: CreatedUser;

  beforeAll(async () => {
    const settings = { SIP_SECURITY_LOG: SECURITY_LOG, SIP_BAN_MAX_FAILURES: '3', SIP_BAN_SECONDS: '12' };
    first = await startServer(settings);
    await first.ari.waitUntilUp(15_000);
    admin = await first.login();
    phone = await createUser(first, admin, { workPhoneType: 'sip_desk' });
  });

  afterAll(async () => {
    await second?.close();
    await first.close();
  });

  it('re-applies live bans at every ARI link-up, lifts them when they expire, and never re-bans from old log lines', async () => {
    const password = phone.sipAccount!.password!;
    for (let i = 0; i < 3; i++) await uac('phone-register-refused', SHORT, PORT.attacker, credentials(phone.sipUsername!, `guess-${i}`));
    await eventually(async () => ((await first.request('GET', '/api/sip-bans', { token: admin })).body as { address: string }[]).some((b) => b.address === SHORT), 10_000);
    expect((await uac('phone-register-refused', SHORT, PORT.attacker, credentials(phone.sipUsername!, password))).statuses).toEqual([403]);

    // Asterisk forgets its memory objects when it restarts: drop the ACL behind the server's back.
    expect((await ari('DELETE', `/asterisk/config/dynamic/res_pjsip/acl/leadline-ban-${SHORT}`)).status).toBe(204);
    expect((await uac('phone-register', SHORT, PORT.attacker, credentials(phone.sipUsername!, password))).code).toBe(0);
    // A server coming up on the same database (as after a restart) sends the live ban again.
    second = await startServer({ SIP_SECURITY_LOG: SECURITY_LOG, SIP_BAN_MAX_FAILURES: '3', SIP_BAN_SECONDS: '12', LEADLINE_DATA_DIR: first.config.dataDir, DATABASE_URL: databaseUrlOf(first) });
    await second.ari.waitUntilUp(15_000);
    await eventually(async () => (await uac('phone-register-refused', SHORT, PORT.attacker, credentials(phone.sipUsername!, password))).statuses[0] === 403, 10_000, 500);

    // The ban ends by itself (12 s here) and the address registers again.
    await eventually(async () => ((await first.request('GET', '/api/sip-bans', { token: admin })).body as unknown[]).length === 0, 20_000, 500);
    await eventually(async () => (await uac('phone-register', SHORT, PORT.attacker, credentials(phone.sipUsername!, password))).code === 0, 10_000, 500);
    // The failures are still in Asterisk's log, read before the second server started: no new ban.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await second.request('GET', '/api/sip-bans', { token: await second.login() })).body).toEqual([]);
  }, 60_000);
});

/** The database a test server runs on, for a second server on the same one. */
function databaseUrlOf(server: TestServer): string {
  const db = server.config.database;
  return db.kind === 'sqlite' ? `sqlite:${db.path}` : db.url;
}
