// Attended transfer from the agent's own desk phone against a real Asterisk 22: the agent's SIPp
// phone (a registered SIP desk phone) holds the borrower, calls a colleague's extension from the
// same phone, and then sends REFER with Replaces naming that consult call (tests/sipp/agent-attended.xml).
// What each party hears is measured on the wire: every phone's SDP points at a UDP socket of this
// test (tests/harness/rtp.ts) that receives Asterisk's audio and can talk back.
import type { ClientToServerEvents, Presence, ServerToClientEvents } from '@leadline/contracts';
import * as path from 'node:path';
import { io, Socket } from 'socket.io-client';
import { ConversationService } from '../../apps/server/src/telephony/conversation/conversation.service';
import { createUser, CreatedUser, loginAs } from '../factories';
import { endedRowsOfCall } from '../harness/call-activity';
import { IT_DIR, IT_PORT_BASE, IT_PORTS, IT_TRUNK_HOST, itAsteriskOptions } from '../harness/it-env';
import { RtpSink, startRtpSink } from '../harness/rtp';
import { eventually, startServer, TestServer } from '../harness/server';
import { SippHandle, SipMessage, startSipp, stopAllSipp } from '../harness/sipp';

// This suite's ports: SIPp phones IT_PORT_BASE + 590..592 and 594, RTP sinks + 595..599.
const port = (n: number) => IT_PORT_BASE + 590 + n;
const sinkPort = (n: number) => IT_PORT_BASE + 595 + n;
const traceDir = path.join(IT_DIR, 'sipp-attended-transfer');

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
type Person = CreatedUser & { token: string; ears: RtpSink };

