// Desk phones: a sip_desk user gets a SIP account that a real SIP phone (SIPp) can register with
// at once, and be called on; password rotation, deletion and a server restart (re-sync from the
// database at link-up) all reach the real Asterisk.
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { createUser, CreatedUser } from '../factories';
import { IT_DIR, IT_PORT_BASE, IT_PORTS, itAsteriskOptions } from '../harness/it-env';
import { eventually, startServer, TestServer } from '../harness/server';
import { SIPP_SCENARIO_DIR, SippHandle, startSipp, stopAllSipp } from '../harness/sipp';

const TRACE_DIR = path.join(IT_DIR, 'sipp-desk-phone');
const ASTERISK_SIP = `127.0.0.1:${IT_PORTS.sip}`;
// This suite's SIPp ports: IT_PORT_BASE + 300..399 (25300-25399 in the default slot).
const PORTS = { register: IT_PORT_BASE + 301, refused: IT_PORT_BASE + 302, phone: IT_PORT_BASE + 303 } as const;

let runs = 0;

/** Runs one REGISTER scenario to its end; resolves with SIPp's exit code (0 = as the scenario expects). */
async function registerOnce(scenario: 'phone-register' | 'phone-register-refused', username: string, password: string): Promise<number> {
  const sipp = await startSipp({
    scenario,
    port: scenario === 'phone-register' ? PORTS.register : PORTS.refused,
    remote: ASTERISK_SIP,
    traceDir: TRACE_DIR,
    name: `${scenario}-${++runs}`,
    extraArgs: ['-m', '1', '-s', username, '-au', username, '-ap', password, '-timeout', '10s'],
  });
  return sipp.exited;
}

/** A phone that registers and then stays registered, answering calls (borrower-answer.xml as UAS). */
async function startPhone(username: string, password: string): Promise<SippHandle> {
  const phone = await startSipp({
    scenario: 'phone-register-answer',
    port: PORTS.phone,
    remote: ASTERISK_SIP,
    traceDir: TRACE_DIR,
    name: `phone-register-answer-${++runs}`,
    extraArgs: ['-m', '1', '-s', username, '-au', username, '-ap', password, '-oocsf', path.join(SIPP_SCENARIO_DIR, 'borrower-answer.xml')],
  });
  // registered = a 200 OK to our REGISTER
  await eventually(async () => (await phone.parsedMessages()).some((m) => m.direction === 'received' && m.status === 200 && /REGISTER/.test(m.headers.get('cseq')?.[0] ?? '')), 10_000);
  return phone;
}

/** Straight to Asterisk's ARI with the test credentials (for what the server must not do for us). */
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

