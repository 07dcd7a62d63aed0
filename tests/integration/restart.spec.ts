// Live calls survive a restart of the server (issue 19): connected calls of every kind are left in
// Asterisk when the process dies or stops, and the next process, on the same database and Stasis
// app, takes them over at link-up; they end later by a hang-up with the right rows and presence. A
// ring-all round still ringing then is ended (its phone gets a CANCEL, its lead an exception).
// Real Asterisk and SIPp with RTP; the compiled server (npm run build) runs as a child process.
import { knex, Knex } from '@mikro-orm/knex';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { createUser, loginAs } from '../factories';
import { sharedDatabaseEnv } from '../harness/cluster';
import { asterisk, IT_DIR, IT_PORT_BASE, IT_PORTS, IT_TRUNK_HOST, itAsteriskOptions } from '../harness/it-env';
import { RtpSink, startRtpSink } from '../harness/rtp';
import { startAriDelayProxy } from '../harness/ari-delay-proxy';
import { ApiClient, eventually, ServerProcess, spawnServer, startServer } from '../harness/server';
import { SippHandle, startSipp, stopAllSipp } from '../harness/sipp';
import { aLead, postLead, setupRingAll } from './ring-all.fixture';

const port = (n: number) => IT_PORT_BASE + 330 + n;
const CARRIER_PORT = IT_PORTS.trunk + 41;
const traceDir = path.join(IT_DIR, 'sipp-restart');
const ORG_NUMBER = '+18005550100';
const AGENT_CALLER_ID = '+13105550111';
/** How long each call talks from its answer to the hang-up that ends it (outlives the restart). */
const TALK_MS = 22_000;

type Token = string;
interface Phone {
  id: string;
  token: Token;
  sipp: SippHandle;
}

