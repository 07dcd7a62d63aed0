// Webhooks from real calls (real Asterisk + SIPp): a ring-all lead's lead.accepted → lead.assigned
// → call.ended with a recording that plays from its signed link without a login; an inbound call
// nobody answers (call.ended + inbound.missed with the voicemail); a dial-mode call the carrier
// answers busy (call.ended + dial_mode.result); a number dialled on a desk phone (call.ended, kind
// desk_phone); and a receiver that never answers does not slow
// ring all down (digit → borrower INVITE measured from the phones' own SIP logs).
import * as path from 'node:path';
import { createCampaign, createLeadStatus, createUser, createWebhook, grantDialAccess, loginAs, postLead, setLeadStatus, aLead } from '../factories';
import { IT_DIR, IT_PORT_BASE, IT_PORTS, IT_TRUNK_HOST, itAsteriskOptions } from '../harness/it-env';
import { ManualClock } from '../harness/manual-clock';
import { eventually, freePort, startServer, TestServer } from '../harness/server';
import { SippHandle, startSipp, stopAllSipp } from '../harness/sipp';
import { Received, WebhookReceiver } from '../harness/webhook-receiver';
import { webhookSchemaErrors } from '../harness/webhook-schemas';
import { readMessageLog } from '../../bench/ring-all/sip-log';
import { agentSipp, legsEnded, postLead as postRingAllLead, settledProspect, setupRingAll } from './ring-all.fixture';

// This suite's SIPp ports: IT_PORT_BASE + 620..629 (agents and desk phones), the trunk (+90) and +96 (the carrier's caller).
const PRESSER_PORT = IT_PORT_BASE + 620;
const OPERATOR_PORT = IT_PORT_BASE + 621;
const COLLEAGUE_PORT = IT_PORT_BASE + 622;
const DESK_PORT = IT_PORT_BASE + 623;
const CARRIER_PORT = IT_PORTS.trunk + 6;
const traceDir = path.join(IT_DIR, 'sipp-webhooks');
const DID = '+18005550100';
// Monday 11:00 in Texas: inside dial mode's default calling window (the dial-mode clock only).
const MONDAY_17Z = '2026-11-23T17:00:00.000Z';
const DTMF_MS = 300;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