describe('desk phone provisioning (real Asterisk + SIPp)', () => {
  let server: TestServer;
  let admin: string;
  let user: CreatedUser;
  let username: string;
  let password: string;

  beforeAll(async () => {
    server = await startServer();
    await server.ari.waitUntilUp(15_000);
    admin = await server.login();
  });

  afterAll(async () => {
    await stopAllSipp();
    await server.close();
  });

  it('gives a sip_desk user a SIP account at once', async () => {
    user = await createUser(server, admin, { role: 'agent', workPhoneType: 'sip_desk' });
    expect(user.provisioning).toBeUndefined();
    expect(user.sipAccount).toEqual({ server: '127.0.0.1', port: IT_PORTS.sip, transport: 'udp', username: expect.stringMatching(/^agent\d+$/), password: expect.any(String) });
    username = user.sipAccount!.username;
    password = user.sipAccount!.password!;
    expect(password.length).toBeGreaterThanOrEqual(16);
    expect(user.sipUsername).toBe(username);

    // shown once: reading the user again gives the account without the password
    const again = await server.request('GET', `/api/users/${user.id}`, { token: admin });
    expect(again.body.sipUsername).toBe(username);
    expect(JSON.stringify(again.body)).not.toContain(password);

    // the endpoint exists in Asterisk, on the transport pjsip.conf defines
    const endpoint = await ari('GET', `/asterisk/config/dynamic/res_pjsip/endpoint/${username}`);
    expect(endpoint.status).toBe(200);
    expect(endpoint.body).toEqual(expect.arrayContaining([{ attribute: 'transport', value: 'transport-udp' }, { attribute: 'auth', value: username }, { attribute: 'aors', value: username }]));
  });

  it('lets a SIP phone register with those credentials, and refuses a wrong password', async () => {
    expect(await registerOnce('phone-register', username, password)).toBe(0);
    expect(await registerOnce('phone-register-refused', username, `${password}x`)).toBe(0);
  });

  it('rings the registered phone when the server calls its endpoint', async () => {
    const phone = await startPhone(username, password);
    const channelId = randomUUID();
    const started: string[] = [];
    const off = server.ari.on('StasisStart', (e) => {
      if (e.channel.id === channelId) started.push(e.channel.state);
    });
    try {
      await server.ari.channels.originate({ channelId, endpoint: `PJSIP/${username}`, app: server.ari.app, timeoutSeconds: 10 });
      const invites = await eventually(async () => {
        const list = await phone.receivedInvites();
        return list.length > 0 ? list : undefined;
      }, 10_000);
      expect(invites).toHaveLength(1);
      expect(invites[0].requestUri).toContain(`127.0.0.1:${PORTS.phone}`);
      // borrower-answer.xml answers: the channel comes up in our Stasis app, where no call owns it,
      // so the Stasis router hangs it up at once (docs/architecture.md): the phone gets the BYE.
      await eventually(() => started.length > 0, 10_000);
      expect(started[0]).toBe('Up');
      await eventually(async () => (await phone.receivedRequests('BYE')).length > 0, 5_000);
    } finally {
      off();
      await phone.stop();
    }
  });

  it('rotating the SIP password refuses the old one and accepts the new one', async () => {
    const res = await server.request('POST', `/api/users/${user.id}/sip-password`, { token: admin });
    expect(res.status).toBe(201);
    expect(res.body.sipAccount).toMatchObject({ username, password: expect.any(String) });
    expect(res.body.provisioning).toBeUndefined();
    const rotated = res.body.sipAccount.password as string;
    expect(rotated).not.toBe(password);

    expect(await registerOnce('phone-register-refused', username, password)).toBe(0);
    expect(await registerOnce('phone-register', username, rotated)).toBe(0);
    password = rotated;
  });

  it('re-creates the phone in Asterisk from the database when a server starts', async () => {
    const dataDir = server.config.dataDir;
    await server.close();

    // Someone wipes the endpoint from Asterisk while the server is down.
    for (const type of ['endpoint', 'aor', 'auth']) {
      expect((await ari('DELETE', `/asterisk/config/dynamic/res_pjsip/${type}/${username}`)).status).toBe(204);
    }
    expect((await ari('GET', `/asterisk/config/dynamic/res_pjsip/endpoint/${username}`)).status).toBe(404);
    expect(await registerOnce('phone-register-refused', username, password)).toBe(0);

    server = await startServer({ LEADLINE_DATA_DIR: dataDir });
    await server.ari.waitUntilUp(15_000);
    admin = await server.login();
    await eventually(async () => (await ari('GET', `/asterisk/config/dynamic/res_pjsip/endpoint/${username}`)).status === 200, 10_000);
    expect(await registerOnce('phone-register', username, password)).toBe(0);
    expect((await server.request('GET', `/api/users/${user.id}`, { token: admin })).body.sipUsername).toBe(username);
  });

  it('deleting the user removes the phone: its REGISTER is refused', async () => {
    const res = await server.request('DELETE', `/api/users/${user.id}`, { token: admin });
    expect(res.status).toBe(204);
    expect((await ari('GET', `/asterisk/config/dynamic/res_pjsip/endpoint/${username}`)).status).toBe(404);
    expect(await registerOnce('phone-register-refused', username, password)).toBe(0);
  });

  it('a user changed away from sip_desk loses the phone, and back again gets a new account', async () => {
    const other = await createUser(server, admin, { role: 'agent', workPhoneType: 'sip_desk' });
    const sip = other.sipAccount!;
    expect(await registerOnce('phone-register', sip.username, sip.password!)).toBe(0);

    const external = await server.request('PATCH', `/api/users/${other.id}`, { token: admin, body: { workPhoneType: 'external', workPhone: '(512) 555-0177' } });
    expect(external.status).toBe(200);
    expect(external.body).toMatchObject({ workPhoneType: 'external', workPhone: '+15125550177', sipUsername: null });
    expect(external.body.sipAccount).toBeUndefined();
    expect(await registerOnce('phone-register-refused', sip.username, sip.password!)).toBe(0);

    const back = await server.request('PATCH', `/api/users/${other.id}`, { token: admin, body: { workPhoneType: 'sip_desk', workPhone: null } });
    expect(back.status).toBe(200);
    expect(back.body.sipAccount).toMatchObject({ username: expect.stringMatching(/^agent\d+$/), password: expect.any(String) });
    expect(await registerOnce('phone-register', back.body.sipAccount.username, back.body.sipAccount.password)).toBe(0);
  });
});