function openDatabase(url: string): Knex {
  return url.startsWith('sqlite:') ? knex({ client: 'better-sqlite3', connection: { filename: url.slice('sqlite:'.length) }, useNullAsDefault: true }) : knex({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
}

async function onCall(server: ApiClient, token: Token): Promise<boolean> {
  return (await server.request('GET', '/api/me', { token })).body.onCall as boolean;
}

async function byes(phones: SippHandle[]): Promise<number> {
  let n = 0;
  for (const p of phones) n += (await p.receivedRequests('BYE')).length;
  return n;
}

describe('Live calls survive a server restart (real Asterisk + SIPp, compiled server)', () => {
  let server: ServerProcess | undefined;
  let db: Knex | undefined;
  const sinks: RtpSink[] = [];

  afterEach(async () => {
    await stopAllSipp();
    await server?.stop();
    await db?.destroy();
    await Promise.all(sinks.splice(0).map((s) => s.close()));
    server = undefined;
    db = undefined;
  });

  // A round or an inbound call ringing at a SIGTERM is ended by the stopping process itself: the
  // round's phone never answers, so it is still ringing when the (2 s) grace is over and its detail
  // says so (rounds that end within the grace: rolling-upgrade.spec). After a crash the next
  // process ends them (the rows as `interrupted`).
  it.each([
    ['kill -9', (s: ServerProcess) => s.kill(), 'Server restarted while ringing', 'interrupted'],
    ['SIGTERM', (s: ServerProcess) => s.stop(), 'server shutting down', null],
  ])('%s: ring-all, inbound, click-to-call and desk-phone calls are taken over; a ringing round and a ringing inbound call end cleanly', async (_how, stop, ringingDetail, waitingResult) => {
    const dbEnv = await sharedDatabaseEnv('restart');
    // Inbound and desk-phone calls reach the app named in the test Asterisk's dialplan.
    const env = { ...dbEnv, LEADLINE_DATA_DIR: mkdtempSync(path.join(IT_DIR, 'restart-')), ARI_APP: itAsteriskOptions().ariApp, JWT_SECRET: randomBytes(32).toString('base64url'), SHUTDOWN_GRACE_SECONDS: '2' };
    server = await spawnServer(env);
    db = openDatabase(dbEnv.DATABASE_URL);
    const admin = await server.login();
    await eventually(async () => (await server!.request('GET', '/api/health')).status === 200, 15_000, 100);
    await server.request('PATCH', '/api/org', { token: admin, body: { orgNumber: ORG_NUMBER } });

    // The carrier: answers every outbound call (borrowers) and hangs up TALK_MS later. The agents'
    // phones do not hang up themselves: bridging updates their connected line (a re-INVITE), after
    // which a SIPp phone only waits for the BYE.
    const carrier = await startSipp({ scenario: 'borrower-answer', port: IT_PORTS.trunk, ip: IT_TRUNK_HOST, vars: { answer_ms: '200', talk_ms: String(TALK_MS) }, traceDir, name: `carrier-${Date.now()}` });
    const staticAgent = async (n: number, scenario: string, vars: Record<string, string>, sink?: number): Promise<Phone> => {
      const sipp = await startSipp({ scenario, port: port(n), vars, traceDir, name: `agent-${n}-${Date.now()}`, ...(sink ? { rtpSinkPort: sink } : {}) });
      const user = await createUser(server!, admin, { workPhoneType: 'static_ip', workPhone: `127.0.0.1:${port(n)}`, callerId: AGENT_CALLER_ID, stateLicences: ['TX'] });
      return { id: user.id, token: await loginAs(server!, user), sipp };
    };
    const available = (p: { token: Token }) => server!.request('PATCH', '/api/me/session', { token: p.token, body: { loggedIn: true, callsOn: true } });

    // 1. Inbound: the caller and the agent talk through sinks of the test's own (RTP checked below).
    const callerSink = await startRtpSink(port(10), IT_TRUNK_HOST);
    const agentSink = await startRtpSink(port(11));
    sinks.push(callerSink, agentSink);
    const inboundAgent = await staticAgent(1, 'agent-silent', { answer_ms: '300' }, port(11));
    await available(inboundAgent);
    const caller = await startSipp({
      scenario: 'inbound-call',
      port: CARRIER_PORT,
      ip: IT_TRUNK_HOST,
      remote: `127.0.0.1:${IT_PORTS.sip}`,
      vars: { caller: '+15125550177', call_ms: String(TALK_MS) },
      extraArgs: ['-m', '1', '-s', ORG_NUMBER],
      traceDir,
      name: `caller-${Date.now()}`,
      rtpSinkPort: port(10),
    });
    await eventually(async () => (await inboundAgent.sipp.receivedInvites()).length === 1 && onCall(server!, inboundAgent.token), 15_000, 100);

    // 2. Ring all: the agent presses 1; the borrower hangs up.
    const ringAll = await setupRingAll(server, { agents: 1, phoneAt: () => `127.0.0.1:${port(2)}`, ringTimeoutSeconds: 20, admin, available: false });
    const presser = await startSipp({ scenario: 'agent-press', port: port(2), vars: { answer_ms: '200', dtmf_ms: '300' }, traceDir, name: `presser-${Date.now()}` });
    await available(ringAll.agents[0]);
    const ringAllLead = await postLead(server, ringAll, aLead());

    // 3. Click-to-call: the agent answers, then the borrower; the borrower hangs up.
    const clicker = await staticAgent(3, 'agent-silent', { answer_ms: '200' });
    await available(clicker);
    expect((await server.request('POST', '/api/calls', { token: clicker.token, body: { phone: '(512) 555-0143' } })).status).toBe(201);

    // 4. Desk phone: a SIP desk phone dials a borrower and hangs up TALK_MS after the answer.
    const desk = await createUser(server, admin, { workPhoneType: 'sip_desk', callerId: AGENT_CALLER_ID });
    const deskToken = await loginAs(server, desk);
    await available({ token: deskToken });
    const deskPhone = await startSipp({
      scenario: 'phone-call',
      port: port(4),
      remote: `127.0.0.1:${IT_PORTS.sip}`,
      vars: { dial: '5125550144', call_ms: String(TALK_MS) },
      extraArgs: ['-m', '1', '-s', desk.sipAccount!.username, '-au', desk.sipAccount!.username, '-ap', desk.sipAccount!.password!],
      traceDir,
      name: `desk-${Date.now()}`,
    });

    // 5. A round still ringing when the server goes: its phone never answers.
    const ringing = await setupRingAll(server, { agents: 1, phoneAt: () => `127.0.0.1:${port(5)}`, ringTimeoutSeconds: 60, admin });
    const silentPhone = await startSipp({ scenario: 'no-answer', port: port(5), traceDir, name: `ringing-${Date.now()}` });

    // Every call is connected and persisted for the next process.
    const calls = await eventually(async () => {
      const rows = await db!('live_call').select('call_id');
      return rows.length === 4 ? rows.map((r) => r.call_id as string) : undefined;
    }, 20_000, 100);
    // The inbound agent puts the caller on hold from the dashboard: kept with the call.
    const [inboundCall] = (await server.request('GET', '/api/calls/live', { token: inboundAgent.token })).body as { callId: string }[];
    expect((await server.request('POST', `/api/calls/${inboundCall.callId}/hold`, { token: inboundAgent.token })).status).toBe(200);
    await eventually(async () => {
      const row = await db!('live_call').where({ call_id: inboundCall.callId }).first('state');
      const state = typeof row?.state === 'string' ? JSON.parse(row.state) : row?.state;
      return state?.holding.length === 1 && state.moh.length === 1;
    }, 5_000, 50);
    const ringingLead = await postLead(server, ringing, aLead());
    await eventually(async () => (await silentPhone.receivedInvites()).length === 1, 10_000, 100);
    // 7. A desk phone calls a colleague and hangs up while no server runs.
    const colleague = await staticAgent(8, 'agent-silent', { answer_ms: '200' });
    await available(colleague);
    const colleagueExtension = (await server.request('GET', '/api/me', { token: colleague.token })).body.extension as string;
    const desk2 = await createUser(server, admin, { workPhoneType: 'sip_desk' });
    const desk2Token = await loginAs(server, desk2);
    await available({ token: desk2Token });
    const shortCall = await startSipp({
      scenario: 'phone-call',
      port: port(9),
      remote: `127.0.0.1:${IT_PORTS.sip}`,
      vars: { dial: colleagueExtension, call_ms: '6000' },
      extraArgs: ['-m', '1', '-s', desk2.sipAccount!.username, '-au', desk2.sipAccount!.username, '-ap', desk2.sipAccount!.password!],
      traceDir,
      name: `desk2-${Date.now()}`,
    });
    let shortCallEndedAt = 0;
    void shortCall.exited.then(() => (shortCallEndedAt = Date.now()));
    const shortCallId = await eventually(async () => {
      const rows = await db!('live_call').whereNotIn('call_id', calls).select('call_id');
      return rows.length === 1 ? (rows[0].call_id as string) : undefined;
    }, 10_000, 50);
    // 6. An inbound call still ringing an agent (the only free one) when the server goes.
    const unanswering = await staticAgent(7, 'no-answer', {});
    await available(unanswering);
    const waitingCaller = await startSipp({
      scenario: 'inbound-call',
      port: CARRIER_PORT + 1,
      ip: IT_TRUNK_HOST,
      remote: `127.0.0.1:${IT_PORTS.sip}`,
      vars: { caller: '+15125550178' },
      extraArgs: ['-m', '1', '-s', ORG_NUMBER],
      traceDir,
      name: `waiting-caller-${Date.now()}`,
    });
    await eventually(async () => (await unanswering.sipp.receivedInvites()).length === 1, 10_000, 100);
    const agents = [inboundAgent.token, ringAll.agents[0].token, clicker.token, deskToken];
    const phones = [carrier, caller, inboundAgent.sipp, presser, clicker.sipp, deskPhone];
    const stoppedAt = Date.now();

    await stop(server);
    // The desk phone hangs up while no server runs (after the old one stopped).
    await shortCall.exited;
    expect(shortCallEndedAt).toBeGreaterThan(stoppedAt);
    server = await spawnServer(env);

    // The new process has taken the four calls over: the dashboard lists them, the agents are on a call.
    // (The call whose desk phone hung up meanwhile is over: see below.)
    await eventually(async () => {
      const live = await server!.request('GET', '/api/calls/live', { token: admin });
      return live.status === 200 && JSON.stringify((live.body as { callId: string }[]).map((c) => c.callId).sort()) === JSON.stringify([...calls].sort());
    }, 20_000, 100);
    for (const token of agents) expect(await onCall(server, token)).toBe(true);
    // Nobody was hung up. The held caller still hears music; taken off hold from the dashboard (the
    // new process runs the call), the caller and the agent hear each other again.
    expect(await byes(phones)).toBe(0);
    const held = Date.now();
    await eventually(() => callerSink.audibleSince(held) > 25, 5_000, 50);
    expect((await server.request('POST', `/api/calls/${inboundCall.callId}/resume`, { token: inboundAgent.token })).status).toBe(200);
    const heard = Date.now();
    await callerSink.talk(1000);
    // Of the 50 packets the caller sent, more than half reach the agent (on a loaded machine some
    // are still on their way through Asterisk when the caller stops).
    await eventually(() => agentSink.audibleSince(heard) > 25, 2_000, 50);
    expect(Date.now() - stoppedAt).toBeLessThan(TALK_MS - 5000); // the checks above ran while every call was up

    // The desk phone that hung up meanwhile: closed at the take-over, its colleague hung up and free.
    await eventually(async () => (await colleague.sipp.receivedRequests('BYE')).length === 1, 10_000, 100);
    const shortRows: any[] = await eventually(async () => {
      const res = await server!.request('GET', '/api/call-activity?pageSize=100', { token: admin });
      const mine = res.body.items.filter((r: any) => r.callId === shortCallId);
      return mine.length === 2 && mine.every((r: any) => r.endedAt) ? mine : undefined;
    }, 10_000, 100);
    expect(shortRows.map((r) => r.result)).toEqual(['completed', 'completed']);
    await eventually(async () => !(await onCall(server!, colleague.token)) && !(await onCall(server!, desk2Token)), 10_000, 100);

    // The ringing round: its phone got a CANCEL, its lead is an exception saying why.
    await eventually(async () => (await silentPhone.receivedRequests('CANCEL')).length === 1, 10_000, 100);
    const failed = await eventually(async () => {
      const row = await db!('prospect').where({ id: ringingLead }).first('status', 'failure_reason', 'failure_detail');
      return row?.status === 'exception' ? row : undefined;
    }, 10_000, 100);
    expect(failed).toMatchObject({ failure_reason: 'Fatal error', failure_detail: ringingDetail });
    expect(await onCall(server, ringing.agents[0].token)).toBe(false);
    // The inbound call that was ringing: hung up (the caller gets a final answer), its agent's
    // phone a CANCEL, its rows closed, the agent free.
    await Promise.race([waitingCaller.exited, new Promise((_, reject) => setTimeout(() => reject(new Error('the waiting caller was not hung up')), 10_000))]);
    await eventually(async () => (await unanswering.sipp.receivedRequests('CANCEL')).length === 1, 10_000, 100);
    const waitingRows: any[] = await eventually(async () => {
      const res = await server!.request('GET', '/api/call-activity?pageSize=100', { token: admin });
      const mine = res.body.items.filter((r: any) => r.from === '+15125550178');
      return mine.length === 2 && mine.every((r: any) => r.endedAt) ? mine : undefined;
    }, 10_000, 100);
    for (const row of waitingRows) expect(['ringing', 'answered', 'completed']).not.toContain(row.result);
    if (waitingResult) expect(waitingRows.map((r) => r.result)).toEqual([waitingResult, waitingResult]);
    expect(await onCall(server, unanswering.token)).toBe(false);

    // Each call ends by its hang-up, with talk time, result and recording, and its agents are free.
    const rows: any[] = await eventually(async () => {
      const res = await server!.request('GET', '/api/call-activity?pageSize=100', { token: admin });
      const mine = res.body.items.filter((r: any) => calls.includes(r.callId));
      return mine.length === 8 && mine.every((r: any) => r.endedAt) ? mine : undefined;
    }, TALK_MS + 15_000, 250);
    for (const row of rows) {
      expect(row.result).not.toBe('interrupted');
      // Talked from the answer to the hang-up, across the restart (the agent's ring time aside).
      expect(row.talkSeconds).toBeGreaterThanOrEqual(TALK_MS / 1000 - 3);
      expect(row.recording).toBeTruthy();
    }
    const results = rows.map((r) => `${r.purpose}:${r.result}`).sort();
    expect(results).toEqual(
      ['borrower:completed', 'borrower:completed', 'borrower:completed', 'click_to_call_agent:completed', 'desk_phone:completed', 'inbound:answered', 'inbound_agent:completed', 'ring_all_agent:won'].sort(),
    );
    expect(rows.find((r) => r.prospectId === ringAllLead && r.purpose === 'ring_all_agent')).toBeDefined();
    // The recordings hold the whole call, not only the part before the restart (16-bit 8 kHz WAV).
    const ast = await asterisk();
    for (const name of new Set(rows.map((r) => r.recording as string))) {
      expect(statSync(path.join(ast.asteriskDir, 'spool', 'recording', `${name}.wav`)).size).toBeGreaterThan(((TALK_MS - 4000) / 1000) * 16_000);
    }
    await eventually(async () => (await Promise.all(agents.map((t) => onCall(server!, t)))).every((b) => !b), 10_000, 100);
    expect(Number((await db('live_call').count({ n: '*' }).first())!.n)).toBe(0);
    expect((await server.request('GET', '/api/calls/live', { token: admin })).body).toEqual([]);
  }, 150_000); // six calls set up, a restart and their ends: ~35 s alone, over 60 s beside the other shard

  it('a blip of the ARI link: the connected call is taken over again at once, not ended', async () => {
    const ast = itAsteriskOptions();
    const proxy = await startAriDelayProxy(`http://127.0.0.1:${ast.ariPort}`);
    const srv = await startServer({ ARI_URL: proxy.url, ARI_APP: ast.ariApp });
    try {
      await srv.ari.waitUntilUp(15_000);
      const admin = await srv.login();
      await srv.request('PATCH', '/api/org', { token: admin, body: { orgNumber: ORG_NUMBER } });
      const carrier = await startSipp({ scenario: 'borrower-answer', port: IT_PORTS.trunk, ip: IT_TRUNK_HOST, vars: { answer_ms: '200' }, traceDir, name: `carrier-blip-${Date.now()}` });
      const desk = await createUser(srv, admin, { workPhoneType: 'sip_desk', callerId: AGENT_CALLER_ID });
      const token = await loginAs(srv, desk);
      await srv.request('PATCH', '/api/me/session', { token, body: { loggedIn: true, callsOn: true } });
      const phone = await startSipp({
        scenario: 'phone-call',
        port: port(6),
        remote: `127.0.0.1:${IT_PORTS.sip}`,
        // Up 20 s: the blip and the take-over must fit inside the call even on a loaded machine.
        vars: { dial: '5125550146', call_ms: '20000' },
        extraArgs: ['-m', '1', '-s', desk.sipAccount!.username, '-au', desk.sipAccount!.username, '-ap', desk.sipAccount!.password!],
        traceDir,
        name: `desk-blip-${Date.now()}`,
      });
      const live = async () => (await srv.request('GET', '/api/calls/live', { token: admin })).body as { callId: string }[];
      const [call] = await eventually(async () => ((await live()).length === 1 ? live() : undefined), 15_000, 100);

      const ups = srv.ari.status.since;
      proxy.dropEvents();
      await eventually(() => srv.ari.status.connected && srv.ari.status.since > ups, 10_000, 50);
      await eventually(async () => (await live()).some((c) => c.callId === call.callId), 5_000, 50);
      expect(await byes([carrier, phone])).toBe(0);
      expect(await onCall(srv, token)).toBe(true);

      // The phone hangs up: the call ends as usual on our side.
      await phone.cleanExit();
      const rows: any[] = await eventually(async () => {
        const res = await srv.request('GET', '/api/call-activity?pageSize=50', { token: admin });
        const mine = res.body.items.filter((r: any) => r.callId === call.callId);
        return mine.length === 2 && mine.every((r: any) => r.endedAt) ? mine : undefined;
      }, 15_000, 100);
      expect(rows.map((r) => r.result)).toEqual(['completed', 'completed']);
      await eventually(async () => !(await onCall(srv, token)), 5_000, 100);
    } finally {
      await stopAllSipp();
      await srv.close();
      await proxy.close();
    }
  }, 120_000);
});
