// Dial mode against a real Asterisk: SIPp plays the operators' phones and the leads behind the
// carrier trunk; the server runs with a clock the test moves (due times, calling windows).
import type { ClientToServerEvents, DialCallNotice, DialResultView, ServerToClientEvents } from '@leadline/contracts';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { io, Socket } from 'socket.io-client';
import { aLead, aPhone, createCampaign, createLeadStatus, createUser, dialQueue, grantDialAccess, loginAs, postLead, setDialSettings, setLeadStatus } from '../factories';
import { asterisk, IT_DIR, IT_PORT_BASE, IT_PORTS, IT_TRUNK_HOST } from '../harness/it-env';
import { ManualClock } from '../harness/manual-clock';
import { eventually, startServer, TestServer } from '../harness/server';
import { SippHandle, startSipp, stopAllSipp } from '../harness/sipp';

// This suite's SIPp ports: IT_PORT_BASE + 960..969.
const port = (n: number) => IT_PORT_BASE + 960 + n;
const traceDir = path.join(IT_DIR, 'sipp-dial-mode');
// Monday 11:00 in Texas: inside the default calling window everywhere on the mainland.
const MONDAY_17Z = '2026-11-23T17:00:00.000Z';
const plus = (minutes: number) => new Date(new Date(MONDAY_17Z).getTime() + minutes * 60_000).toISOString();
const ORG_NUMBER = '+18005550100';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

interface Operator {
  id: string;
  name: string;
  token: string;
  socket: ClientSocket;
  results: DialResultView[];
  calls: DialCallNotice[];
}

