// Listen, whisper and barge against a real Asterisk 22: SIPp plays the agent's and the manager's
// desk phones and the borrower behind the carrier trunk; the audio is measured on the wire. Each
// phone's SDP points at a UDP socket of this test (tests/harness/rtp.ts) that counts the loud µ-law
// packets Asterisk sends it and can itself "talk" (a loud tone sent back from the same socket), so
// "the manager hears the borrower" is: the borrower's socket talks, the manager's counts loud
// packets — and "nobody hears the manager" is: the manager's socket talks, the others stay quiet.
import * as path from 'node:path';
import { io, Socket } from 'socket.io-client';
import { ConversationService } from '../../apps/server/src/telephony/conversation/conversation.service';
import { createUser, CreatedUser, loginAs, moveToNewOrg } from '../factories';
import { endedRowsOfCall } from '../harness/call-activity';
import { byesToBorrower } from '../harness/carrier';
import { IT_DIR, IT_PORT_BASE, IT_PORTS, IT_TRUNK_HOST } from '../harness/it-env';
import { RtpSink, startRtpSink } from '../harness/rtp';
import { eventually, startServer, TestServer } from '../harness/server';
import { SippHandle, startSipp, stopAllSipp } from '../harness/sipp';

// This suite's ports: SIPp phones IT_PORT_BASE + 660..664, RTP sinks + 670..674 and + 679.
const port = (n: number) => IT_PORT_BASE + 660 + n;
const sinkPort = (n: number) => IT_PORT_BASE + 670 + n;
const traceDir = path.join(IT_DIR, 'sipp-monitor');
const HEARD = 25; // loud 20 ms packets in 2 s of talk: half a second of it
const SILENT = 5;

type Person = CreatedUser & { token: string; phone: SippHandle; ears: RtpSink };

