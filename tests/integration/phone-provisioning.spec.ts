// Zero-touch desk-phone provisioning against the real server, a real SQLite/PostgreSQL database, the
// real Asterisk and SIPp phones: each vendor's files fetched as the phone fetches them (its
// User-Agent, its file names, the per-phone secret in the path), parsed (XML by Python's parser,
// Yealink key = value), and the account read out of them registered with a SIPp phone that then
// rings for a ring-all lead. Refusals: a wrong secret (401, logged), an address outside the phone
// subnet (401), an unknown MAC from the subnet (404, listed as waiting), the rate limit (429).
import { MikroORM } from '@mikro-orm/core';
import { execFileSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import * as path from 'node:path';
import { createUser, CreatedUser, loginAs } from '../factories';
import { IT_AMI_PORT, IT_DIR, IT_PORT_BASE, IT_PORTS, itAsteriskOptions } from '../harness/it-env';
import { launchBrowser, newContext, screenshot, signIn } from '../harness/browser';
import { ADMIN, eventually, startServer, TestServer } from '../harness/server';
import { SIPP_SCENARIO_DIR, SippHandle, startSipp, stopAllSipp } from '../harness/sipp';
import { aLead, postLead, RingAllSetup } from './ring-all.fixture';

// This suite's SIPp ports: IT_PORT_BASE + 980..989.
const PORTS = { register: IT_PORT_BASE + 981, phone: IT_PORT_BASE + 982, blf: IT_PORT_BASE + 983 } as const;
const TRACE_DIR = path.join(IT_DIR, 'sipp-phone-provisioning');
// Loopback addresses the test fetches from: 127.0.0.1 is outside the phone subnet, the others in it.
const SUBNET_PHONE = '127.0.0.4';
const SCANNER = '127.0.0.5';
const RATE_LIMIT = 40;

const UA = {
  yealink: (mac: string) => `Yealink SIP-T46S 66.86.0.15 ${mac.match(/../g)!.join(':')}`,
  poly: () => 'FileTransport PolycomVVX-VVX_450-UA/6.3.1.8427',
  grandstream: (mac: string) => `Grandstream Model HW GXP2170 SW 1.0.11.3 DevId ${mac}`,
};

/** GET as a phone does: plain HTTP from a chosen local address with the phone's User-Agent. */
function phoneGet(url: string, opts: { ua: string; from?: string }): Promise<{ status: number; body: string; contentType: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { localAddress: opts.from ?? '127.0.0.1', headers: { 'user-agent': opts.ua } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, contentType: String(res.headers['content-type'] ?? '') }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Parses XML with Python's own parser (throws on a file that is not well-formed): root tag, attributes, child elements' text. */
function parseXml(body: string): { tag: string; attributes: Record<string, string>; children: Record<string, string> } {
  const script = 'import sys, json, xml.etree.ElementTree as E\nr = E.fromstring(sys.stdin.read())\nkids = {}\nfor e in r.iter():\n    if e is not r and len(e) == 0: kids[e.tag] = e.text or ""\nprint(json.dumps({"tag": r.tag, "attributes": r.attrib, "children": kids}))';
  return JSON.parse(execFileSync('python3', ['-c', script], { input: body, encoding: 'utf8' }));
}

/** Yealink's key = value lines, after its mandatory version header. */
function parseYealink(body: string): Map<string, string> {
  const lines = body.split('\n');
  expect(lines[0]).toBe('#!version:1.0.0.1');
  const values = new Map<string, string>();
  for (const l of lines.slice(1)) {
    if (!l.trim() || l.startsWith('#')) continue;
    const m = /^([A-Za-z0-9_.]+) = (.*)$/.exec(l);
    if (!m) throw new Error(`not a key = value line: ${l}`);
    values.set(m[1], m[2]);
  }
  return values;
}

interface Account {
  server: string;
  port: number;
  username: string;
  authName: string;
  password: string;
  displayName: string;
}

/** Logs in to Asterisk's AMI from `from`; resolves with what Asterisk answered to the login (or why it could not). */
function amiLogin(username: string, secret: string, from: string): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const socket = connect({ host: '127.0.0.1', port: IT_AMI_PORT, localAddress: from });
    const done = (answer: string) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(5000, () => done(`timeout: ${text}`));
    socket.on('error', (err) => done(`error: ${err.message}`));
    socket.on('close', () => done(`closed: ${text}`));
    socket.on('data', (chunk) => {
      text += chunk.toString();
      if (/^Asterisk Call Manager/.test(text) && !text.includes('Action')) socket.write(`Action: Login\r\nUsername: ${username}\r\nSecret: ${secret}\r\nActionID: 1\r\n\r\n`);
      const m = /Response: (\w+)\r\n(?:[^\r]*\r\n)*?Message: ([^\r]*)/.exec(text);
      if (m) done(`${m[1]}: ${m[2]}`);
    });
  });
}

let runs = 0;
async function registers(a: Account): Promise<number> {
  const sipp = await startSipp({
    scenario: 'phone-register',
    port: PORTS.register,
    remote: `${a.server}:${a.port}`,
    traceDir: TRACE_DIR,
    name: `register-${++runs}`,
    extraArgs: ['-m', '1', '-s', a.username, '-au', a.authName, '-ap', a.password, '-timeout', '10s'],
  });
  return sipp.exited;
}

