// Hold and transfer on a connected call against a real Asterisk 22: SIPp plays the agents' desk
// phones and the borrower behind the carrier trunk. What the borrower hears is measured on the
// wire: the carrier's SDP points at a UDP socket of this test (tests/harness/rtp.ts), which decodes
// the µ-law audio Asterisk sends the borrower. Neither test phone sends audio, so anything loud the
// borrower receives is Asterisk's music on hold (asterisk-config/sounds/moh); a silent line is not
// counted (SIPp's own RTP statistics count packets, silence included, so they could not tell).
import * as path from 'node:path';
import { ConversationService } from '../../apps/server/src/telephony/conversation/conversation.service';
import { createUser, CreatedUser, loginAs } from '../factories';
import { endedRowsOfCall } from '../harness/call-activity';
import { byesToBorrower } from '../harness/carrier';
import { IT_DIR, IT_PORT_BASE, IT_PORTS, IT_TRUNK_HOST } from '../harness/it-env';
import { RtpSink, startRtpSink } from '../harness/rtp';
import { eventually, startServer, TestServer } from '../harness/server';
import { SippHandle, startSipp, stopAllSipp } from '../harness/sipp';

// This suite's ports: SIPp phones IT_PORT_BASE + 570..575, the borrower's RTP sink + 580.
const port = (n: number) => IT_PORT_BASE + 570 + n;
const SINK_PORT = IT_PORT_BASE + 580;
const traceDir = path.join(IT_DIR, 'sipp-transfer-hold');
const ORG_NUMBER = '+18005550100';

type Agent = CreatedUser & { token: string };