describe('Attended transfer from the desk phone (real Asterisk + SIPp)', () => {
  let server: TestServer;
  let admin: string;
  let borrowerEars: RtpSink;
  let a: Person & { sip: { username: string; password: string } };
  const presence: Presence[] = [];
  const sinks: RtpSink[] = [];
  const sockets: Client[] = [];
  let calls = 0;

  const sink = async (p: number, host?: string) => {
    const s = await startRtpSink(p, host);
    sinks.push(s);
    return s;
  };
  const onCall = async (p: Person) => (await server.request('GET', '/api/me', { token: p.token })).body.onCall as boolean;
  const callIdOf = (m: SipMessage) => m.headers.get('call-id')?.[0] ?? '';

  /** A colleague with a static-IP phone (SIPp `scenario`) whose audio lands in their own RTP sink. */
  async function colleague(n: number, name: string, scenario: string, vars: Record<string, string>): Promise<Person & { phone: SippHandle }> {
    const ears = await sink(sinkPort(n));
    const phone = await startSipp({ scenario, port: port(n), vars, rtpSinkPort: ears.port, traceDir, name: `${name.split(' ')[0]}-${Date.now()}` });
    const user = await createUser(server, admin, { workPhoneType: 'static_ip', workPhone: `127.0.0.1:${port(n)}`, name });
    const token = await loginAs(server, user);
    await server.request('PATCH', '/api/me/session', { token, body: { loggedIn: true, callsOn: true } });
    return { ...user, token, ears, phone };
  }

  /** A's desk phone for one call: holds after hold_ms, consults `consult`, then REFERs (or not). */
  function agentPhone(vars: Record<string, string>): Promise<SippHandle> {
    return startSipp({
      scenario: 'agent-attended',
      port: port(0),
      vars: { answer_ms: '300', hold_ms: '1500', consult_ms: '300', ...vars },
      rtpSinkPort: a.ears.port,
      extraArgs: ['-m', '1', '-s', a.sip.username, '-au', a.sip.username, '-ap', a.sip.password, '-trace_logs', '-log_file', path.join(traceDir, `alice-${++calls}.log`)],
      traceDir,
      name: `alice-${calls}-${Date.now()}`,
    });
  }

  /** Talks for 2 s from `who`; how many loud packets each listener heard meanwhile. */
  async function talk(who: RtpSink, ...listeners: RtpSink[]): Promise<number[]> {
    const from = Date.now();
    await who.talk(2000);
    await new Promise((r) => setTimeout(r, 300));
    return listeners.map((l) => l.audibleSince(from));
  }

  /** The borrower hangs up (Asterisk sends the carrier its BYE, as when the borrower ends the call). */
  async function borrowerHangsUp(callId: string): Promise<void> {
    const borrower = server.app.get(ConversationService).byCallId(callId)!.liveParties().find((p) => p.role === 'outside')!;
    await server.ari.channels.hangup(borrower.channelId, 'normal');
  }

  const rowsOf = (callId: string, count: number) => endedRowsOfCall(server, admin, callId, count);

  beforeAll(async () => {
    // Calls placed from a desk phone reach the app named in the test Asterisk's dialplan.
    server = await startServer({ ARI_APP: itAsteriskOptions().ariApp });
    admin = await server.login();
    await server.ari.waitUntilUp(15_000);
    await server.request('PATCH', '/api/org', { token: admin, body: { orgNumber: '+18005550100' } });
    borrowerEars = await sink(sinkPort(3), IT_TRUNK_HOST);
    // The borrower answers and stays until hung up (the tests end each call themselves).
    await startSipp({ scenario: 'borrower-answer', port: IT_PORTS.trunk, ip: IT_TRUNK_HOST, vars: { answer_ms: '200' }, rtpSinkPort: borrowerEars.port, traceDir, name: `carrier-${Date.now()}` });

    const created = await createUser(server, admin, { workPhoneType: 'sip_desk', name: 'Alice Agent' });
    const token = await loginAs(server, created);
    await server.request('PATCH', '/api/me/session', { token, body: { loggedIn: true, callsOn: true } });
    a = { ...created, token, ears: await sink(sinkPort(0)), sip: { username: created.sipAccount!.username, password: created.sipAccount!.password! } };
    // A's phone registers from its own port (and stays registered after this SIPp exits).
    const reg = await startSipp({ scenario: 'phone-register', port: port(0), remote: `127.0.0.1:${IT_PORTS.sip}`, extraArgs: ['-m', '1', '-s', a.sip.username, '-au', a.sip.username, '-ap', a.sip.password], traceDir, name: `alice-register-${Date.now()}` });
    await reg.cleanExit();

    const socket: Client = io(server.url, { auth: { token: a.token }, transports: ['websocket'], reconnection: false, forceNew: true });
    socket.on('presence', (p) => presence.push(p));
    sockets.push(socket);
    await new Promise((r) => socket.once('connect', () => r(undefined)));
  });

  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await Promise.all(sinks.map((s) => s.close()));
    await stopAllSipp();
    await server?.close();
  });

  it("the agent's phone holds the borrower, calls a colleague's extension, then transfers (REFER with Replaces): the borrower and the colleague talk, the agent's phone is told it worked and both its calls end", async () => {
    const b = await colleague(1, 'Bob Colleague', 'agent-silent', { answer_ms: '300' });
    const aPhone = await agentPhone({ consult: b.extension as string, refer_ms: '1500' });
    const borrower = '+15125550152';
    const from = Date.now();
    const res = await server.request('POST', '/api/calls', { token: a.token, body: { phone: borrower } });
    expect(res.status).toBe(201);
    const callId = res.body.callId as string;

    // A's phone saw NOTIFY "SIP/2.0 200" and Asterisk's BYE on both of its dialogs (exit 0).
    await aPhone.cleanExit();
    const notifies = await aPhone.receivedRequests('NOTIFY');
    expect(notifies.map((n) => n.body).join('\n')).toMatch(/SIP\/2\.0 200/);
    const byes = (await aPhone.receivedRequests('BYE')).map(callIdOf);
    expect(byes.filter((id) => id.startsWith('consult///'))).toHaveLength(1);
    expect(byes.filter((id) => !id.startsWith('consult///'))).toHaveLength(1);
    // While A held and consulted, the borrower heard music on hold.
    expect(borrowerEars.audibleSince(from)).toBeGreaterThan(25);
    // B's phone rang once (the consult call), and that same call is now the borrower's.
    expect(await b.phone.receivedInvites()).toHaveLength(1);
    await eventually(async () => !(await onCall(a)) && (await onCall(b)), 10_000);
    await eventually(() => presence[presence.length - 1]?.state === 'available', 10_000);

    // The borrower and B hear each other; the music has stopped.
    await new Promise((r) => setTimeout(r, 500));
    const quiet = Date.now();
    await new Promise((r) => setTimeout(r, 1000));
    expect(borrowerEars.audibleSince(quiet)).toBeLessThan(5);
    const [bHeard] = await talk(borrowerEars, b.ears);
    expect(bHeard).toBeGreaterThan(50);
    const [borrowerHeard] = await talk(b.ears, borrowerEars);
    expect(borrowerHeard).toBeGreaterThan(50);

    // The borrower hangs up: the call ends, and call activity tells the story on the borrower's call.
    await borrowerHangsUp(callId);
    await eventually(async () => !(await onCall(b)), 15_000);
    const rows = await rowsOf(callId, 3);
    expect(rows.find((r) => r.purpose === 'click_to_call_agent')).toMatchObject({ by: { id: a.id }, result: 'transferred' });
    expect(rows.find((r) => r.purpose === 'borrower')).toMatchObject({ to: borrower, result: 'completed' });
    const bRow = rows.find((r) => r.by?.id === b.id);
    expect(bRow).toMatchObject({ purpose: 'internal', result: 'completed', detail: 'joined by attended transfer from Alice Agent' });
    expect(bRow.talkSeconds).toBeGreaterThanOrEqual(4);
    // The consult call keeps its own rows: A's phone leg ended as transferred.
    const consult = (await server.request('GET', '/api/call-activity?pageSize=200', { token: admin })).body.items.filter((r: any) => r.purpose === 'desk_phone' && r.to === b.extension);
    expect(consult).toHaveLength(1);
    expect(consult[0]).toMatchObject({ by: { id: a.id }, result: 'transferred' });
  });


  it('the colleague hangs up during the consult call: the borrower stays on hold with the agent, who resumes and talks to them', async () => {
    // C answers the consult call; A resumes 4 s after C has gone, talks 4 s, hangs up.
    const c = await colleague(2, 'Carol Colleague', 'agent-silent', { answer_ms: '300' });
    const aPhone = await agentPhone({ consult: c.extension as string, resume_ms: '4000', talk_ms: '4000' });
    const borrower = '+15125550153';
    const res = await server.request('POST', '/api/calls', { token: a.token, body: { phone: borrower } });
    expect(res.status).toBe(201);
    const callId = res.body.callId as string;

    // C is on the consult call with A; C hangs up (their channel ends, as on a BYE from the phone).
    const calls = server.app.get(ConversationService);
    const cChannel = await eventually(async () => calls.callsOf(c.id)[0]?.partyOf(c.id) ?? undefined, 15_000);
    await new Promise((r) => setTimeout(r, 500));
    await server.ari.channels.hangup(cChannel, 'normal');

    // The borrower's call is still A's, held (music on hold).
    await eventually(async () => !(await onCall(c)), 10_000);
    const conversation = calls.byCallId(callId)!;
    expect(conversation.isHeld).toBe(true);
    expect(conversation.liveParties().map((p) => p.userId ?? p.role).sort()).toEqual([a.id, 'outside'].sort());
    // (The hold music is a chime, ~1.3 s on and ~1.2 s off: listen for 2.5 s.)
    const held = Date.now();
    await new Promise((r) => setTimeout(r, 2500));
    expect(conversation.isHeld).toBe(true);
    expect(borrowerEars.audibleSince(held)).toBeGreaterThan(25);
    expect(await onCall(a)).toBe(true);

    // A resumes: the music stops and A and the borrower hear each other.
    await eventually(() => !conversation.isHeld, 10_000);
    await new Promise((r) => setTimeout(r, 300));
    const [aHeard] = await talk(borrowerEars, a.ears);
    expect(aHeard).toBeGreaterThan(50);
    const [borrowerHeard] = await talk(a.ears, borrowerEars);
    expect(borrowerHeard).toBeGreaterThan(50);

    // A hangs up: the call ends as an ordinary one (nothing transferred).
    await aPhone.cleanExit();
    await eventually(async () => !(await onCall(a)), 10_000);
    const rows = await rowsOf(callId, 2);
    expect(rows.find((r) => r.purpose === 'click_to_call_agent')).toMatchObject({ by: { id: a.id }, result: 'completed' });
    expect(rows.find((r) => r.purpose === 'borrower')).toMatchObject({ to: borrower, result: 'completed' });
    expect(rows.filter((r) => r.purpose === 'transfer' || r.by?.id === c.id)).toEqual([]);
    const consult = (await server.request('GET', '/api/call-activity?pageSize=200', { token: admin })).body.items.filter((r: any) => r.purpose === 'desk_phone' && r.to === c.extension);
    expect(consult).toHaveLength(1);
    expect(consult[0]).toMatchObject({ by: { id: a.id }, result: 'completed' });
  });

  it('the agent hangs up the consult call before transferring: the colleague gets a BYE, the borrower stays on hold with the agent, who resumes; nothing is transferred', async () => {
    // A's phone: holds, calls D; when the consult call ends it resumes 4 s later, talks 6 s, hangs up.
    const d = await colleague(4, 'Dina Colleague', 'agent-silent', { answer_ms: '300' });
    const aPhone = await agentPhone({ consult: d.extension as string, resume_ms: '4000', talk_ms: '6000' });
    const borrower = '+15125550154';
    const res = await server.request('POST', '/api/calls', { token: a.token, body: { phone: borrower } });
    expect(res.status).toBe(201);
    const callId = res.body.callId as string;

    // A and D talk on the consult call; A hangs it up (A's leg of it ends: Asterisk sends D's phone, and A's consult dialog, a BYE).
    const calls = server.app.get(ConversationService);
    const consult = await eventually(async () => calls.callsOf(d.id)[0], 15_000);
    const dByes = (await d.phone.receivedRequests('BYE')).length;
    const held = Date.now();
    await server.ari.channels.hangup(consult.partyOf(a.id)!, 'normal');
    await eventually(async () => (await d.phone.receivedRequests('BYE')).length === dByes + 1, 10_000);
    await eventually(async () => !(await onCall(d)), 10_000);

    // The borrower's call is untouched: still A's, held (music), until A's phone resumes.
    const conversation = calls.byCallId(callId)!;
    expect(conversation.liveParties().map((p) => p.userId ?? p.role).sort()).toEqual([a.id, 'outside'].sort());
    expect(conversation.isHeld).toBe(true);
    // (The hold music is a chime, ~1.3 s on and ~1.2 s off: 4 s of it until the phone resumes.)
    await eventually(() => !conversation.isHeld, 10_000);
    expect(borrowerEars.audibleSince(held)).toBeGreaterThan(25);
    // (A's RTP sink served the consult call too, and talks back to where Asterisk last sent from: a
    // first talk may still go to the consult call's ended leg, so talk until the borrower hears A.)
    await eventually(async () => (await talk(a.ears, borrowerEars))[0] > 50, 5_000, 0);

    await aPhone.cleanExit();
    await eventually(async () => !(await onCall(a)) && presence[presence.length - 1]?.state === 'available', 10_000);
    const rows = await rowsOf(callId, 2);
    expect(rows.find((r) => r.purpose === 'click_to_call_agent')).toMatchObject({ by: { id: a.id }, result: 'completed' });
    expect(rows.find((r) => r.purpose === 'borrower')).toMatchObject({ to: borrower, result: 'completed' });
    expect(rows.filter((r) => r.purpose === 'transfer' || r.by?.id === d.id)).toEqual([]);
    const consultRows = (await server.request('GET', '/api/call-activity?pageSize=200', { token: admin })).body.items.filter((r: any) => r.callId === consult.callId);
    expect(consultRows.find((r: any) => r.purpose === 'desk_phone')).toMatchObject({ by: { id: a.id }, to: d.extension, result: 'completed' });
    expect(consultRows.find((r: any) => r.by?.id === d.id)).toMatchObject({ purpose: 'internal', result: 'completed' });
  });
});