describe('zero-touch desk-phone provisioning (real Asterisk + SIPp)', () => {
  let server: TestServer;
  let admin: string;
  const macs = { yealink: '001565a1b2c3', poly: '0004f2a1b2c3', grandstream: '000b82a1b2c3' } as const;
  const users = {} as Record<keyof typeof macs, CreatedUser>;
  const urls = {} as Record<keyof typeof macs, string>;
  const phoneIds = {} as Record<keyof typeof macs, string>;

  const onServer = (url: string) => `${server.url}${new URL(url).pathname}`;

  /** What the Yealink's own file says of its account. */
  async function yealinkAccount(from?: string): Promise<Map<string, string>> {
    const res = await phoneGet(`${urls.yealink}${macs.yealink}.cfg`, { ua: UA.yealink(macs.yealink), from });
    expect(res.status).toBe(200);
    return parseYealink(res.body);
  }

  beforeAll(async () => {
    server = await startServer({ PROVISIONING_SUBNETS: `${SUBNET_PHONE}/32`, PROVISIONING_RATE_LIMIT: String(RATE_LIMIT), PROVISIONING_NTP_SERVER: 'ntp.office.test' });
    await server.ari.waitUntilUp(15_000);
    admin = await server.login();
    // The three vendors' users and phones, set up side by side.
    await Promise.all((Object.keys(macs) as (keyof typeof macs)[]).map(async (vendor) => {
      users[vendor] = await createUser(server, admin, { workPhoneType: 'sip_desk', name: `Desk ${vendor} <&"user">`, stateLicences: ['TX'] });
      const res = await server.request('POST', '/api/phones', { token: admin, body: { mac: macs[vendor].match(/../g)!.join(':').toUpperCase(), vendor, label: `${vendor} phone`, userId: users[vendor].id } });
      expect(res.status).toBe(201);
      // PUBLIC_BASE_URL + the phone's path (the test server listens on a port of its own)
      expect(res.body).toMatchObject({ mac: macs[vendor], vendor, user: { id: users[vendor].id }, provisioningUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:3000\/api\/provisioning\/[A-Za-z0-9_-]{43}\/$/) });
      urls[vendor] = onServer(res.body.provisioningUrl);
      phoneIds[vendor] = res.body.id;
    }));
  });

  afterAll(async () => {
    await stopAllSipp();
    await server?.close();
  });

  it('shows the provisioning URL once: the phone list carries no secret', async () => {
    const list = await server.request('GET', '/api/phones', { token: admin });
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(3);
    expect(JSON.stringify(list.body)).not.toContain('provisioning/');
    // and a second phone with the same MAC, or a malformed MAC, is refused without a trace
    expect((await server.request('POST', '/api/phones', { token: admin, body: { mac: macs.poly, vendor: 'poly' } })).status).toBe(409);
    const bad = await server.request('POST', '/api/phones', { token: admin, body: { mac: '00:15:65:zz:00:01', vendor: 'yealink' } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field: 'mac' }] });
    expect((await server.request('GET', '/api/phones', { token: admin })).body).toHaveLength(3);
    const agent = await loginAs(server, users.yealink);
    expect((await server.request('GET', '/api/phones', { token: agent })).status).toBe(403);
  });

  it('Yealink: y000000000000.cfg then <mac>.cfg hold the assigned user\'s account, which registers', async () => {
    const common = await phoneGet(`${urls.yealink}y000000000000.cfg`, { ua: UA.yealink(macs.yealink) });
    expect(common.status).toBe(200);
    expect(parseYealink(common.body).size).toBeGreaterThan(0);
    const res = await phoneGet(`${urls.yealink}${macs.yealink}.cfg`, { ua: UA.yealink(macs.yealink) });
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/^text\/plain/);
    const v = parseYealink(res.body);
    expect(v.get('account.1.enable')).toBe('1');
    expect(v.get('account.1.user_name')).toBe(users.yealink.sipUsername);
    expect(v.get('account.1.auth_name')).toBe(users.yealink.sipUsername);
    expect(v.get('account.1.display_name')).toBe(users.yealink.name);
    expect(v.get('account.1.label')).toBe(`${users.yealink.extension} ${users.yealink.name}`);
    expect(v.get('account.1.sip_server.1.address')).toBe('127.0.0.1');
    expect(v.get('account.1.sip_server.1.port')).toBe(String(IT_PORTS.sip));
    expect(v.get('local_time.ntp_server1')).toBe('ntp.office.test');
    // the org's default zone, America/New_York
    expect(v.get('local_time.time_zone')).toBe('-5');
    // the password shown once at creation is the one in the file
    expect(v.get('account.1.password')).toBe(users.yealink.sipAccount!.password);
    // the Message key dials the voicemail access number (desk-phone-voicemail.spec plays it)
    expect(v.get('voice_mail.number.1')).toBe('*97');
    const account = { server: v.get('account.1.sip_server.1.address')!, port: Number(v.get('account.1.sip_server.1.port')), username: v.get('account.1.user_name')!, authName: v.get('account.1.auth_name')!, password: v.get('account.1.password')!, displayName: v.get('account.1.display_name')! };
    expect(await registers(account)).toBe(0);
  });

  it('Poly: 000000000000.cfg names the phone\'s <mac>-leadline.cfg, whose account registers', async () => {
    const master = await phoneGet(`${urls.poly}000000000000.cfg`, { ua: UA.poly() });
    expect(master.status).toBe(200);
    const app = parseXml(master.body);
    expect(app.tag).toBe('APPLICATION');
    const file = app.attributes.CONFIG_FILES.replace('[PHONE_MAC_ADDRESS]', macs.poly);
    // the phone's own master file says the same
    const own = await phoneGet(`${urls.poly}${macs.poly}.cfg`, { ua: UA.poly() });
    expect(parseXml(own.body).attributes.CONFIG_FILES).toBe(app.attributes.CONFIG_FILES);

    const res = await phoneGet(`${urls.poly}${file}`, { ua: UA.poly() });
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/^application\/xml/);
    const cfg = parseXml(res.body);
    expect(cfg.tag).toBe('polycomConfig');
    expect(cfg.attributes).toMatchObject({
      'reg.1.address': users.poly.sipUsername,
      'reg.1.auth.userId': users.poly.sipUsername,
      'reg.1.auth.password': users.poly.sipAccount!.password,
      'reg.1.displayName': users.poly.name,
      'reg.1.server.1.address': '127.0.0.1',
      'reg.1.server.1.port': String(IT_PORTS.sip),
      'tcpIpApp.sntp.gmtOffset': '-18000',
      'msg.mwi.1.callBackMode': 'contact',
      'msg.mwi.1.callBack': '*97',
    });
    const a = cfg.attributes;
    expect(await registers({ server: a['reg.1.server.1.address'], port: Number(a['reg.1.server.1.port']), username: a['reg.1.address'], authName: a['reg.1.auth.userId'], password: a['reg.1.auth.password'], displayName: a['reg.1.displayName'] })).toBe(0);
  });

  it('Grandstream: cfg<mac>.xml holds the account as P-values, which registers', async () => {
    const res = await phoneGet(`${urls.grandstream}cfg${macs.grandstream}.xml`, { ua: UA.grandstream(macs.grandstream) });
    expect(res.status).toBe(200);
    const cfg = parseXml(res.body);
    expect(cfg.tag).toBe('gs_provision');
    const p = cfg.children;
    expect(p).toMatchObject({ mac: macs.grandstream, P271: '1', P35: users.grandstream.sipUsername, P36: users.grandstream.sipUsername, P34: users.grandstream.sipAccount!.password, P3: users.grandstream.name, P47: `127.0.0.1:${IT_PORTS.sip}`, P33: '*97' });
    const [host, port] = p.P47.split(':');
    expect(await registers({ server: host, port: Number(port), username: p.P35, authName: p.P36, password: p.P34, displayName: p.P3 })).toBe(0);
  });

  /** The SIP account a vendor's own file gives its phone, read as that phone reads it. */
  async function accountInFile(vendor: keyof typeof macs): Promise<Account> {
    if (vendor === 'yealink') {
      const v = await yealinkAccount();
      return { server: v.get('account.1.sip_server.1.address')!, port: Number(v.get('account.1.sip_server.1.port')), username: v.get('account.1.user_name')!, authName: v.get('account.1.auth_name')!, password: v.get('account.1.password')!, displayName: v.get('account.1.display_name')! };
    }
    if (vendor === 'poly') {
      const a = parseXml((await phoneGet(`${urls.poly}${macs.poly}-leadline.cfg`, { ua: UA.poly() })).body).attributes;
      return { server: a['reg.1.server.1.address'], port: Number(a['reg.1.server.1.port']), username: a['reg.1.address'], authName: a['reg.1.auth.userId'], password: a['reg.1.auth.password'], displayName: a['reg.1.displayName'] };
    }
    const p = parseXml((await phoneGet(`${urls.grandstream}cfg${macs.grandstream}.xml`, { ua: UA.grandstream(macs.grandstream) })).body).children;
    const [host, port] = p.P47.split(':');
    return { server: host, port: Number(port), username: p.P35, authName: p.P36, password: p.P34, displayName: p.P3 };
  }

  it.each(['yealink', 'poly', 'grandstream'] as const)('%s: a phone registered with the credentials read out of its file rings for a ring-all lead', async (vendor) => {
    const account = await accountInFile(vendor);
    const user = users[vendor];
    const token = await loginAs(server, user);
    await server.request('PATCH', '/api/me/session', { token, body: { loggedIn: true, callsOn: true } });
    const group = await server.request('POST', '/api/distribution-groups', { token: admin, body: { name: `provisioned ${vendor} phone`, memberIds: [user.id] } });
    const campaign = await server.request('POST', '/api/campaigns', { token: admin, body: { name: `provisioned ${vendor} ring all`, distributionType: 'ring_all', distributionGroupId: group.body.id, ringTimeoutSeconds: 8 } });
    expect(campaign.status).toBe(201);
    // the phone registers and stays registered; calls to it ring and are never answered
    const phone: SippHandle = await startSipp({
      scenario: 'phone-register-answer',
      port: PORTS.phone,
      remote: `${account.server}:${account.port}`,
      traceDir: TRACE_DIR,
      name: `ring-all-${vendor}-${++runs}`,
      extraArgs: ['-m', '1', '-s', account.username, '-au', account.authName, '-ap', account.password, '-oocsf', path.join(SIPP_SCENARIO_DIR, 'no-answer.xml')],
    });
    try {
      await eventually(async () => (await phone.parsedMessages()).some((m) => m.direction === 'received' && m.status === 200 && /REGISTER/.test(m.headers.get('cseq')?.[0] ?? '')), 10_000);
      const setup: RingAllSetup = { admin, campaignId: campaign.body.id, apiKey: campaign.body.apiKey, agents: [{ id: user.id, token, sipUsername: user.sipUsername! }] };
      await postLead(server, setup, aLead());
      const invites = await eventually(async () => {
        const list = await phone.receivedInvites();
        return list.length ? list : undefined;
      }, 15_000);
      expect(invites[0].requestUri).toContain(`127.0.0.1:${PORTS.phone}`);
    } finally {
      // the round ends by itself (nobody answers); the tests below do not need this user free
      await phone.stop();
    }
  });

  it('rotating the SIP password sends the registered phone a check-sync NOTIFY; its file then holds the new password', async () => {
    const user = users.poly;
    const before = parseXml((await phoneGet(`${urls.poly}${macs.poly}-leadline.cfg`, { ua: UA.poly() })).body).attributes;
    const phone = await startSipp({
      scenario: 'phone-register-answer',
      port: PORTS.phone,
      remote: `${before['reg.1.server.1.address']}:${before['reg.1.server.1.port']}`,
      traceDir: TRACE_DIR,
      name: `notify-phone-${++runs}`,
      extraArgs: ['-m', '1', '-s', before['reg.1.address'], '-au', before['reg.1.auth.userId'], '-ap', before['reg.1.auth.password'], '-oocsf', path.join(SIPP_SCENARIO_DIR, 'phone-notify.xml')],
    });
    try {
      await eventually(async () => (await phone.parsedMessages()).some((m) => m.direction === 'received' && m.status === 200 && /REGISTER/.test(m.headers.get('cseq')?.[0] ?? '')), 10_000);
      expect(await phone.receivedRequests('NOTIFY')).toEqual([]);
      const rotated = await server.request('POST', `/api/users/${user.id}/sip-password`, { token: admin });
      expect(rotated.status).toBe(201);
      const notifies = await eventually(async () => {
        const list = await phone.receivedRequests('NOTIFY');
        return list.length ? list : undefined;
      }, 10_000);
      // (Asterisk 22 may send it twice to the one contact: the phone re-reads its files twice, harmlessly)
      for (const n of notifies) {
        expect(n.headers.get('event')).toEqual(['check-sync']);
        expect(n.requestUri).toContain(`${user.sipUsername}@127.0.0.1:${PORTS.phone}`);
      }

      // what the phone fetches then: the new password, which registers; the old one no longer does
      const after = parseXml((await phoneGet(`${urls.poly}${macs.poly}-leadline.cfg`, { ua: UA.poly() })).body).attributes;
      expect(after['reg.1.auth.password']).toBe(rotated.body.sipAccount.password);
      expect(after['reg.1.auth.password']).not.toBe(before['reg.1.auth.password']);
      expect(await registers({ server: '127.0.0.1', port: IT_PORTS.sip, username: after['reg.1.address'], authName: after['reg.1.auth.userId'], password: after['reg.1.auth.password'], displayName: '' })).toBe(0);
      users.poly = { ...user, sipAccount: rotated.body.sipAccount };
    } finally {
      await phone.stop();
    }
  });

  it('giving a registered phone to another user sends it a check-sync NOTIFY', async () => {
    const v = await yealinkAccount();
    const phone = await startSipp({
      scenario: 'phone-register-answer',
      port: PORTS.phone,
      remote: `127.0.0.1:${IT_PORTS.sip}`,
      traceDir: TRACE_DIR,
      name: `reassigned-phone-${++runs}`,
      extraArgs: ['-m', '1', '-s', v.get('account.1.user_name')!, '-au', v.get('account.1.auth_name')!, '-ap', v.get('account.1.password')!, '-oocsf', path.join(SIPP_SCENARIO_DIR, 'phone-notify.xml')],
    });
    try {
      await eventually(async () => (await phone.parsedMessages()).some((m) => m.direction === 'received' && m.status === 200 && /REGISTER/.test(m.headers.get('cseq')?.[0] ?? '')), 10_000);
      const next = await createUser(server, admin, { workPhoneType: 'sip_desk', name: 'Next Owner' });
      expect((await server.request('PATCH', `/api/phones/${phoneIds.yealink}`, { token: admin, body: { userId: next.id } })).status).toBe(200);
      const notifies = await eventually(async () => {
        const list = await phone.receivedRequests('NOTIFY');
        return list.length ? list : undefined;
      }, 10_000);
      // Yealink's spelling: re-read the files, no reboot unless they changed
      expect(notifies[0].headers.get('event')).toEqual(['check-sync;reboot=false']);
      expect((await yealinkAccount()).get('account.1.user_name')).toBe(next.sipUsername);
      // back to the first owner for the tests below
      expect((await server.request('PATCH', `/api/phones/${phoneIds.yealink}`, { token: admin, body: { userId: users.yealink.id } })).status).toBe(200);
    } finally {
      await phone.stop();
    }
  });

  it("a BLF subscription from a phone gets NOTIFYs that follow a colleague's presence; the phone's file has the key", async () => {
    const v = await yealinkAccount();
    const colleague = await createUser(server, admin, { name: 'Colleague On A Key', workPhoneType: 'external', workPhone: '+15125550188' });
    const token = await loginAs(server, colleague);
    // the watcher's file now has a BLF key for the colleague (line key type 16)
    const keys = await yealinkAccount();
    const key = [...keys].find(([k, value]) => /^linekey\.\d+\.value$/.test(k) && value === colleague.extension);
    expect(key).toBeDefined();
    const n = key![0].split('.')[1];
    expect(keys.get(`linekey.${n}.type`)).toBe('16');
    expect(keys.get(`linekey.${n}.label`)).toBe('Colleague On A Key');
    // and a Grandstream's file a multi-purpose key in BLF mode (MPK 1-7: mode P323…, account, name, value
    // in threes from P301; MPK 8-10: mode, account, name, value in fours from P353)
    const gs = parseXml((await phoneGet(`${urls.grandstream}cfg${macs.grandstream}.xml`, { ua: UA.grandstream(macs.grandstream) })).body).children;
    const mpks = Array.from({ length: 10 }, (_, i) => (i < 7 ? { mode: 323 + i, account: 301 + i * 3 } : { mode: 353 + (i - 7) * 4, account: 354 + (i - 7) * 4 }));
    const mpk = mpks.find((k) => gs[`P${k.account + 2}`] === colleague.extension);
    expect(mpk).toBeDefined();
    expect(gs).toMatchObject({ [`P${mpk!.mode}`]: '1', [`P${mpk!.account}`]: '0', [`P${mpk!.account + 1}`]: 'Colleague On A Key' });

    const watcher = await startSipp({
      scenario: 'blf-subscribe',
      port: PORTS.blf,
      remote: `127.0.0.1:${IT_PORTS.sip}`,
      traceDir: TRACE_DIR,
      name: `blf-${++runs}`,
      vars: { ext: String(colleague.extension) },
      extraArgs: ['-m', '1', '-s', v.get('account.1.user_name')!, '-au', v.get('account.1.auth_name')!, '-ap', v.get('account.1.password')!],
    });
    const states = async () => (await watcher.receivedRequests('NOTIFY')).map((m) => /<state[^>]*>([a-z]+)<\/state>/.exec(m.body)?.[1] ?? 'none');
    try {
      // subscribed: the first NOTIFY comes at once
      await eventually(async () => ((await states()).length ? true : undefined), 10_000);
      // available (green): idle, "terminated"
      await server.request('PATCH', '/api/me/session', { token, body: { loggedIn: true, callsOn: true } });
      await eventually(async () => ((await states()).at(-1) === 'terminated' ? true : undefined), 10_000);
      // calls off (red): in use, "confirmed" — the key lights as the BusyLight does
      await server.request('PATCH', '/api/me/session', { token, body: { callsOn: false } });
      await eventually(async () => ((await states()).at(-1) === 'confirmed' ? true : undefined), 10_000);
      await server.request('PATCH', '/api/me/session', { token, body: { callsOn: true } });
      await eventually(async () => ((await states()).at(-1) === 'terminated' ? true : undefined), 10_000);
      const notifies = await watcher.receivedRequests('NOTIFY');
      expect(notifies.every((m) => m.headers.get('event')?.[0] === 'dialog')).toBe(true);
      expect(notifies.at(-1)!.body).toContain(`entity="sip:${colleague.extension}@`);
    } finally {
      await watcher.stop();
    }
  });

  it("Asterisk's AMI (for the NOTIFY) takes its one user from loopback only, with its password only", async () => {
    const { amiPassword } = itAsteriskOptions();
    // Side by side: Asterisk holds each refused login about a second before it answers.
    const [right, wrongPassword, wrongAddress, defaultUser] = await Promise.all([
      amiLogin('leadline-notify', amiPassword!, '127.0.0.1'),
      amiLogin('leadline-notify', `${amiPassword}x`, '127.0.0.1'),
      // the right password from another address: refused by the user's permit list
      amiLogin('leadline-notify', amiPassword!, '127.0.0.2'),
      amiLogin('admin', 'amp111', '127.0.0.1'),
    ]);
    expect(right).toBe('Success: Authentication accepted');
    expect(wrongPassword).toBe('Error: Authentication failed');
    expect(wrongAddress).toBe('Error: Authentication failed');
    expect(defaultUser).toBe('Error: Authentication failed');
  });

  it('a user whose password the server cannot read (kept before provisioning, or sealed with another JWT_SECRET) gets a fresh one in the file, which registers', async () => {
    const user = await createUser(server, admin, { workPhoneType: 'sip_desk', name: 'Legacy Owner' });
    // what an older database or another key leaves: a value the server cannot open
    await server.app.get(MikroORM).em.fork().getConnection().execute('update app_user set sip_password_enc = ? where id = ?', ['v1.AAAA.BBBB.CCCC', user.id]);
    const added = await server.request('POST', '/api/phones', { token: admin, body: { mac: '001565e1e1e1', vendor: 'yealink', userId: user.id } });
    const v = parseYealink((await phoneGet(`${onServer(added.body.provisioningUrl)}001565e1e1e1.cfg`, { ua: UA.yealink('001565e1e1e1') })).body);
    expect(v.get('account.1.user_name')).toBe(user.sipUsername);
    expect(v.get('account.1.password')).not.toBe(user.sipAccount!.password);
    const account = { server: '127.0.0.1', port: IT_PORTS.sip, username: user.sipUsername!, authName: user.sipUsername!, password: v.get('account.1.password')!, displayName: '' };
    expect(await registers(account)).toBe(0);
    // the next fetch gives the same one
    const again = parseYealink((await phoneGet(`${onServer(added.body.provisioningUrl)}001565e1e1e1.cfg`, { ua: UA.yealink('001565e1e1e1') })).body);
    expect(again.get('account.1.password')).toBe(account.password);
  });

  it('a wrong secret gets 401, tells nothing, and is logged with its address', async () => {
    const wrong = urls.yealink.replace(/provisioning\/[^/]+\//, `provisioning/${'x'.repeat(43)}/`);
    const res = await phoneGet(`${wrong}${macs.yealink}.cfg`, { ua: UA.yealink(macs.yealink), from: SCANNER });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toEqual({ statusCode: 401, code: 'PROVISIONING_DENIED', message: 'Not allowed to fetch configuration files' });
    // another phone's MAC with a valid secret: the same 404 as any missing file
    const other = await phoneGet(`${urls.yealink}${macs.poly}.cfg`, { ua: UA.yealink(macs.yealink), from: SCANNER });
    expect(other.status).toBe(404);
    const log = await server.request('GET', `/api/phones/fetches?mac=${macs.yealink}&result=bad_secret`, { token: admin });
    expect(log.status).toBe(200);
    expect(log.body[0]).toMatchObject({ address: SCANNER, file: `${macs.yealink}.cfg`, mac: macs.yealink, result: 'bad_secret', userAgent: UA.yealink(macs.yealink) });
    expect(JSON.stringify(log.body)).not.toContain('x'.repeat(43));
    const served = await server.request('GET', `/api/phones/fetches?mac=${macs.yealink}&result=served`, { token: admin });
    expect(served.body.length).toBeGreaterThan(0);
    expect(served.body[0]).toMatchObject({ phoneId: phoneIds.yealink, address: '127.0.0.1' });
    // the phone list shows when and from where it last fetched
    const phones = await server.request('GET', '/api/phones', { token: admin });
    expect(phones.body.find((p: { id: string }) => p.id === phoneIds.yealink)).toMatchObject({ lastFetchAddress: '127.0.0.1', lastFetchAt: expect.any(String) });
  });

  it('without the secret: 401 outside the phone subnet; inside it, an unknown MAC is 404 and waits for the admin', async () => {
    const unknown = '001565f0e0d0';
    const outside = await phoneGet(`${server.url}/api/provisioning/${macs.yealink}.cfg`, { ua: UA.yealink(macs.yealink) });
    expect(outside.status).toBe(401);
    const res = await phoneGet(`${server.url}/api/provisioning/${unknown}.cfg`, { ua: UA.yealink(unknown), from: SUBNET_PHONE });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body)).toEqual({ statusCode: 404, code: 'PROVISIONING_FILE_NOT_FOUND', message: 'No configuration file here' });
    // a file that does not exist reads exactly the same
    const nothing = await phoneGet(`${server.url}/api/provisioning/firmware.rom`, { ua: UA.yealink(unknown), from: SUBNET_PHONE });
    expect(nothing.status).toBe(404);
    expect(nothing.body).toBe(res.body);
    await phoneGet(`${server.url}/api/provisioning/${unknown}.cfg`, { ua: UA.yealink(unknown), from: SUBNET_PHONE });

    const waiting = await server.request('GET', '/api/phones/waiting', { token: admin });
    expect(waiting.status).toBe(200);
    expect(waiting.body).toEqual([{ mac: unknown, vendor: 'yealink', firstSeenAt: expect.any(String), lastSeenAt: expect.any(String), lastAddress: SUBNET_PHONE, userAgent: UA.yealink(unknown), fetches: 2 }]);

    // a known phone in the subnet gets its file without the secret
    const known = await phoneGet(`${server.url}/api/provisioning/cfg${macs.grandstream}.xml`, { ua: UA.grandstream(macs.grandstream), from: SUBNET_PHONE });
    expect(known.status).toBe(200);
    expect(parseXml(known.body).children.P35).toBe(users.grandstream.sipUsername);

    // once the admin adds it, it leaves the waiting list and gets its (unassigned) file
    const added = await server.request('POST', '/api/phones', { token: admin, body: { mac: unknown, vendor: 'yealink' } });
    expect(added.status).toBe(201);
    expect((await server.request('GET', '/api/phones/waiting', { token: admin })).body).toEqual([]);
    const unassigned = await phoneGet(`${server.url}/api/provisioning/${unknown}.cfg`, { ua: UA.yealink(unknown), from: SUBNET_PHONE });
    expect(parseYealink(unassigned.body).get('account.1.enable')).toBe('0');
    expect(unassigned.body).not.toContain('agent');
  });

  it('reassigning the phone changes its file; removing it ends its URL', async () => {
    const other = await createUser(server, admin, { workPhoneType: 'sip_desk', name: 'Second Owner' });
    const res = await server.request('PATCH', `/api/phones/${phoneIds.yealink}`, { token: admin, body: { userId: other.id } });
    expect(res.status).toBe(200);
    expect(res.body.user).toEqual({ id: other.id, name: 'Second Owner', extension: other.extension });
    let v = await yealinkAccount();
    expect(v.get('account.1.user_name')).toBe(other.sipUsername);
    expect(v.get('account.1.password')).toBe(other.sipAccount!.password);

    // a user has one desk phone: giving them the Poly leaves the Yealink without a user
    await server.request('PATCH', `/api/phones/${phoneIds.poly}`, { token: admin, body: { userId: other.id } });
    v = await yealinkAccount();
    expect(v.get('account.1.enable')).toBe('0');
    const list = (await server.request('GET', '/api/phones', { token: admin })).body as { id: string; user: { id: string } | null }[];
    expect(list.find((p) => p.id === phoneIds.yealink)!.user).toBeNull();
    expect(list.find((p) => p.id === phoneIds.poly)!.user!.id).toBe(other.id);

    // a user without a sip_desk phone cannot be given one
    const external = await createUser(server, admin, { workPhoneType: 'external', workPhone: '+15125550123' });
    const refused = await server.request('PATCH', `/api/phones/${phoneIds.yealink}`, { token: admin, body: { userId: external.id } });
    expect(refused.status).toBe(400);
    expect(refused.body.fields[0].field).toBe('userId');

    // a renewed secret: the old URL is refused, the new one works
    const renewed = await server.request('POST', `/api/phones/${phoneIds.grandstream}/secret`, { token: admin });
    expect(renewed.status).toBe(201);
    expect((await phoneGet(`${urls.grandstream}cfg${macs.grandstream}.xml`, { ua: UA.grandstream(macs.grandstream) })).status).toBe(401);
    expect((await phoneGet(`${onServer(renewed.body.provisioningUrl)}cfg${macs.grandstream}.xml`, { ua: UA.grandstream(macs.grandstream) })).status).toBe(200);

    expect((await server.request('DELETE', `/api/phones/${phoneIds.grandstream}`, { token: admin })).status).toBe(204);
    expect((await phoneGet(`${onServer(renewed.body.provisioningUrl)}cfg${macs.grandstream}.xml`, { ua: UA.grandstream(macs.grandstream) })).status).toBe(401);
    expect((await server.request('DELETE', `/api/phones/${phoneIds.grandstream}`, { token: admin })).status).toBe(404);
  });

  it('imports phones from a CSV: good rows added with their URLs, the others listed by line; nothing else changes', async () => {
    const owner = await createUser(server, admin, { workPhoneType: 'sip_desk', name: 'Imported Owner' });
    const external = await createUser(server, admin, { workPhoneType: 'external', workPhone: '+15125550177' });
    const csv = [
      'mac,vendor,label,user',
      `00:15:65:C0:FF:01,Yealink,Room 1,${owner.email.toUpperCase()}`,
      '0004f2c0ff02,poly,Room 2,',
      `${macs.poly},poly,taken,`,
      'not-a-mac,yealink,,',
      '000b82c0ff03,cisco,,',
      `000b82c0ff04,grandstream,,${external.extension}`,
      '000b82c0ff05,grandstream,,nobody@it.test',
    ].join('\r\n');
    const before = (await server.request('GET', '/api/phones', { token: admin })).body.length;
    const res = await server.request('POST', '/api/phones/import', { token: admin, body: csv, headers: { 'content-type': 'text/csv' } });
    expect(res.status).toBe(200);
    expect(res.body.added.map((p: { mac: string; user: { id: string } | null }) => [p.mac, p.user?.id ?? null])).toEqual([
      ['001565c0ff01', owner.id],
      ['0004f2c0ff02', null],
    ]);
    expect(res.body.added.every((p: { provisioningUrl?: string }) => /\/api\/provisioning\/[A-Za-z0-9_-]{43}\/$/.test(p.provisioningUrl ?? ''))).toBe(true);
    expect(res.body.rejected).toEqual([
      { line: 4, value: macs.poly, message: 'a phone with this MAC already exists' },
      { line: 5, value: 'not-a-mac', message: '"not-a-mac" is not a MAC address (12 hex digits)' },
      { line: 6, value: '000b82c0ff03', message: 'vendor must be one of yealink, poly, grandstream (got "cisco")' },
      { line: 7, value: '000b82c0ff04', message: `${external.name} has no sip_desk work phone` },
      { line: 8, value: '000b82c0ff05', message: 'no user with email or extension "nobody@it.test"' },
    ]);
    expect((await server.request('GET', '/api/phones', { token: admin })).body.length).toBe(before + 2);
    // the imported phone serves its owner's account at once
    const file = await phoneGet(`${onServer(res.body.added[0].provisioningUrl)}001565c0ff01.cfg`, { ua: UA.yealink('001565c0ff01') });
    expect(parseYealink(file.body).get('account.1.user_name')).toBe(owner.sipUsername);

    // a file that is no CSV of phones: 400 and nothing added; another content type: 415
    const bad = await server.request('POST', '/api/phones/import', { token: admin, body: 'just,some\nwords,here', headers: { 'content-type': 'text/csv' } });
    expect(bad.status).toBe(400);
    expect(bad.body.fields).toEqual([{ field: 'file', message: expect.stringContaining('mac, vendor') }]);
    expect((await server.request('POST', '/api/phones/import', { token: admin, body: { mac: 'x' } })).status).toBe(415);
    expect((await server.request('GET', '/api/phones', { token: admin })).body.length).toBe(before + 2);
  });

  it('the Desk phones page (real Chromium): a waiting phone added and assigned, its URL shown once, reassigned, a CSV imported, a phone removed', async () => {
    const waitingMac = '001565d0d0d0';
    await phoneGet(`${server.url}/api/provisioning/${waitingMac}.cfg`, { ua: UA.yealink(waitingMac), from: SUBNET_PHONE });
    const [owner, browser] = await Promise.all([createUser(server, admin, { workPhoneType: 'sip_desk', name: 'Page Owner' }), launchBrowser()]);
    try {
      const page = await signIn(await newContext(browser), server.url, ADMIN.email, ADMIN.password);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Desk phones', exact: true }).click();
      await page.getByRole('heading', { name: 'Desk phones', level: 1 }).waitFor();
      await page.getByRole('table', { name: 'Desk phones' }).getByRole('row').filter({ hasText: macs.yealink }).waitFor();

      // the waiting MAC: Add fills the form; give it a user and add it
      const waitingRow = page.getByRole('table', { name: 'Phones waiting to be assigned' }).getByRole('row').filter({ hasText: waitingMac });
      await waitingRow.getByRole('button', { name: `Add ${waitingMac}` }).click();
      const form = page.getByRole('form', { name: 'Add a phone' });
      expect(await form.getByLabel('MAC').inputValue()).toBe(waitingMac);
      await form.getByLabel('Label').fill('Reception');
      await form.getByLabel('User').selectOption({ label: 'Page Owner' });
      await form.getByRole('button', { name: 'Add phone' }).click();
      const shown = page.getByRole('region', { name: 'Provisioning URLs' });
      await shown.waitFor();
      const url = (await shown.locator('li .mono').nth(1).textContent())!;
      expect(url).toMatch(/\/api\/provisioning\/[A-Za-z0-9_-]{43}\/$/);
      await screenshot(page, 'admin-desk-phones');
      const file = await phoneGet(`${onServer(url)}${waitingMac}.cfg`, { ua: UA.yealink(waitingMac) });
      expect(parseYealink(file.body).get('account.1.user_name')).toBe(owner.sipUsername);
      await page.getByText('No unknown phone has asked for its configuration.').waitFor();
      await shown.getByRole('button', { name: 'Done' }).click();
      await expect(shown.count()).resolves.toBe(0);

      // reassign from the table: the file follows
      const row = page.getByRole('table', { name: 'Desk phones' }).getByRole('row').filter({ hasText: waitingMac });
      await row.getByLabel(`User of ${waitingMac}`).selectOption('');
      await eventually(async () => (parseYealink((await phoneGet(`${onServer(url)}${waitingMac}.cfg`, { ua: UA.yealink(waitingMac) })).body).get('account.1.enable') === '0' ? true : undefined), 10_000);

      // a CSV: the refused rows are listed by line
      const importForm = page.getByRole('form', { name: 'Import phones from a CSV' });
      await importForm.getByLabel('CSV file').setInputFiles({ name: 'phones.csv', mimeType: 'text/csv', buffer: Buffer.from('mac,vendor\n000b82e0e0e1,grandstream\nbad,yealink\n') });
      await importForm.getByRole('button', { name: 'Import' }).click();
      await importForm.getByRole('table', { name: 'Rejected rows' }).getByRole('row').filter({ hasText: 'not a MAC address' }).waitFor();
      await page.getByRole('region', { name: 'Provisioning URLs' }).getByText('000b82e0e0e1').waitFor();
      await page.getByRole('table', { name: 'Desk phones' }).getByRole('row').filter({ hasText: '000b82e0e0e1' }).waitFor();

      // remove, after a confirm
      await row.getByRole('button', { name: `Remove ${waitingMac}` }).click();
      await page.getByRole('dialog', { name: 'Remove desk phone' }).getByRole('button', { name: 'Remove' }).click();
      await eventually(async () => ((await page.getByRole('table', { name: 'Desk phones' }).getByRole('row').filter({ hasText: waitingMac }).count()) === 0 ? true : undefined), 10_000);
      expect((await phoneGet(`${onServer(url)}${waitingMac}.cfg`, { ua: UA.yealink(waitingMac) })).status).toBe(401);
      await expect(page.getByRole('alert').count()).resolves.toBe(0);
    } finally {
      await browser.close();
    }
  });

  it('an address over its budget gets 429 before anything is looked up or logged', async () => {
    const from = '127.0.0.6';
    const statuses: number[] = [];
    for (let i = 0; i < RATE_LIMIT + 3; i++) statuses.push((await phoneGet(`${server.url}/api/provisioning/${'x'.repeat(43)}/y000000000000.cfg`, { ua: 'scanner', from })).status);
    expect(statuses.slice(0, RATE_LIMIT).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(RATE_LIMIT)).toEqual([429, 429, 429]);
    const log = await server.request('GET', '/api/phones/fetches?result=bad_secret', { token: admin });
    expect(log.body.filter((f: { address: string }) => f.address === from)).toHaveLength(RATE_LIMIT);
    // other addresses are not held back
    expect((await phoneGet(`${urls.poly}000000000000.cfg`, { ua: UA.poly() })).status).toBe(200);
  });
});