describe('webhooks from calls (real Asterisk + SIPp)', () => {
  const clock = new ManualClock(MONDAY_17Z);
  let server: TestServer;
  let admin: string;
  let receiver: WebhookReceiver;
  let secret: string;
  let trunk: SippHandle | undefined;

  const startTrunk = async (scenario: string, vars: Record<string, string> = {}) => {
    await trunk?.stop();
    trunk = await startSipp({ scenario, port: IT_PORTS.trunk, ip: IT_TRUNK_HOST, vars, traceDir, name: `trunk-${scenario}-${Date.now()}` });
    return trunk;
  };

  /** Bodies received (2xx, first copy of each event) about one lead or call, in arrival order. */
  const eventsAbout = (match: (r: Received) => boolean) => {
    const seen = new Set<string>();
    return receiver.accepted.filter((r) => match(r) && !seen.has(r.json.id) && seen.add(r.json.id));
  };
  const aboutLead = (prospectId: string) => (r: Received) => (r.json.data.lead?.prospectId ?? r.json.data.prospectId) === prospectId;

  beforeAll(async () => {
    // Inbound calls reach the app the test Asterisk's dialplan names: this suite registers it.
    // Recording links point at PUBLIC_BASE_URL: this server's own address.
    const port = await freePort();
    server = await startServer({ PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, ARI_APP: itAsteriskOptions().ariApp, INBOUND_RING_TIMEOUT_SECONDS: '5', WEBHOOK_RETRY_BASE_MS: '200', WEBHOOK_RETRY_MAX_DELAY_MS: '1000' }, { clock });
    admin = await server.login();
    await server.ari.waitUntilUp(15_000);
    receiver = await WebhookReceiver.start();
    secret = (await createWebhook(server, admin, receiver.url)).secret;
  });

  afterAll(async () => {
    await stopAllSipp();
    await server?.close();
    await receiver?.stop();
  });

  afterEach(async () => {
    await stopAllSipp();
    for (const r of receiver.received) expect(webhookSchemaErrors(r.json)).toEqual([]);
    expect(receiver.unverified(secret)).toEqual([]);
  });

  it('ring all: lead.accepted → lead.assigned (ring_all) → call.ended whose recording plays from its signed link, without a login', async () => {
    await startTrunk('borrower-answer', { answer_ms: '200', talk_ms: '1500' });
    const presser = await agentSipp(PRESSER_PORT, { answer_ms: '150', dtmf_ms: String(DTMF_MS) });
    const setup = await setupRingAll(server, { agents: 1, phoneAt: () => `127.0.0.1:${PRESSER_PORT}` });
    const prospectId = await postRingAllLead(server, setup);
    expect(await settledProspect(server, setup, prospectId)).toMatchObject({ status: 'assigned' });
    const legs = await legsEnded(server, setup, prospectId, 2);
    const borrowerLeg = legs.find((l) => l.purpose === 'borrower');

    const events = await eventually(() => {
      const e = eventsAbout(aboutLead(prospectId));
      return e.length >= 3 ? e : undefined;
    }, 20_000);
    expect(events.map((e) => e.json.type)).toEqual(['lead.accepted', 'lead.assigned', 'call.ended']);
    const [, assigned, ended] = events.map((e) => e.json);
    expect(assigned.data).toMatchObject({ via: 'ring_all', agent: { id: setup.agents[0].id }, assignedBy: null });
    expect(ended.data).toMatchObject({
      prospectId,
      applicationId: assigned.data.applicationId,
      agent: { id: setup.agents[0].id },
      borrowerPhone: borrowerLeg.to,
      call: { id: borrowerLeg.id, kind: 'ring_all', direction: 'outbound', result: 'completed', to: borrowerLeg.to, callerIdReason: 'agent_caller_id' },
    });
    expect(ended.data.call.talkSeconds).toBeGreaterThanOrEqual(1);
    expect(Date.parse(ended.data.recording.expiresAt) - Date.now()).toBeGreaterThan(6 * 86_400_000);

    // The link plays the recording with no login; a changed expiry or signature does not.
    const link = new URL(ended.data.recording.url);
    expect(link.origin).toBe(server.url);
    const audio = await fetch(link);
    expect(audio.status).toBe(200);
    expect(audio.headers.get('content-type')).toBe('audio/wav');
    expect(Buffer.from(await audio.arrayBuffer()).subarray(0, 4).toString()).toBe('RIFF');
    const later = new URL(link);
    later.searchParams.set('expires', String(Number(link.searchParams.get('expires')) + 86_400));
    const tampered = new URL(link);
    tampered.searchParams.set('signature', 'f'.repeat(64));
    for (const bad of [later, tampered]) {
      const res = await server.request('GET', `${bad.pathname}${bad.search}`);
      expect(res).toMatchObject({ status: 403, body: { code: 'RECORDING_LINK_INVALID' } });
    }
    // The agent legs that rang are not calls with the borrower: no call.ended for them.
    expect(receiver.received.filter((r) => r.json.type === 'call.ended' && r.json.data.call.id !== borrowerLeg.id && r.json.data.prospectId === prospectId)).toEqual([]);
    await presser.stop();
  });

  it('an inbound call nobody answers: call.ended (inbound, voicemail) and inbound.missed with the voicemail link', async () => {
    const caller = '+13055550111';
    const carrier = await startSipp({
      scenario: 'inbound-call',
      port: CARRIER_PORT,
      ip: IT_TRUNK_HOST,
      remote: `127.0.0.1:${IT_PORTS.sip}`,
      // The no-agents prompt is ~6.4 s: 9 s after the answer leaves the caller time to speak after the beep
      // (at 7 s a loaded machine could start the recording too late and Asterisk stores none).
      vars: { caller, call_ms: '9000' },
      extraArgs: ['-m', '1', '-s', DID],
      traceDir,
      name: `carrier-${Date.now()}`,
    });
    const isThisCall = (r: Received) => (r.json.type === 'inbound.missed' || r.json.type === 'call.ended') && r.json.data.call.direction === 'inbound' && r.json.data.call.from === caller;
    const [ended, missed] = (await eventually(() => {
      const e = eventsAbout(isThisCall);
      return e.length >= 2 ? e : undefined;
    }, 25_000)).map((r) => r.json);
    await carrier.exited;
    expect(ended).toMatchObject({ type: 'call.ended', data: { call: { kind: 'inbound', result: 'voicemail', to: DID }, agent: null, borrowerPhone: caller, prospectId: null } });
    expect(missed).toMatchObject({ type: 'inbound.missed', data: { call: { id: ended.data.call.id, result: 'voicemail' }, callerPhone: caller } });
    expect(missed.data.voicemail).toEqual(ended.data.recording);
    const audio = await fetch(missed.data.voicemail.url);
    expect(audio.status).toBe(200);
    expect(Buffer.from(await audio.arrayBuffer()).subarray(0, 4).toString()).toBe('RIFF');
  });

  it('dial mode: the carrier answers busy → call.ended (dial_mode, busy) and dial_mode.result by asterisk', async () => {
    await startTrunk('busy', { answer_ms: '200' });
    const phone = await agentSipp(OPERATOR_PORT, { answer_ms: '300' }, 'agent-silent');
    const operator = await createUser(server, admin, { role: 'agent', name: 'Olive Operator', workPhoneType: 'static_ip', workPhone: `127.0.0.1:${OPERATOR_PORT}` });
    const token = await loginAs(server, operator);
    await server.request('PATCH', '/api/me/session', { token, body: { loggedIn: true, callsOn: true } });
    const campaign = await createCampaign(server, admin);
    const processing = await createLeadStatus(server, admin, campaign.id, 'Processing', 'new');
    await grantDialAccess(server, admin, campaign.id, 'new', [operator.id]);
    const posted = await postLead(server, campaign, aLead({ state: 'TX' }));
    const prospectId = posted.body.Data.ProspectId as string;
    expect((await setLeadStatus(server, admin, prospectId, processing.id)).queued).toBeTruthy();
    const next = await server.request('POST', '/api/dial-mode/next', { token, body: {} });
    expect(next.status).toBe(200);

    const events = await eventually(() => {
      const e = eventsAbout((r) => aboutLead(prospectId)(r) && (r.json.type === 'call.ended' || r.json.type === 'dial_mode.result'));
      return e.length >= 2 ? e.map((x) => x.json) : undefined;
    }, 25_000).catch(async (err: unknown) => {
      throw new Error(`${String(err)}; received about the lead: ${JSON.stringify(eventsAbout(aboutLead(prospectId)).map((r) => r.json.type))} me ${JSON.stringify((await server.request('GET', '/api/dial-mode/me', { token })).body)}`);
    });
    expect(events.map((e) => e.type)).toEqual(['call.ended', 'dial_mode.result']);
    expect(events[0].data).toMatchObject({ call: { kind: 'dial_mode', result: 'busy', direction: 'outbound' }, agent: { id: operator.id }, recording: null });
    expect(events[1].data).toMatchObject({
      prospectId,
      campaignId: campaign.id,
      mode: 'new',
      button: 'busy',
      by: 'asterisk',
      operator: { id: operator.id, name: 'Olive Operator' },
      effect: 'requeued',
      subState: 'no_answer',
      attempts: 1,
    });
    await phone.stop();
  });

  it("a number dialled on an agent's desk phone: call.ended (desk_phone) with the agent and the recording; a colleague's extension reports nothing", async () => {
    await startTrunk('borrower-answer', { answer_ms: '200' });
    const caller = await createUser(server, admin, { workPhoneType: 'sip_desk', name: 'Dee Desk' });
    const colleaguePhone = await agentSipp(COLLEAGUE_PORT, { answer_ms: '300' }, 'agent-silent');
    const colleague = await createUser(server, admin, { workPhoneType: 'static_ip', workPhone: `127.0.0.1:${COLLEAGUE_PORT}`, name: 'Cole League' });
    for (const u of [caller, colleague]) await server.request('PATCH', '/api/me/session', { token: await loginAs(server, u), body: { loggedIn: true, callsOn: true } });
    const sip = caller.sipAccount!;
    const dial = async (number: string) => {
      const phone = await startSipp({
        scenario: 'phone-call',
        port: DESK_PORT,
        remote: `127.0.0.1:${IT_PORTS.sip}`,
        vars: { dial: number, call_ms: '1500' },
        extraArgs: ['-m', '1', '-s', sip.username, '-au', sip.username, '-ap', sip.password!],
        traceDir,
        name: `desk-${number}-${Date.now()}`,
      });
      await phone.cleanExit();
    };
    const borrower = '+15125550177';
    await dial(String(colleague.extension));
    await dial('5125550177');

    const [ended] = await eventually(() => {
      const e = eventsAbout((r) => r.json.type === 'call.ended' && r.json.data.agent?.id === caller.id);
      return e.length >= 1 ? e.map((x) => x.json) : undefined;
    }, 20_000);
    expect(ended.data).toMatchObject({ agent: { id: caller.id, name: 'Dee Desk' }, borrowerPhone: borrower, call: { kind: 'desk_phone', direction: 'outbound', result: 'completed', to: borrower } });
    expect(ended.data.recording.url).toContain('/api/recording-links/');
    // The extension call came first and ended first: had it been reported, it would be here too.
    expect(eventsAbout((r) => r.json.type === 'call.ended' && (r.json.data.agent?.id === caller.id || r.json.data.agent?.id === colleague.id))).toHaveLength(1);
    await colleaguePhone.stop();
  });

  it('a receiver that never answers does not slow ring all: digit → borrower INVITE with and without it (measured)', async () => {
    const borrower = await startTrunk('borrower-answer', { answer_ms: '200', talk_ms: '300' });
    const presser = await agentSipp(PRESSER_PORT, { answer_ms: '150', dtmf_ms: String(DTMF_MS) });
    const setup = await setupRingAll(server, { agents: 1, phoneAt: () => `127.0.0.1:${PRESSER_PORT}` });

    // One ring-all round: from the agent phone's ACK (the digit follows DTMF_MS later) to the
    // borrower's INVITE, both as the SIPp phones logged them.
    const round = async (): Promise<number> => {
      const from = Date.now();
      const prospectId = await postRingAllLead(server, setup);
      const prospect = await settledProspect(server, setup, prospectId);
      expect(prospect.status).toBe('assigned');
      await legsEnded(server, setup, prospectId, 2);
      const ack = readMessageLog(presser.messageFile).find((e) => e.direction === 'received' && e.method === 'ACK' && e.at >= from);
      const invite = readMessageLog(borrower.messageFile).find((e) => e.direction === 'received' && e.method === 'INVITE' && !e.toTagged && e.at >= from && e.requestUser?.replace(/\D/g, '') === prospect.mobilePhone.replace(/\D/g, ''));
      if (!ack || !invite) throw new Error(`round ${prospectId}: no ${ack ? 'borrower INVITE' : 'agent ACK'} in the SIPp logs`);
      return invite.at - ack.at;
    };

    const quiet: number[] = [];
    for (let i = 0; i < 4; i++) quiet.push(await round());

    // A receiver that accepts connections and never answers, subscribed to everything, with a
    // backlog of 200 events queued for it.
    const silent = await WebhookReceiver.start();
    try {
      silent.answer = () => ({ hang: true });
      // The longest timeout: the held requests stay held through the rounds below.
      await createWebhook(server, admin, silent.url, { timeoutSeconds: 30, maxConcurrency: 16 });
      const backlog = await createCampaign(server, admin, { distributionType: 'none' });
      for (let i = 0; i < 10; i++) await Promise.all(Array.from({ length: 20 }, () => postLead(server, backlog, aLead())));
      await eventually(() => silent.inFlight === 16, 15_000);

      const stalled: number[] = [];
      for (let i = 0; i < 4; i++) stalled.push(await round());
      // Still holding requests (one whose 30 s ran out may be between two attempts), never more than the limit.
      expect(silent.inFlight).toBeGreaterThan(0);
      expect(silent.maxInFlight).toBe(16);
      // Everything the receiver took was held: nothing was answered.
      expect(silent.accepted).toEqual([]);

      process.stdout.write(`[webhooks] agent ACK → borrower INVITE (the digit is ${DTMF_MS} ms after the ACK): without a silent receiver ${quiet.map(Math.round).join(', ')} ms; with one ${stalled.map(Math.round).join(', ')} ms\n`);
      // Generous bounds (2 cores shared with other test runs): the borrower is dialled within 2.5 s of the digit,
      // and a silent receiver adds less than half a second to the median.
      for (const ms of [...quiet, ...stalled]) expect(ms).toBeLessThan(DTMF_MS + 2500);
      expect(median(stalled)).toBeLessThan(median(quiet) + 500);
      await presser.stop();
    } finally {
      await silent.stop();
    }
  }, 180_000);
});
