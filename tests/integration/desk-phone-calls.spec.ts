// Calls placed from a desk phone against a real Asterisk: SIPp plays the agent's SIP desk phone
// (registered account, digest auth), colleagues' phones, and the carrier behind the trunk.
import type { ClientToServerEvents, Presence, ServerToClientEvents } from '@leadline/contracts';
import * as path from 'node:path';
import { io, Socket } from 'socket.io-client';
import { createUser, CreatedUser, loginAs } from '../factories';
import { IT_DIR, IT_PORT_BASE, IT_PORTS, IT_TRUNK_HOST, itAsteriskOptions } from '../harness/it-env';
import { RtpSink, startRtpSink } from '../harness/rtp';
import { eventually, startServer, TestServer } from '../harness/server';
import { SippHandle, startSipp, stopAllSipp } from '../harness/sipp';

// This suite's ports: SIPp phones IT_PORT_BASE + 540..545, RTP sinks + 550..555.
const port = (n: number) => IT_PORT_BASE + 540 + n;
const SINK_PORT = IT_PORT_BASE + 550;
const traceDir = path.join(IT_DIR, 'sipp-desk-phone');
const AGENT_CALLER_ID = '+13105550111';
const ORG_NUMBER = '+18005550100';
const EMERGENCY_CALLER_ID = '+15125550911';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