describe('Hold and transfer (real Asterisk + SIPp)', () => {
  let server: TestServer;
  let admin: string;
  let carrier: SippHandle;
  let sink: RtpSink;
  let b: Agent & { phone: SippHandle };

  const agent = async (workPort: number, name: string): Promise<Agent> => {
    const user = await createUser(server, admin, { workPhoneType: 'static_ip', workPhone: `127.0.0.1:${workPort}`, name });
    const token = await loginAs(server, user);
    await server.request('PATCH', '/api/me/session', { token, body: { loggedIn: true, callsOn: true } });
    return { ...user, token };
  };
  const onCall = async (a: Agent) => (await server.request('GET', '/api/me', { token: a.token })).body.onCall as boolean;
  const invitesTo = async (phone: string) => (await carrier.receivedInvites()).filter((i) => i.requestUri.includes(phone)).length;

  const rowsOf = (callId: string, count: number) => endedRowsOfCall(server, admin, callId, count);
  const presenceOf = async (a: Agent) => ((await server.request('GET', '/api/directory', { token: admin })).body as any[]).find((u) => u.id === a.id)?.presence;

  const borrowerByes = (borrower: string) => byesToBorrower(carrier, borrower);

  /** A's desk phone for one call: presses Transfer (blind) to `referTo` and hangs up as soon as the REFER is accepted. */
  const quickTransferPhone = (referTo: string) =>
    startSipp({ scenario: 'agent-refer', port: port(0), vars: { answer_ms: '300', refer_ms: '2500', refer_to: referTo, bye_on_accept: '1' }, extraArgs: ['-m', '1'], traceDir, name: `agent-quick-${Date.now()}` });

  /** From here on the borrower stays until the test hangs them up (the 9 s of the first tests would cut the next ones short). */
  async function patientBorrower(): Promise<void> {
    await carrier.stop();
    carrier = await startSipp({ scenario: 'borrower-answer', port: IT_PORTS.trunk, ip: IT_TRUNK_HOST, vars: { answer_ms: '200' }, rtpSinkPort: SINK_PORT, traceDir, name: `carrier-patient-${Date.now()}` });
  }

  beforeAll(async () => {
    server = await startServer();
    admin = await server.login();
    await server.ari.waitUntilUp(15_000);
    await server.request('PATCH', '/api/org', { token: admin, body: { orgNumber: ORG_NUMBER } });
    sink = await startRtpSink(SINK_PORT, IT_TRUNK_HOST);
    // The borrower answers and hangs up 9 s later, whoever they are talking to by then.
    carrier = await startSipp({ scenario: 'borrower-answer', port: IT_PORTS.trunk, ip: IT_TRUNK_HOST, vars: { answer_ms: '200', talk_ms: '9000' }, rtpSinkPort: SINK_PORT, traceDir, name: `carrier-${Date.now()}` });
    const phone = await startSipp({ scenario: 'agent-silent', port: port(1), vars: { answer_ms: '300' }, traceDir, name: `colleague-b-${Date.now()}` });
    b = { ...(await agent(port(1), 'Bob Colleague')), phone };
  });

  afterAll(async () => {
    await sink?.close();
    await stopAllSipp();
    await server?.close();
  });

  it("the agent's phone holds (the borrower hears music on hold), then Transfer (blind REFER) to a colleague's extension: the borrower keeps the call, the colleague gets it, the agent is free", async () => {
    const a = await agent(port(0), 'Alice Agent');
    // A's desk phone: answers, holds 1.5 s later, presses Transfer to B's extension 2.5 s after that, hangs up on NOTIFY 200.
    const aPhone = await startSipp({
      scenario: 'agent-refer',
      port: port(0),
      vars: { answer_ms: '300', hold_ms: '1500', refer_ms: '2500', refer_to: b.extension as string },
      extraArgs: ['-m', '1'],
      traceDir,
      name: `agent-a-${Date.now()}`,
    });
    const borrower = '+15125550142';
    const from = Date.now();
    const res = await server.request('POST', '/api/calls', { token: a.token, body: { phone: borrower } });
    expect(res.status).toBe(201);

    // The agent's phone ended its own call once the transfer succeeded (exit 0 = NOTIFY 200 then BYE).
    await aPhone.cleanExit();
    // While A held, the borrower heard music: dozens of loud 20 ms packets (nobody else sends audio).
    expect(sink.audibleSince(from)).toBeGreaterThan(25);
    // B's phone rang once, the borrower's call was never redialled, and it is B's now.
    expect(await b.phone.receivedInvites()).toHaveLength(1);
    // The colleague's phone shows whom they are about to talk to and who hands the call on.
    expect((await b.phone.receivedInvites())[0].from).toMatch(/via Alice Agent.*\+15125550142/);
    expect(await invitesTo(borrower)).toBe(1);
    await eventually(async () => !(await onCall(a)) && (await onCall(b)), 5_000);

    // The borrower hangs up (9 s after answering): B is free, the rows tell the story.
    await eventually(async () => !(await onCall(b)), 15_000);
    const rows = await rowsOf(res.body.callId, 3);
    expect(rows.find((r) => r.purpose === 'transfer')).toMatchObject({ result: 'completed', by: { id: b.id }, detail: expect.stringContaining('from the phone') });
    expect(rows.find((r) => r.purpose === 'borrower')).toMatchObject({ to: borrower, result: 'completed' });
    expect(rows.find((r) => r.purpose === 'click_to_call_agent')).toMatchObject({ by: { id: a.id }, result: 'transferred' });
  });

  it("Transfer on the phone to a number the dialling policy refuses: declined, the call stays, a refused transfer row says why", async () => {
    const d = await agent(port(3), 'Dan Agent');
    const dPhone = await startSipp({
      scenario: 'agent-refer',
      port: port(3),
      vars: { answer_ms: '300', refer_ms: '1500', refer_to: '011442079460000' },
      extraArgs: ['-m', '1'],
      traceDir,
      name: `agent-d-${Date.now()}`,
    });
    const borrower = '+15125550144';
    const res = await server.request('POST', '/api/calls', { token: d.token, body: { phone: borrower } });
    expect(res.status).toBe(201);
    // The REFER was declined (NOTIFY with a failure): D stays on the call until the borrower hangs up (9 s).
    await dPhone.cleanExit();
    const rows = await rowsOf(res.body.callId, 3);
    expect(rows.find((r) => r.purpose === 'transfer')).toMatchObject({ result: 'refused', to: '011442079460000', detail: expect.stringMatching(/outside the US and Canada/) });
    expect(rows.find((r) => r.purpose === 'click_to_call_agent')).toMatchObject({ by: { id: d.id }, result: 'completed' });
    expect(rows.find((r) => r.purpose === 'borrower')).toMatchObject({ result: 'completed' });
    expect(rows.find((r) => r.purpose === 'borrower').talkSeconds).toBeGreaterThanOrEqual(7);
    // Nothing but the borrower was dialled.
    expect((await carrier.receivedInvites()).filter((i) => i.requestUri.includes('011442079460000') || i.requestUri.includes('+44'))).toEqual([]);
  });

  it('from the dashboard: hold and resume (music only while held), a refused transfer changes nothing, a transfer to a colleague moves the borrower', async () => {
    const c = await agent(port(2), 'Carol Agent');
    await startSipp({ scenario: 'agent-silent', port: port(2), vars: { answer_ms: '300' }, traceDir, name: `agent-c-${Date.now()}` });
    const borrower = '+15125550143';
    const res = await server.request('POST', '/api/calls', { token: c.token, body: { phone: borrower } });
    expect(res.status).toBe(201);
    const callId = res.body.callId as string;
    const live = await eventually(async () => {
      const list = (await server.request('GET', '/api/calls/live', { token: c.token })).body;
      return Array.isArray(list) && list.length === 1 ? list[0] : undefined;
    }, 10_000);
    expect(live.callId).toBe(callId);

    // Someone else's call: 404, like an unknown one.
    expect((await server.request('POST', `/api/calls/${callId}/hold`, { token: b.token })).body).toMatchObject({ code: 'CALL_NOT_FOUND' });

    const quietFrom = Date.now();
    await new Promise((r) => setTimeout(r, 1500));
    expect(sink.audibleSince(quietFrom)).toBeLessThan(5);

    const held = await server.request('POST', `/api/calls/${callId}/hold`, { token: c.token });
    expect(held.status).toBe(200);
    const heldAt = Date.now();
    await new Promise((r) => setTimeout(r, 2000));
    expect(sink.audibleSince(heldAt)).toBeGreaterThan(25);

    expect((await server.request('POST', `/api/calls/${callId}/resume`, { token: c.token })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    const resumedAt = Date.now();
    await new Promise((r) => setTimeout(r, 1500));
    expect(sink.audibleSince(resumedAt)).toBeLessThan(5);

    // A number the dialling policy refuses: 403 with the reason; nothing rings, C stays on the call.
    const refused = await server.request('POST', `/api/calls/${callId}/transfer`, { token: c.token, body: { phone: '+44 20 7946 0000' } });
    expect(refused).toMatchObject({ status: 403, body: { code: 'DIALLING_REFUSED', message: expect.stringMatching(/outside the US and Canada/) } });
    expect((await server.request('POST', `/api/calls/${callId}/transfer`, { token: c.token, body: {} })).status).toBe(400);
    expect((await server.request('POST', `/api/calls/${callId}/transfer`, { token: c.token, body: { phone: '911' } })).body).toMatchObject({ code: 'DIALLING_REFUSED' });
    const away = await createUser(server, admin, { workPhoneType: 'static_ip', workPhone: '127.0.0.1:9', name: 'Erin Away' });
    expect(await server.request('POST', `/api/calls/${callId}/transfer`, { token: c.token, body: { userId: away.id } })).toMatchObject({ status: 409, body: { code: 'AGENT_UNAVAILABLE' } });
    expect(await onCall(c)).toBe(true);

    const bInvites = (await b.phone.receivedInvites()).length;
    const moved = await server.request('POST', `/api/calls/${callId}/transfer`, { token: c.token, body: { userId: b.id } });
    expect(moved).toMatchObject({ status: 202, body: { callId, transferringTo: expect.stringContaining('Bob Colleague') } });
    await eventually(async () => (await b.phone.receivedInvites()).length === bInvites + 1 && !(await onCall(c)) && (await onCall(b)), 10_000);
    expect(await invitesTo(borrower)).toBe(1);

    await eventually(async () => !(await onCall(b)), 15_000);
    const rows = await rowsOf(callId, 6);
    // Every refused attempt is on record with the reason: the number typed, 911, the colleague's extension.
    const refusedRows = rows.filter((r) => r.purpose === 'transfer' && r.result === 'refused');
    expect(refusedRows.map((r) => r.to).sort()).toEqual(['+44 20 7946 0000', '911', away.extension].sort());
    expect(refusedRows.find((r) => r.to === away.extension).detail).toMatch(/not taking calls/);
    expect(rows.find((r) => r.purpose === 'transfer' && r.result === 'completed')).toMatchObject({ by: { id: b.id }, detail: expect.stringContaining('from the dashboard') });
  });

  it('the agent hangs up while the borrower is on hold: the borrower is hung up too (no music left playing), every row closes, the agent is free', async () => {
    const d = await agent(port(3), 'Dave Quitter');
    await startSipp({ scenario: 'agent-silent', port: port(3), vars: { answer_ms: '300' }, traceDir, name: `agent-d-${Date.now()}` });
    const res = await server.request('POST', '/api/calls', { token: d.token, body: { phone: '+15125550144' } });
    expect(res.status).toBe(201);
    const callId = res.body.callId as string;
    await eventually(async () => ((await server.request('GET', '/api/calls/live', { token: d.token })).body as unknown[]).length === 1, 10_000);
    expect((await server.request('POST', `/api/calls/${callId}/hold`, { token: d.token })).status).toBe(200);
    const heldAt = Date.now();
    await eventually(() => sink.audibleSince(heldAt) > 25, 5_000);

    // Dave hangs up (his channel ends, as on a BYE from the phone; a SIPp phone Asterisk has
    // re-INVITEd does not send its own BYE): the borrower, who would stay 9 s, is hung up, the music stops.
    const dChannel = await eventually(async () => server.app.get(ConversationService).callsOf(d.id)[0]?.partyOf(d.id) ?? undefined, 10_000);
    await server.ari.channels.hangup(dChannel, 'normal');
    await eventually(async () => !(await onCall(d)), 10_000, 200);
    const rows = await rowsOf(callId, 2);
    const borrowerLeg = rows.find((r) => r.purpose === 'borrower' || r.to === '+15125550144');
    expect(borrowerLeg.talkSeconds).toBeLessThan(8);
    await new Promise((r) => setTimeout(r, 500));
    const afterAt = Date.now();
    await new Promise((r) => setTimeout(r, 1500));
    expect(sink.audibleSince(afterAt)).toBeLessThan(5);
    expect((await server.request('GET', '/api/calls/live', { token: d.token })).body).toEqual([]);
  });

  it("the agent's phone hangs up while the colleague it transferred to still rings: the borrower hears music and waits; the colleague answers and gets the borrower; the agent was free at once and their leg ends transferred", async () => {
    await patientBorrower();
    const a = await agent(port(0), 'Alma Agent');
    const eve = await agent(port(4), 'Eve Colleague');
    // Eve's phone rings 3 s before she answers: A's phone is long gone by then.
    await startSipp({ scenario: 'agent-silent', port: port(4), vars: { answer_ms: '3000' }, traceDir, name: `colleague-eve-${Date.now()}` });
    const aPhone = await quickTransferPhone(eve.extension as string);
    const borrower = '+15125550145';
    const res = await server.request('POST', '/api/calls', { token: a.token, body: { phone: borrower } });
    expect(res.status).toBe(201);
    const callId = res.body.callId as string;

    // A's phone sent its BYE right after the REFER was accepted (exit 0), before Eve answered.
    await aPhone.cleanExit();
    const byeAt = Date.now();
    const eveCall = async () => ((await server.request('GET', '/api/calls/live', { token: eve.token })).body as any[]).find((c) => c.callId === callId);
    // The call waits for Eve with the borrower alone on it (A's leg is gone).
    const ringing = await eventually(async () => {
      const call = ((await server.request('GET', '/api/calls/live', { token: admin })).body as any[]).find((c) => c.callId === callId);
      return call?.parties.length === 1 ? call : undefined;
    }, 5_000);
    expect(ringing.parties.map((p: any) => p.number)).toEqual([borrower]);
    expect(ringing.transfer).toEqual({ target: expect.stringContaining('Eve Colleague') });
    await eventually(async () => !(await onCall(a)) && (await presenceOf(a)) === 'available', 5_000);

    // Eve answers: she and the borrower are on the call; meanwhile the borrower heard music on hold (nobody else sends audio).
    const live = await eventually(eveCall, 10_000);
    expect(live.parties.map((p: any) => p.userId ?? p.number).sort()).toEqual([eve.id, borrower].sort());
    expect(sink.audibleSince(byeAt)).toBeGreaterThan(25);
    expect(await borrowerByes(borrower)).toBe(0);
    expect(await invitesTo(borrower)).toBe(1);

    const borrowerChannel = server.app.get(ConversationService).byCallId(callId)!.liveParties().find((p) => p.role === 'outside')!.channelId;
    await server.ari.channels.hangup(borrowerChannel, 'normal');
    await eventually(async () => !(await onCall(eve)), 10_000);
    const rows = await rowsOf(callId, 3);
    expect(rows.find((r) => r.purpose === 'click_to_call_agent')).toMatchObject({ by: { id: a.id }, result: 'transferred' });
    expect(rows.find((r) => r.purpose === 'transfer')).toMatchObject({ by: { id: eve.id }, result: 'completed', detail: expect.stringContaining('from the phone') });
    expect(rows.find((r) => r.purpose === 'borrower')).toMatchObject({ to: borrower, result: 'completed' });
  });

  it("the agent's phone hangs up while the colleague it transferred to still rings, and the colleague's phone is busy: the borrower hears an apology, then is hung up; every row is closed", async () => {
    const a = await agent(port(0), 'Abe Agent');
    const fay = await agent(port(5), 'Fay Busy');
    // Fay's phone answers the transfer with 486 Busy Here after 1 s of ringing.
    const fayPhone = await startSipp({ scenario: 'busy', port: port(5), vars: { answer_ms: '1000' }, traceDir, name: `colleague-fay-${Date.now()}` });
    const aPhone = await quickTransferPhone(fay.extension as string);
    const borrower = '+15125550146';
    const res = await server.request('POST', '/api/calls', { token: a.token, body: { phone: borrower } });
    expect(res.status).toBe(201);
    const callId = res.body.callId as string;

    await aPhone.cleanExit();
    await eventually(async () => (await fayPhone.receivedInvites()).length === 1, 10_000);
    const busyFrom = Date.now();
    // The borrower is not left hanging: Asterisk hangs them up once the apology has played (4.5 s), not at once.
    await eventually(async () => (await borrowerByes(borrower)) === 1, 15_000, 100);
    expect(Date.now() - busyFrom).toBeGreaterThan(3500);
    expect(sink.audibleSince(busyFrom)).toBeGreaterThan(25);

    const rows = await rowsOf(callId, 3);
    expect(rows.find((r) => r.purpose === 'transfer')).toMatchObject({ result: 'busy', detail: expect.stringContaining('from the phone') });
    expect(rows.find((r) => r.purpose === 'click_to_call_agent')).toMatchObject({ by: { id: a.id }, result: 'completed' });
    expect(rows.find((r) => r.purpose === 'borrower')).toMatchObject({ to: borrower, result: 'completed' });
    await eventually(async () => !(await onCall(a)) && !(await onCall(fay)) && (await presenceOf(a)) === 'available', 10_000);
    expect((await server.request('GET', '/api/calls/live', { token: admin })).body).toEqual([]);
  });
});