describe('dial mode calls (real Asterisk + SIPp)', () => {
  const clock = new ManualClock(MONDAY_17Z);
  let server: TestServer;
  let admin: string;
  let trunk: SippHandle | undefined;
  let phone: SippHandle;
  let operator: Operator;
  const sockets: ClientSocket[] = [];

  const startTrunk = async (scenario: string, vars: Record<string, string> = {}) => {
    await trunk?.stop();
    trunk = await startSipp({ scenario, port: IT_PORTS.trunk, ip: IT_TRUNK_HOST, vars, traceDir, name: `trunk-${scenario}-${Date.now()}` });
  };

  async function connect(token: string): Promise<ClientSocket> {
    const socket: ClientSocket = io(server.url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    sockets.push(socket);
    await new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(undefined));
      socket.once('connect_error', reject);
    });
    return socket;
  }

  async function newOperator(phoneFields: Record<string, unknown>): Promise<Operator> {
    const user = await createUser(server, admin, { role: 'agent', ...phoneFields });
    const token = await loginAs(server, user);
    await server.request('PATCH', '/api/me/session', { token, body: { loggedIn: true, callsOn: true } });
    const socket = await connect(token);
    const op: Operator = { id: user.id, name: user.name, token, socket, results: [], calls: [] };
    socket.on('dial:result', (r) => op.results.push(r));
    socket.on('dial:call', (c) => op.calls.push(c));
    return op;
  }

  async function queuedLead(campaign: { id: string; apiKey: string }, statusId: string, overrides: Record<string, unknown> = {}): Promise<{ id: string; phone: string }> {
    const posted = await postLead(server, campaign, aLead(overrides as never));
    const id = posted.body.Data.ProspectId as string;
    const change = await setLeadStatus(server, admin, id, statusId);
    if (!change.queued) throw new Error(`lead ${id} was not queued`);
    const entry = (await dialQueue(server, admin, { campaignId: campaign.id })).find((e) => e.prospectId === id);
    return { id, phone: entry.lead.phone };
  }

  const entryOf = async (campaignId: string, prospectId: string) => (await dialQueue(server, admin, { campaignId })).find((e) => e.prospectId === prospectId);
  const next = (op: Operator, body: Record<string, unknown> = {}) => server.request('POST', '/api/dial-mode/next', { token: op.token, body });
  const free = (op: Operator) => eventually(async () => !(await server.request('GET', '/api/me', { token: op.token })).body.onCall, 20_000, 100);

  beforeAll(async () => {
    server = await startServer({}, { clock });
    admin = await server.login();
    await server.ari.waitUntilUp(15_000);
    await server.request('PATCH', '/api/org', { token: admin, body: { orgNumber: ORG_NUMBER } });
    phone = await startSipp({ scenario: 'agent-silent', port: port(1), vars: { answer_ms: '300' }, traceDir, name: `operator-${Date.now()}` });
    operator = await newOperator({ workPhoneType: 'static_ip', workPhone: `127.0.0.1:${port(1)}` });
  });

  afterEach(() => clock.set(MONDAY_17Z));

  afterAll(async () => {
    for (const s of sockets) s.close();
    await stopAllSipp();
    await server?.close();
  });

  it('busy lead: the operator answers, the lead is busy → no_answer with the retry time; retries until the attempts run out', async () => {
    await startTrunk('busy', { answer_ms: '200' });
    const campaign = await createCampaign(server, admin);
    const processing = await createLeadStatus(server, admin, campaign.id, 'Processing', 'new');
    const rejected = await createLeadStatus(server, admin, campaign.id, 'Rejected');
    await setDialSettings(server, admin, campaign.id, 'new', { retryDelayMinutes: 30, maxAttempts: 3, exhaustedStatusId: rejected.id });
    await grantDialAccess(server, admin, campaign.id, 'new', [operator.id]);
    const lead = await queuedLead(campaign, processing.id, { state: 'TX' });

    const first = await next(operator);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      lead: { prospectId: lead.id, mode: 'new', subState: 'unprocessed', attempts: 0, maxAttempts: 3, lockedBy: { id: operator.id, name: operator.name }, buttons: ['success', 'callback', 'no_answer', 'busy', 'dropped'] },
      call: { status: 'ringing_operator', to: lead.phone, callerId: { number: ORG_NUMBER, reason: 'org_number' } },
    });
    // The operator's phone rang first, showing the lead's number.
    const invite = await eventually(async () => (await phone.receivedInvites()).find((i) => `${i.from} ${i.pai ?? ''}`.includes(lead.phone)), 10_000, 100);
    expect(invite).toBeDefined();
    // While the operator holds it, nobody else gets it and they can't take another.
    expect((await entryOf(campaign.id, lead.id)).lockedBy).toMatchObject({ id: operator.id });
    expect((await next(operator)).body).toMatchObject({ code: 'DIAL_RESULT_PENDING' });

    // Asterisk reports busy: applied without the operator.
    const afterFirst = await eventually(async () => {
      const e = await entryOf(campaign.id, lead.id);
      return e?.subState === 'no_answer' ? e : undefined;
    }, 20_000, 100);
    expect(afterFirst).toMatchObject({ attempts: 1, dueAt: plus(30), callableAt: plus(30), lastResult: 'busy', lockedBy: null });
    await eventually(() => operator.results.length === 1, 5_000);
    expect(operator.results[0]).toMatchObject({ prospectId: lead.id, button: 'busy', by: 'asterisk', effect: 'requeued', subState: 'no_answer', dueAt: plus(30), attempts: 1 });
    expect(operator.calls.map((c) => c.status)).toEqual(['borrower_no_answer', 'ended']);
    expect(operator.calls[1]).toMatchObject({ callId: first.body.call.callId, leadResult: 'busy' });

    // Call activity: the operator's leg and the lead's busy leg, both on the lead.
    const legs = await eventually(async () => {
      const items = (await server.request('GET', `/api/call-activity?phone=${encodeURIComponent(lead.phone)}`, { token: admin })).body.items as any[];
      return items.length === 2 && items.every((l) => l.endedAt) ? items : undefined;
    }, 10_000, 100);
    expect(legs.find((l) => l.purpose === 'dial_mode_operator')).toMatchObject({ by: { id: operator.id }, prospectId: lead.id, result: 'completed' });
    expect(legs.find((l) => l.purpose === 'borrower')).toMatchObject({ by: { id: operator.id }, prospectId: lead.id, result: 'busy', from: ORG_NUMBER, to: lead.phone });
    await free(operator);

    // Not due yet: nothing to hand out, and the answer says when.
    expect((await next(operator)).body).toEqual({ lead: null, call: null, dialRefused: null, nextCallableAt: plus(30) });

    clock.advanceMinutes(30);
    expect((await next(operator)).body.lead).toMatchObject({ prospectId: lead.id, subState: 'no_answer', attempts: 1 });
    await eventually(async () => (await entryOf(campaign.id, lead.id))?.attempts === 2 || undefined, 20_000, 100);
    expect(await entryOf(campaign.id, lead.id)).toMatchObject({ subState: 'no_answer', dueAt: plus(60), lockedBy: null });
    await free(operator);

    // The third busy reaches the maximum: the lead leaves the queue for "Rejected".
    clock.advanceMinutes(30);
    expect((await next(operator)).body.lead).toMatchObject({ prospectId: lead.id, attempts: 2 });
    await eventually(() => operator.results.length === 3, 20_000, 100);
    expect(operator.results[2]).toMatchObject({ button: 'busy', by: 'asterisk', effect: 'left_queue', reason: 'max_attempts', attempts: 3, leadStatusId: rejected.id, movedTo: null });
    expect(await entryOf(campaign.id, lead.id)).toBeUndefined();
    await free(operator);
    expect((await next(operator)).body).toEqual({ lead: null, call: null, dialRefused: null, nextCallableAt: null });
  });

  it("the operator's buttons: callback at a time, success into another mode, do-not-call (over the socket too)", async () => {
    await startTrunk('borrower-answer', { answer_ms: '200', talk_ms: '2500' });
    const campaign = await createCampaign(server, admin);
    const processing = await createLeadStatus(server, admin, campaign.id, 'Processing', 're_approve');
    const approved = await createLeadStatus(server, admin, campaign.id, 'Approved', 'before_buyout');
    await setDialSettings(server, admin, campaign.id, 're_approve', { extraButtons: ['do_not_call'] });
    await grantDialAccess(server, admin, campaign.id, 're_approve', [operator.id]);
    const lead = await queuedLead(campaign, processing.id);
    operator.results.length = 0;
    operator.calls.length = 0;

    const taken = await next(operator, { campaignId: campaign.id, mode: 're_approve' });
    expect(taken.body.lead).toMatchObject({ prospectId: lead.id, buttons: ['success', 'callback', 'no_answer', 'busy', 'dropped', 'do_not_call'] });
    await eventually(() => operator.calls.some((c) => c.status === 'connected'), 15_000);
    const result = (body: unknown) => server.request('POST', '/api/dial-mode/current/result', { token: operator.token, body });
    expect((await result({ button: 'wrong_number' })).status).toBe(400); // not enabled in this mode
    expect((await result({ button: 'callback', callbackAt: plus(-5) })).status).toBe(400);
    expect((await result({ button: 'callback' })).status).toBe(400);
    const callback = await result({ button: 'callback', callbackAt: plus(120) });
    expect(callback).toMatchObject({ status: 200, body: { effect: 'requeued', subState: 'callback_planned', dueAt: plus(120), attempts: 0, by: 'operator' } });
    expect((await result({ button: 'no_answer' })).body).toMatchObject({ code: 'NO_CURRENT_DIAL_LEAD' });
    // The call was bridged and recorded.
    const borrowerLeg = await eventually(async () => {
      const items = (await server.request('GET', `/api/call-activity?phone=${encodeURIComponent(lead.phone)}`, { token: admin })).body.items as any[];
      return items.find((l) => l.purpose === 'borrower' && l.endedAt);
    }, 15_000, 100);
    expect(borrowerLeg).toMatchObject({ result: 'completed', recording: expect.any(String) });
    const ast = await asterisk();
    expect(existsSync(path.join(ast.asteriskDir, 'spool', 'recording', `${borrowerLeg.recording}.wav`))).toBe(true);
    await free(operator);

    // Due at the callback time, then success moves it into the status' mode.
    expect((await next(operator, { campaignId: campaign.id })).body).toMatchObject({ lead: null, nextCallableAt: plus(120) });
    clock.advanceMinutes(121);
    const viaSocket = await operator.socket.emitWithAck('dial:next', { campaignId: campaign.id });
    expect(viaSocket).toMatchObject({ ok: true, data: { lead: { prospectId: lead.id, subState: 'callback_planned' } } });
    await eventually(() => operator.calls.filter((c) => c.status === 'connected').length === 2, 15_000);
    const success = await operator.socket.emitWithAck('dial:result', { button: 'success', statusId: approved.id });
    expect(success).toMatchObject({ ok: true, data: { effect: 'left_queue', reason: 'success', leadStatusId: approved.id, movedTo: { mode: 'before_buyout' } } });
    expect(await entryOf(campaign.id, lead.id)).toMatchObject({ mode: 'before_buyout', subState: 'unprocessed', attempts: 0 });
    expect(await operator.socket.emitWithAck('dial:result', { button: 'teleport' })).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
    await free(operator);

    // do_not_call: the number goes on the list and is never handed out again.
    const second = await queuedLead(campaign, processing.id);
    expect((await next(operator, { campaignId: campaign.id })).body.lead).toMatchObject({ prospectId: second.id });
    await eventually(() => operator.calls.filter((c) => c.status === 'connected').length === 3, 15_000);
    expect((await result({ button: 'do_not_call' })).body).toMatchObject({ effect: 'left_queue', reason: 'do_not_call' });
    const listed = (await server.request('GET', `/api/dial-mode/do-not-call?phone=${second.phone.slice(2)}`, { token: admin })).body.items;
    expect(listed).toEqual([expect.objectContaining({ phone: second.phone, source: 'operator', createdById: operator.id })]);
    await free(operator);
    await setLeadStatus(server, admin, second.id, processing.id);
    expect(await entryOf(campaign.id, second.id)).toMatchObject({ doNotCall: true, lockedBy: null });
    expect((await next(operator, { campaignId: campaign.id })).body).toMatchObject({ lead: null });
    // Release gives a held lead back unchanged.
    expect((await server.request('POST', '/api/dial-mode/current/release', { token: operator.token })).body).toEqual({ released: false });
  });

  it('a lead whose number the dialling policy refuses is handed over but not dialled, and the operator is told why', async () => {
    await startTrunk('borrower-answer', { answer_ms: '200' });
    const campaign = await createCampaign(server, admin);
    const processing = await createLeadStatus(server, admin, campaign.id, 'Processing', 'new');
    await grantDialAccess(server, admin, campaign.id, 'new', [operator.id]);
    const lead = await queuedLead(campaign, processing.id, { MobilePhone: '+19005550123' });
    const operatorInvites = (await phone.receivedInvites()).length;

    const answer = await next(operator, { campaignId: campaign.id });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ lead: { prospectId: lead.id, lockedBy: { id: operator.id } }, call: null, dialRefused: expect.stringContaining('premium-rate') });
    // Nothing rang: not the operator's phone, not the trunk; the operator is not on a call.
    expect(await phone.receivedInvites()).toHaveLength(operatorInvites);
    expect(await trunk!.receivedInvites()).toHaveLength(0);
    expect((await server.request('GET', '/api/me', { token: operator.token })).body.onCall).toBe(false);
    // The lead is the operator's to record a result for, like any other.
    expect((await next(operator)).body).toMatchObject({ code: 'DIAL_RESULT_PENDING' });
    const result = await server.request('POST', '/api/dial-mode/current/result', { token: operator.token, body: { button: 'dropped' } });
    expect(result).toMatchObject({ status: 200, body: { prospectId: lead.id, by: 'operator' } });
  });

  it('many operators taking at once never share a lead (REST and socket)', async () => {
    await startTrunk('no-answer');
    const campaign = await createCampaign(server, admin);
    const processing = await createLeadStatus(server, admin, campaign.id, 'Processing', 'random');
    const leads = new Set<string>();
    for (let i = 0; i < 25; i++) leads.add((await queuedLead(campaign, processing.id)).id);
    // Operators' phones are external numbers behind the trunk (no desk phones to provision).
    const operators: Operator[] = [];
    for (let i = 0; i < 30; i += 5) {
      operators.push(...(await Promise.all([0, 1, 2, 3, 4].map((j) => newOperator({ workPhoneType: 'external', workPhone: `+1737555${String(1000 + i + j)}` })))));
    }
    await grantDialAccess(server, admin, campaign.id, 'random', operators.map((o) => o.id));

    // Wave 1: 20 operators over REST at the same moment.
    const wave1 = await Promise.all(operators.slice(0, 20).map((o) => next(o)));
    expect(wave1.map((r) => r.status)).toEqual(Array(20).fill(200));
    const got1 = wave1.map((r) => r.body.lead?.prospectId);
    expect(got1.every((id) => leads.has(id))).toBe(true);
    expect(new Set(got1).size).toBe(20);

    // Wave 2: 10 more over the socket for the 5 left.
    const wave2 = await Promise.all(operators.slice(20).map((o) => o.socket.emitWithAck('dial:next', {})));
    expect(wave2.every((a) => a.ok)).toBe(true);
    const got2 = wave2.map((a) => (a.ok ? a.data.lead?.prospectId : undefined)).filter(Boolean);
    expect(got2).toHaveLength(5);
    expect(new Set([...got1, ...got2]).size).toBe(25);

    // The database agrees: every lead held by exactly the operator it was handed to.
    const held = new Map((await dialQueue(server, admin, { campaignId: campaign.id })).map((e) => [e.prospectId, e.lockedBy?.id]));
    operators.slice(0, 20).forEach((o, i) => expect(held.get(got1[i])).toBe(o.id));
    wave2.forEach((a, i) => {
      if (a.ok && a.data.lead) expect(held.get(a.data.lead.prospectId)).toBe(operators[20 + i].id);
    });
    expect([...held.values()].filter(Boolean)).toHaveLength(25);
    // Creating 30 users (argon2) is slow on a shared machine.
  }, 180_000);

  it("Florida's 3 calls in 24 hours, across campaigns: the fourth call is refused with the rule and the next allowed time (docs/compliance.md)", async () => {
    await startTrunk('busy', { answer_ms: '200' });
    const [a, b] = [await createCampaign(server, admin), await createCampaign(server, admin)];
    const statuses = [];
    for (const c of [a, b]) {
      statuses.push(await createLeadStatus(server, admin, c.id, 'Processing', 'new'));
      await setDialSettings(server, admin, c.id, 'new', { retryDelayMinutes: 30, maxAttempts: 10 });
      await grantDialAccess(server, admin, c.id, 'new', [operator.id]);
    }
    // One person (one Miami number) who is a lead in both campaigns.
    const mobile = aPhone('FL');
    const inA = await queuedLead(a, statuses[0].id, { state: 'FL', MobilePhone: mobile });
    const inB = await queuedLead(b, statuses[1].id, { state: 'FL', MobilePhone: mobile });
    expect([inA.phone, inB.phone]).toEqual([mobile, mobile]);

    // Three calls to the number: two from campaign A, one from campaign B, 30 minutes apart.
    const call = async (campaignId: string, prospectId: string, results: number) => {
      const taken = await next(operator, { campaignId });
      expect(taken.body).toMatchObject({ lead: { prospectId }, call: { status: 'ringing_operator', to: mobile } });
      await eventually(() => operator.results.length === results, 20_000, 100);
      await free(operator);
    };
    const before = operator.results.length;
    await call(a.id, inA.id, before + 1);
    clock.advanceMinutes(30);
    await call(a.id, inA.id, before + 2);
    clock.advanceMinutes(30);
    await call(b.id, inB.id, before + 3);
    const legs = (await server.request('GET', `/api/call-activity?phone=${encodeURIComponent(mobile)}`, { token: admin })).body.items as any[];
    expect(legs.filter((l) => l.purpose === 'borrower').map((l) => l.startedAt).sort()).toEqual([plus(0), plus(30), plus(60)]);

    // Due again 30 minutes later, in either campaign: Florida's cap holds the number until the
    // first call is 24 hours old (Tuesday 12:00 in Miami, inside Florida's 8:00–20:00).
    clock.advanceMinutes(30);
    const hold = { code: 'max_calls', region: 'FL', law: 'Fla. Stat. § 501.616(6)', reason: 'FL allows at most 3 calls to one number in 24 hours; this number had 3 in the last 24 hours', nextAllowedAt: plus(24 * 60) };
    for (const [campaign, lead] of [[a, inA], [b, inB]] as const) {
      const refused = await next(operator, { campaignId: campaign.id });
      expect(refused.status).toBe(200);
      expect(refused.body).toMatchObject({ lead: null, call: null, nextCallableAt: plus(24 * 60) });
      const entry = await entryOf(campaign.id, lead.id);
      expect(entry).toMatchObject({ callableAt: plus(24 * 60), callingRule: hold, lockedBy: null });
    }
    expect(operator.results).toHaveLength(before + 3);

    // A minute before it, still held; at it, the call goes.
    clock.set(plus(24 * 60 - 1));
    expect((await next(operator, { campaignId: a.id })).body).toMatchObject({ lead: null, nextCallableAt: plus(24 * 60) });
    clock.set(plus(24 * 60));
    await call(a.id, inA.id, before + 4);
  });
});