describe('Desk-phone calls (real Asterisk + SIPp)', () => {
  let server: TestServer;
  let admin: string;
  let carrier: SippHandle;
  let sink: RtpSink;
  // A: the caller's SIP desk phone. B: a colleague who answers. C: a colleague on another call. D: logged out.
  let a: CreatedUser & { token: string; sip: { username: string; password: string } };
  const colleagues: Record<'B' | 'C' | 'D', CreatedUser & { token: string; phone: SippHandle }> = {} as never;
  const presence: { dashboard: Presence[]; desk: Presence[] } = { dashboard: [], desk: [] };
  const sockets: Client[] = [];
  let calls = 0;

  const connect = async (auth: Record<string, string>, into: Presence[]) => {
    const socket: Client = io(server.url, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
    socket.on('presence', (p) => into.push(p));
    await new Promise((r) => socket.once('connect', () => r(undefined)));
    sockets.push(socket);
  };

  beforeAll(async () => {
    // Desk-phone calls reach the app named in the test Asterisk's dialplan: this suite registers it.
    server = await startServer({ ARI_APP: itAsteriskOptions().ariApp });
    admin = await server.login();
    await server.ari.waitUntilUp(15_000);
    await server.request('PATCH', '/api/org', { token: admin, body: { orgNumber: ORG_NUMBER, emergencyCallerId: EMERGENCY_CALLER_ID } });
    carrier = await startSipp({ scenario: 'borrower-answer', port: IT_PORTS.trunk, ip: IT_TRUNK_HOST, vars: { answer_ms: '200' }, traceDir, name: `carrier-${Date.now()}` });
    sink = await startRtpSink(SINK_PORT);

    const created = await createUser(server, admin, { workPhoneType: 'sip_desk', callerId: AGENT_CALLER_ID, name: 'Alice Caller' });
    a = { ...created, token: await loginAs(server, created), sip: { username: created.sipAccount!.username, password: created.sipAccount!.password! } };
    await server.request('PATCH', '/api/me/session', { token: a.token, body: { loggedIn: true, callsOn: true } });
    const keys = ['B', 'C', 'D'] as const;
    for (const [i, key] of keys.entries()) {
      const phone = await startSipp({ scenario: 'agent-silent', port: port(i + 1), vars: { answer_ms: '300' }, traceDir, name: `colleague-${key}-${Date.now()}` });
      const user = await createUser(server, admin, { workPhoneType: 'static_ip', workPhone: `127.0.0.1:${port(i + 1)}`, name: `Colleague ${key}` });
      const token = await loginAs(server, user);
      if (key !== 'D') await server.request('PATCH', '/api/me/session', { token, body: { loggedIn: true, callsOn: true } });
      colleagues[key] = { ...user, token, phone };
    }
    await connect({ token: a.token }, presence.dashboard);
    const device = await server.request('POST', '/api/me/devices', { token: a.token, body: { name: 'BusyLight' } });
    await connect({ deviceToken: device.body.token }, presence.desk);
  });

  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await sink?.close();
    await stopAllSipp();
    await server?.close();
  });

  /** A places a call from their desk phone; resolves with the SIPp handle once it has ended. */
  async function dialFromA(dial: string, opts: { callMs?: number; listen?: boolean } = {}): Promise<SippHandle> {
    const phone = await startSipp({
      scenario: 'phone-call',
      port: port(0),
      remote: `127.0.0.1:${IT_PORTS.sip}`,
      vars: { dial, call_ms: String(opts.callMs ?? 0) },
      extraArgs: ['-m', '1', '-s', a.sip.username, '-au', a.sip.username, '-ap', a.sip.password],
      traceDir,
      name: `a-${++calls}-${Date.now()}`,
      ...(opts.listen ? { rtpSinkPort: SINK_PORT } : {}),
    });
    await phone.exited;
    return phone;
  }

  async function rows(filter: (r: any) => boolean, count = 1): Promise<any[]> {
    return eventually(async () => {
      const res = await server.request('GET', '/api/call-activity?pageSize=200', { token: admin });
      const found = res.body.items.filter(filter);
      return found.length >= count && found.every((r: any) => r.endedAt) ? found : undefined;
    }, 20_000, 200);
  }

  /** The prompt the phone heard: Asterisk answered, sent audible audio, then hung up. */
  async function expectPrompt(dial: string): Promise<void> {
    const from = Date.now();
    const phone = await dialFromA(dial, { listen: true });
    await phone.cleanExit();
    // A prompt is ~2 s of speech: dozens of loud 20 ms packets, never a silent channel.
    expect(sink.audibleSince(from)).toBeGreaterThan(25);
  }

  const last = (list: Presence[]) => list[list.length - 1];

  it('dials a borrower through the trunk with the caller ID of §4: recorded, and the agent red while on the call, green after', async () => {
    const borrower = '+15125550199';
    const seen = presence.dashboard.length;
    const before = (await carrier.receivedInvites()).length;
    await (await dialFromA('5125550199', { callMs: 2500 })).cleanExit();
    const invite = (await carrier.receivedInvites()).slice(before).find((i) => i.requestUri.includes(borrower));
    expect(invite).toBeDefined();
    expect(`${invite!.from} ${invite!.pai ?? ''}`).toContain(AGENT_CALLER_ID);

    const [borrowerLeg] = await rows((r) => r.purpose === 'borrower' && r.to === borrower);
    expect(borrowerLeg).toMatchObject({ result: 'completed', from: AGENT_CALLER_ID, callerIdReason: 'agent_caller_id', by: { id: a.id } });
    expect(borrowerLeg.recordingUrl).toBeTruthy();
    const [phoneLeg] = await rows((r) => r.purpose === 'desk_phone' && r.to === '5125550199');
    expect(phoneLeg).toMatchObject({ result: 'completed', from: a.extension, by: { id: a.id }, callId: borrowerLeg.callId });
    const audio = await fetch(`${server.url}${borrowerLeg.recordingUrl}`, { headers: { authorization: `Bearer ${admin}` } });
    expect(audio.status).toBe(200);

    // Presence: red (on a call) during the call, green again after — on the dashboard and the BusyLight.
    await eventually(() => last(presence.dashboard)?.state === 'available' && last(presence.desk)?.state === 'available', 10_000);
    expect(presence.dashboard.slice(seen).map((p) => p.reason)).toEqual(expect.arrayContaining(['on_call', 'available']));
    expect(presence.desk.some((p) => p.reason === 'on_call' && p.color === 'red')).toBe(true);
  });

  it("dials a colleague's extension: their phone rings with the caller's name and extension, and they talk", async () => {
    const b = colleagues.B;
    expect(b.extension).toMatch(/^\d{4}$/);
    await (await dialFromA(b.extension as string, { callMs: 2000 })).cleanExit();
    const [invite] = await b.phone.receivedInvites();
    expect(invite.from).toContain(`"Alice Caller"`);
    expect(invite.from).toContain(`<sip:${a.extension}@`);
    const [leg] = await rows((r) => r.purpose === 'internal' && r.by?.id === b.id);
    expect(leg).toMatchObject({ result: 'completed', from: a.extension, to: b.extension });
    expect(leg.talkSeconds).toBeGreaterThanOrEqual(1);
    await eventually(async () => (await server.request('GET', '/api/me', { token: b.token })).body.onCall === false, 5_000);
  });

  it('a colleague on another call, logged out, or an extension nobody has: a short prompt, never silence, and the reason in call activity', async () => {
    // C takes a click-to-call and stays on it (the carrier answers and waits).
    const c = colleagues.C;
    expect((await server.request('POST', '/api/calls', { token: c.token, body: { phone: '+15125550177' } })).status).toBe(201);
    await eventually(async () => (await server.request('GET', '/api/me', { token: c.token })).body.onCall === true, 10_000);
    await expectPrompt(c.extension as string);
    expect((await rows((r) => r.purpose === 'desk_phone' && r.to === c.extension))[0]).toMatchObject({ result: 'busy', detail: expect.stringContaining('on another call') });
    // C's phone rang once only: for the click-to-call.
    expect(await c.phone.receivedInvites()).toHaveLength(1);

    await expectPrompt(colleagues.D.extension as string);
    expect((await rows((r) => r.purpose === 'desk_phone' && r.to === colleagues.D.extension))[0]).toMatchObject({ result: 'unavailable', detail: expect.stringContaining('not taking calls') });
    expect(await colleagues.D.phone.receivedInvites()).toHaveLength(0);

    await expectPrompt('1999');
    expect((await rows((r) => r.purpose === 'desk_phone' && r.to === '1999'))[0]).toMatchObject({ result: 'invalid', detail: 'no user has extension 1999' });
  });

  it('star codes flip calls off and on: the phone hears a confirmation, the dashboard and the BusyLight follow at once', async () => {
    await expectPrompt('*20');
    await eventually(() => last(presence.dashboard)?.reason === 'calls_off' && last(presence.desk)?.reason === 'calls_off', 5_000);
    expect(last(presence.desk)).toMatchObject({ color: 'red', state: 'unavailable' });
    expect((await server.request('GET', '/api/me', { token: a.token })).body).toMatchObject({ callsOn: false, loggedIn: true });

    await expectPrompt('*21');
    await eventually(() => last(presence.dashboard)?.state === 'available' && last(presence.desk)?.color === 'green', 5_000);
    await expectPrompt('*10');
    await eventually(() => last(presence.desk)?.reason === 'logged_out', 5_000);
    await expectPrompt('*11');
    await eventually(() => last(presence.desk)?.state === 'available', 5_000);
    // An unknown code is answered too, and changes nothing.
    await expectPrompt('*77');
    expect((await server.request('GET', '/api/me', { token: a.token })).body).toMatchObject({ callsOn: true, loggedIn: true });
  });

  it('numbers the dialling policy refuses (international, premium, N11) get a prompt and a call-activity row; nothing reaches the trunk', async () => {
    const before = (await carrier.receivedInvites()).length;
    for (const [dial, reason] of [
      ['011442079460000', /outside the US and Canada/],
      ['19005550123', /premium-rate/],
      ['411', /N11/],
    ] as const) {
      await expectPrompt(dial);
      const [row] = await rows((r) => r.purpose === 'desk_phone' && r.to === dial);
      expect(row.result).toBe('refused');
      expect(row.detail).toMatch(reason);
    }
    expect((await carrier.receivedInvites()).length).toBe(before);
  });

  it('911 always reaches the trunk, with the org emergency caller ID, even when the agent is logged out', async () => {
    await server.request('PATCH', '/api/me/session', { token: a.token, body: { loggedIn: false } });
    const before = (await carrier.receivedInvites()).length;
    await (await dialFromA('911', { callMs: 1500 })).cleanExit();
    const invite = (await carrier.receivedInvites()).slice(before).find((i) => /^sip:911@/.test(i.requestUri));
    expect(invite).toBeDefined();
    expect(`${invite!.from} ${invite!.pai ?? ''}`).toContain(EMERGENCY_CALLER_ID);
    expect(`${invite!.from} ${invite!.pai ?? ''}`).not.toContain(AGENT_CALLER_ID);
    const [leg] = await rows((r) => r.purpose === 'emergency');
    expect(leg).toMatchObject({ to: '911', from: EMERGENCY_CALLER_ID, callerIdReason: 'emergency_caller_id', result: 'completed', by: { id: a.id } });
    // Never held back by the recording disclosure (911's "state" is unknown, which would ask for it): bridged at once and recorded.
    expect(leg.recordingRule).toBeNull();
    expect(leg.recording).toBeTruthy();
    await server.request('PATCH', '/api/me/session', { token: a.token, body: { loggedIn: true } });
  });
});