describe('Listen, whisper and barge (real Asterisk + SIPp)', () => {
  let server: TestServer;
  let admin: string;
  let orgId: string;
  let borrowerEars: RtpSink;
  let carrier: SippHandle;
  let agent: Person;
  let manager: Person;
  const sockets: Socket[] = [];
  // Every RTP sink the suite opens, closed at its end (an open UDP socket keeps Jest from exiting).
  const sinks: RtpSink[] = [];
  const sink = async (port: number, host?: string) => {
    const s = await startRtpSink(port, host);
    sinks.push(s);
    return s;
  };

  const person = async (n: number, role: 'agent' | 'manager', name: string): Promise<Person> => {
    const ears = await sink(sinkPort(n));
    const phone = await startSipp({ scenario: 'agent-silent', port: port(n), vars: { answer_ms: '300' }, rtpSinkPort: ears.port, traceDir, name: `${role}-${Date.now()}` });
    const user = await createUser(server, admin, { role, workPhoneType: 'static_ip', workPhone: `127.0.0.1:${port(n)}`, name });
    const token = await loginAs(server, user);
    await server.request('PATCH', '/api/me/session', { token, body: { loggedIn: true, callsOn: true } });
    return { ...user, token, phone, ears };
  };

  /** The agent calls a borrower (click-to-call); resolves once the call is connected. */
  async function connectedCall(borrower: string): Promise<string> {
    const res = await server.request('POST', '/api/calls', { token: agent.token, body: { phone: borrower } });
    expect(res.status).toBe(201);
    await eventually(async () => ((await server.request('GET', '/api/calls/live', { token: agent.token })).body as any[]).find((c) => c.callId === res.body.callId), 15_000);
    return res.body.callId as string;
  }

  /** The borrower hangs up (Asterisk sends the carrier its BYE, as when the borrower ends the call). */
  async function borrowerHangsUp(callId: string): Promise<void> {
    const call = server.app.get(ConversationService).byCallId(callId)!;
    const borrower = call.liveParties().find((p) => p.role === 'outside')!;
    await server.ari.channels.hangup(borrower.channelId, 'normal');
  }

  /** The agent hangs up (their channel ends, as on a BYE from their phone; Asterisk sends the phone its BYE). */
  async function agentHangsUp(callId: string): Promise<void> {
    await server.ari.channels.hangup(server.app.get(ConversationService).byCallId(callId)!.partyOf(agent.id)!, 'normal');
  }

  const borrowerByes = (borrower: string) => byesToBorrower(carrier, borrower);

  const presenceOf = async (p: Person) => ((await server.request('GET', '/api/directory', { token: admin })).body as any[]).find((u) => u.id === p.id)?.presence;
  const onCall = async (p: Person) => (await server.request('GET', '/api/me', { token: p.token })).body.onCall as boolean;
  const monitorOf = async (callId: string) => ((await server.request('GET', '/api/calls/monitors', { token: manager.token })).body as any[]).find((m) => m.callId === callId);
  const byes = async (p: Person) => (await p.phone.receivedRequests('BYE')).length;

  /** Talks for 2 s from `who`; returns how many loud packets each of the others heard meanwhile. */
  async function talk(who: RtpSink, ...listeners: RtpSink[]): Promise<number[]> {
    const from = Date.now();
    await who.talk(2000);
    await new Promise((r) => setTimeout(r, 300));
    return listeners.map((l) => l.audibleSince(from));
  }

  async function monitorRows(callId: string): Promise<any[]> {
    return eventually(async () => {
      const res = await server.request('GET', '/api/call-activity?pageSize=200', { token: admin });
      const rows = res.body.items.filter((r: any) => r.callId === callId && r.purpose === 'monitor');
      return rows.length && rows.every((r: any) => r.endedAt) ? rows : undefined;
    }, 20_000, 250);
  }

  function agentSocket(): Promise<{ notices: any[] }> {
    const notices: any[] = [];
    const socket = io(server.url, { auth: { token: agent.token }, transports: ['websocket'], reconnection: false, forceNew: true });
    socket.on('call:monitored', (n) => notices.push(n));
    sockets.push(socket);
    return new Promise((resolve) => socket.once('connect', () => resolve({ notices })));
  }

  beforeAll(async () => {
    server = await startServer();
    admin = await server.login();
    orgId = (await server.request('GET', '/api/org', { token: admin })).body.id;
    await server.ari.waitUntilUp(15_000);
    await server.request('PATCH', '/api/org', { token: admin, body: { orgNumber: '+18005550100' } });
    borrowerEars = await sink(sinkPort(9), IT_TRUNK_HOST);
    // The borrower answers and stays on the line until the test hangs the call up.
    carrier = await startSipp({ scenario: 'borrower-answer', port: IT_PORTS.trunk, ip: IT_TRUNK_HOST, vars: { answer_ms: '200' }, rtpSinkPort: borrowerEars.port, traceDir, name: `carrier-${Date.now()}` });
    agent = await person(0, 'agent', 'Alice Agent');
    manager = await person(1, 'manager', 'Mary Manager');
  });

  // A test that failed half-way leaves no call behind for the next one.
  afterEach(async () => {
    for (const call of server.app.get(ConversationService).callsIn(orgId)) {
      for (const p of call.liveParties()) await server.ari.channels.hangup(p.channelId, 'normal');
    }
    await eventually(async () => (await server.request('GET', '/api/me', { token: agent.token })).body.onCall === false && (await server.request('GET', '/api/me', { token: manager.token })).body.onCall === false, 15_000);
  });

  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await Promise.all(sinks.map((s) => s.close()));
    await stopAllSipp();
    await server?.close();
  });

  it("a manager listens (hears both, heard by nobody), whispers (heard by the agent only), barges (heard by both); the call's end hangs the manager up; all on record", async () => {
    const { notices } = await agentSocket();
    const callId = await connectedCall('+15125550161');

    // Agents may not monitor; an unknown call and a call of another org are both 404.
    expect(await server.request('POST', `/api/calls/${callId}/monitor`, { token: agent.token, body: { mode: 'listen' } })).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    expect(await server.request('POST', '/api/calls/00000000-0000-4000-8000-000000000000/monitor', { token: manager.token, body: { mode: 'listen' } })).toMatchObject({ status: 404, body: { code: 'CALL_NOT_FOUND' } });
    expect(await server.request('POST', `/api/calls/${callId}/monitor`, { token: await otherOrgManager(), body: { mode: 'listen' } })).toMatchObject({ status: 404, body: { code: 'CALL_NOT_FOUND' } });
    expect(await server.request('POST', `/api/calls/${callId}/monitor`, { token: manager.token, body: { mode: 'eavesdrop' } })).toMatchObject({ status: 400 });

    const invites = (await manager.phone.receivedInvites()).length;
    const started = await server.request('POST', `/api/calls/${callId}/monitor`, { token: manager.token, body: { mode: 'listen' } });
    expect(started).toMatchObject({ status: 201, body: { callId, managerId: manager.id, agentId: agent.id, mode: 'listen', state: 'ringing' } });
    // The manager's own phone rings, showing whose call it joins.
    await eventually(async () => (await manager.phone.receivedInvites()).length === invites + 1, 10_000);
    expect((await manager.phone.receivedInvites())[invites].from).toMatch(/listen: Alice Agent/);
    await eventually(async () => (await monitorOf(callId))?.state === 'connected', 10_000);
    // The manager is on a call meanwhile (a second monitor is refused).
    expect((await server.request('POST', `/api/calls/${callId}/monitor`, { token: admin, body: { mode: 'listen' } })).status).toBe(409);

    // Listen: the manager hears the borrower and the agent; nobody hears the manager.
    await eventually(async () => (await talk(borrowerEars, manager.ears))[0] > HEARD, 15_000, 0);
    expect((await talk(agent.ears, manager.ears))[0]).toBeGreaterThan(HEARD);
    const [agentHeard, borrowerHeard] = await talk(manager.ears, agent.ears, borrowerEars);
    expect(agentHeard).toBeLessThan(SILENT);
    expect(borrowerHeard).toBeLessThan(SILENT);

    // Whisper: the agent hears the manager, the borrower does not; the manager still hears both.
    expect(await server.request('POST', `/api/calls/${callId}/monitor`, { token: manager.token, body: { mode: 'whisper' } })).toMatchObject({ status: 200, body: { mode: 'whisper' } });
    await eventually(async () => (await talk(manager.ears, agent.ears))[0] > HEARD, 15_000, 0);
    expect((await talk(manager.ears, borrowerEars))[0]).toBeLessThan(SILENT);
    expect((await talk(borrowerEars, manager.ears))[0]).toBeGreaterThan(HEARD);

    // Barge: both hear the manager.
    expect((await server.request('POST', `/api/calls/${callId}/monitor`, { token: manager.token, body: { mode: 'barge' } })).status).toBe(200);
    await eventually(async () => (await talk(manager.ears, borrowerEars))[0] > HEARD, 15_000, 0);
    expect((await talk(manager.ears, agent.ears))[0]).toBeGreaterThan(HEARD);

    // The call ends: the manager's phone is hung up (BYE), the monitor is over, the manager free.
    const managerByes = await byes(manager);
    await borrowerHangsUp(callId);
    await eventually(async () => (await byes(manager)) > managerByes, 10_000);
    await eventually(async () => (await monitorOf(callId)) === undefined, 10_000);
    await eventually(async () => (await server.request('GET', '/api/me', { token: manager.token })).body.onCall === false, 10_000);

    const [row] = await monitorRows(callId);
    expect(row).toMatchObject({ by: { id: manager.id }, result: 'completed', to: manager.extension, detail: expect.stringMatching(/^listen 0:00, whisper \d+:\d\d, barge \d+:\d\d on Alice Agent/) });
    expect(row.talkSeconds).toBeGreaterThan(3);
    // The org does not tell agents (the default): nothing reached the agent's dashboard.
    expect(notices).toEqual([]);
  });

  it('when the org tells agents, the agent sees the manager listening and leaving; the manager stops and the call goes on', async () => {
    expect((await server.request('PATCH', '/api/org', { token: admin, body: { monitorNoticeToAgent: true } })).body).toMatchObject({ monitorNoticeToAgent: true });
    const { notices } = await agentSocket();
    const callId = await connectedCall('+15125550162');
    expect((await server.request('POST', `/api/calls/${callId}/monitor`, { token: manager.token, body: { mode: 'listen' } })).status).toBe(201);
    await eventually(() => notices.find((n) => n.mode === 'listen'), 15_000);
    expect(notices[0]).toEqual({ callId, managerName: 'Mary Manager', mode: 'listen' });

    const managerByes = await byes(manager);
    const stopped = await server.request('DELETE', `/api/calls/${callId}/monitor`, { token: manager.token });
    expect(stopped).toMatchObject({ status: 200, body: { callId } });
    await eventually(async () => (await byes(manager)) > managerByes, 10_000);
    await eventually(() => notices.find((n) => n.mode === null), 10_000);
    expect(await server.request('DELETE', `/api/calls/${callId}/monitor`, { token: manager.token })).toMatchObject({ status: 404, body: { code: 'CALL_NOT_FOUND' } });
    // The agent and the borrower are still talking.
    expect((await talk(borrowerEars, agent.ears))[0]).toBeGreaterThan(HEARD);
    const [row] = await monitorRows(callId);
    expect(row).toMatchObject({ by: { id: manager.id }, result: 'completed', detail: expect.stringMatching(/^listen 0:00 on Alice Agent$/) });
    await borrowerHangsUp(callId);
    await eventually(async () => (await server.request('GET', '/api/me', { token: agent.token })).body.onCall === false, 10_000);
  });

  it("the tap follows the call when the agent hands it on; a manager's phone that hangs up or is busy ends the monitor; a manager cannot monitor their own call", async () => {
    const bob = await person(2, 'agent', 'Bob Colleague');
    const callId = await connectedCall('+15125550163');
    expect((await server.request('POST', `/api/calls/${callId}/monitor`, { token: manager.token, body: { mode: 'listen' } })).status).toBe(201);
    await eventually(async () => (await monitorOf(callId))?.state === 'connected', 10_000);
    await eventually(async () => (await talk(agent.ears, manager.ears))[0] > HEARD, 15_000, 0);

    // Alice hands the call to Bob: the manager now hears Bob (and still nobody hears the manager).
    expect((await server.request('POST', `/api/calls/${callId}/transfer`, { token: agent.token, body: { userId: bob.id } })).status).toBe(202);
    await eventually(async () => (await monitorOf(callId))?.agentId === bob.id, 15_000);
    await eventually(async () => (await talk(bob.ears, manager.ears))[0] > HEARD, 15_000, 0);
    const [bobHeard, borrowerHeard] = await talk(manager.ears, bob.ears, borrowerEars);
    expect(bobHeard).toBeLessThan(SILENT);
    expect(borrowerHeard).toBeLessThan(SILENT);

    // Two more managers monitor the same call at once: one's phone hangs up 1.5 s after answering, the other's is busy.
    const hangsUp = await person(3, 'manager', 'Max Manager');
    await hangsUp.phone.stop();
    await startSipp({ scenario: 'agent-hangup', port: port(3), vars: { answer_ms: '300', hangup_ms: '1500' }, rtpSinkPort: hangsUp.ears.port, traceDir, name: `max-${Date.now()}` });
    const busy = await person(4, 'manager', 'Bea Busy');
    await busy.phone.stop();
    await startSipp({ scenario: 'busy', port: port(4), vars: { answer_ms: '100' }, traceDir, name: `bea-${Date.now()}` });
    expect((await server.request('POST', `/api/calls/${callId}/monitor`, { token: hangsUp.token, body: { mode: 'barge' } })).status).toBe(201);
    expect((await server.request('POST', `/api/calls/${callId}/monitor`, { token: busy.token, body: { mode: 'listen' } })).status).toBe(201);
    await eventually(async () => {
      const list = (await server.request('GET', '/api/calls/monitors', { token: manager.token })).body as any[];
      return list.length === 1 && list[0].managerId === manager.id;
    }, 15_000);

    await borrowerHangsUp(callId);
    const rows = await monitorRows(callId);
    expect(rows).toHaveLength(3);
    expect(rows.find((r) => r.by.id === manager.id)).toMatchObject({ result: 'completed', detail: `listen 0:00 on Alice Agent, then Bob Colleague (${bob.extension})` });
    expect(rows.find((r) => r.by.id === hangsUp.id)).toMatchObject({ result: 'completed', detail: expect.stringMatching(/^barge 0:00 on Bob Colleague/) });
    expect(rows.find((r) => r.by.id === busy.id)).toMatchObject({ result: 'busy' });
    await eventually(async () => (await server.request('GET', '/api/me', { token: bob.token })).body.onCall === false, 10_000);

    // The manager's own call: nothing to monitor.
    const own = await server.request('POST', '/api/calls', { token: manager.token, body: { phone: '+15125550164' } });
    expect(own.status).toBe(201);
    await eventually(async () => ((await server.request('GET', '/api/calls/live', { token: manager.token })).body as any[]).find((c) => c.callId === own.body.callId), 15_000);
    expect(await server.request('POST', `/api/calls/${own.body.callId}/monitor`, { token: manager.token, body: { mode: 'listen' } })).toMatchObject({ status: 409, body: { code: 'CONFLICT' } });
  });

  it('the agent hangs up while a manager listens or whispers: the call ends (the borrower and the manager get a BYE); while a manager barges: the manager takes the call over', async () => {
    for (const [mode, borrower] of [['listen', '+15125550171'], ['whisper', '+15125550172']] as const) {
      const callId = await connectedCall(borrower);
      expect((await server.request('POST', `/api/calls/${callId}/monitor`, { token: manager.token, body: { mode } })).status).toBe(201);
      await eventually(async () => (await monitorOf(callId))?.state === 'connected', 10_000);
      const managerByes = await byes(manager);
      await agentHangsUp(callId);

      // The borrower never heard the manager: the call ends as it would without them.
      await eventually(async () => (await borrowerByes(borrower)) === 1, 10_000);
      await eventually(async () => (await byes(manager)) > managerByes, 10_000);
      await eventually(async () => (await monitorOf(callId)) === undefined, 10_000);
      const rows = await endedRowsOfCall(server, admin, callId, 3);
      expect(rows.find((r) => r.purpose === 'click_to_call_agent')).toMatchObject({ by: { id: agent.id }, result: 'completed' });
      expect(rows.find((r) => r.purpose === 'borrower')).toMatchObject({ to: borrower, result: 'completed' });
      expect(rows.find((r) => r.purpose === 'monitor')).toMatchObject({ by: { id: manager.id }, result: 'completed', detail: `${mode} 0:00 on Alice Agent` });
      await eventually(async () => !(await onCall(agent)) && !(await onCall(manager)) && (await presenceOf(agent)) === 'available', 10_000);
    }

    // Barging: the borrower has been talking to the manager too. The agent leaves: the manager keeps the borrower.
    const borrower = '+15125550173';
    const callId = await connectedCall(borrower);
    expect((await server.request('POST', `/api/calls/${callId}/monitor`, { token: manager.token, body: { mode: 'barge' } })).status).toBe(201);
    await eventually(async () => (await talk(manager.ears, borrowerEars))[0] > HEARD, 15_000, 0);
    const managerByes = await byes(manager);
    await agentHangsUp(callId);

    // The call is the manager's now: a party of it (instead of the agent), no longer a monitor; the agent is free.
    const live = await eventually(async () => {
      const call = ((await server.request('GET', '/api/calls/live', { token: manager.token })).body as any[]).find((c) => c.callId === callId);
      return call?.parties.length === 2 && call.parties.some((p: any) => p.userId === manager.id) ? call : undefined;
    }, 10_000);
    expect(live.parties.map((p: any) => p.userId ?? p.number).sort()).toEqual([manager.id, borrower].sort());
    await eventually(async () => (await monitorOf(callId)) === undefined, 10_000);
    await eventually(async () => !(await onCall(agent)) && (await presenceOf(agent)) === 'available', 10_000);
    expect(await onCall(manager)).toBe(true);
    // The manager and the borrower still hear each other; nobody was hung up.
    expect((await talk(borrowerEars, manager.ears))[0]).toBeGreaterThan(HEARD);
    expect((await talk(manager.ears, borrowerEars))[0]).toBeGreaterThan(HEARD);
    expect(await borrowerByes(borrower)).toBe(0);
    expect(await byes(manager)).toBe(managerByes);

    // The borrower hangs up: the manager's phone gets its BYE, the manager is free, every row is closed.
    await borrowerHangsUp(callId);
    await eventually(async () => (await byes(manager)) > managerByes, 10_000);
    await eventually(async () => !(await onCall(manager)) && (await presenceOf(manager)) === 'available', 10_000);
    const rows = await endedRowsOfCall(server, admin, callId, 3);
    expect(rows.find((r) => r.purpose === 'click_to_call_agent')).toMatchObject({ by: { id: agent.id }, result: 'completed' });
    expect(rows.find((r) => r.purpose === 'borrower')).toMatchObject({ to: borrower, result: 'completed' });
    const managerRow = rows.find((r) => r.purpose === 'monitor');
    expect(managerRow).toMatchObject({ by: { id: manager.id }, result: 'completed', detail: expect.stringMatching(/^barge 0:00 on Alice Agent; took the call over \d+:\d\d$/) });
    expect(managerRow.talkSeconds).toBeGreaterThanOrEqual(4);
  });

  /** A manager of a second org. */
  async function otherOrgManager(): Promise<string> {
    const other = await createUser(server, admin, { role: 'manager', name: 'Olga Otherorg' });
    await moveToNewOrg(server, other.id);
    return loginAs(server, other);
  }
});
