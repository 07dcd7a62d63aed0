// Inbound routing against a real Asterisk: SIPp plays the carrier (caller) and the agents' phones.
import type { ClientToServerEvents, IncomingCallNotice, Presence, ServerToClientEvents } from '@leadline/contracts';
import * as path from 'node:path';
import { io, Socket } from 'socket.io-client';
import { CALLS_PLACED_WAIT_MAX_MS } from '../../apps/server/src/telephony/calls-placed';
import { CallNotifier } from '../../apps/server/src/realtime/call-notifier';
import { watchCallsPlaced } from '../harness/calls-placed';
import { IT_DIR, IT_PORT_BASE, IT_PORTS, IT_TRUNK_HOST, itAsteriskOptions } from '../harness/it-env';
import { eventually, startServer, TestServer } from '../harness/server';
import { SippHandle, startSipp, stopAllSipp } from '../harness/sipp';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

const DID = '+18005550100';
const port = (n: number) => IT_PORT_BASE + 800 + n;

describe('Inbound routing (real Asterisk + SIPp)', () => {
  let server: TestServer;
  let admin: string;
  const phones: Record<string, SippHandle> = {};
  const agents: Record<string, { id: string; token: string; popups: IncomingCallNotice[]; presence: Presence[]; socket: Client }> = {};
  let callSeq = 0;

  // A: TX answers · D: TX rings · B: CA answers · C: NY answers · E: WA never answers
  const team = [
    { key: 'A', state: 'TX', scenario: 'agent-silent', n: 1 },
    { key: 'D', state: 'TX', scenario: 'no-answer', n: 4 },
    { key: 'B', state: 'CA', scenario: 'agent-silent', n: 2 },
    { key: 'C', state: 'NY', scenario: 'agent-silent', n: 3 },
    { key: 'E', state: 'WA', scenario: 'no-answer', n: 5 },
  ];

  beforeAll(async () => {
    // Inbound calls reach the app named in the test Asterisk's dialplan: this suite registers it.
    server = await startServer({ INBOUND_RING_TIMEOUT_SECONDS: '5', ARI_APP: itAsteriskOptions().ariApp });
    admin = await server.login();
    await server.ari.waitUntilUp(15_000);
    // The five agents side by side: each is a phone, an account (a slow password hash) and a socket of its own.
    await Promise.all(
      team.map(async (m) => {
        phones[m.key] = await startSipp({ scenario: m.scenario, port: port(m.n), vars: m.scenario === 'no-answer' ? {} : { answer_ms: '700' }, traceDir: path.join(IT_DIR, 'sipp-inbound'), name: `inbound-${m.key}-${Date.now()}` });
        const email = `in-${m.key}-${Date.now()}@it.test`;
        const user = await server.request('POST', '/api/users', {
          token: admin,
          body: { name: `Agent ${m.key}`, email, password: 'agent-password-123', role: 'agent', workPhoneType: 'static_ip', workPhone: `127.0.0.1:${port(m.n)}`, stateLicences: [m.state] },
        });
        const token = await server.login(email, 'agent-password-123');
        await server.request('PATCH', '/api/me/session', { token, body: { loggedIn: true, callsOn: true } });
        const socket: Client = io(server.url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
        const popups: IncomingCallNotice[] = [];
        socket.on('call:incoming', (n) => popups.push(n));
        const presence: Presence[] = [];
        socket.on('presence', (p) => presence.push(p));
        await new Promise((r) => socket.once('connect', () => r(undefined)));
        agents[m.key] = { id: user.body.id, token, popups, presence, socket };
      }),
    );
  });

  afterAll(async () => {
    Object.values(agents).forEach((a) => a.socket.close());
    await stopAllSipp();
    await server.close();
  });

  async function invitesSoFar(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const m of team) counts[m.key] = (await phones[m.key].receivedInvites()).length;
    return counts;
  }

  /** Places a call from the carrier and waits until its inbound call activity has ended. */
  async function call(caller: string, opts: { anonymous?: boolean; callMs?: number } = {}): Promise<{ rang: string[]; row: any }> {
    const before = await invitesSoFar();
    const carrier = await startSipp({
      scenario: opts.anonymous ? 'inbound-anonymous' : 'inbound-call',
      port: IT_PORTS.trunk + 1 + (++callSeq % 5),
      ip: IT_TRUNK_HOST,
      remote: `127.0.0.1:${IT_PORTS.sip}`,
      vars: { caller, call_ms: String(opts.callMs ?? 1500) },
      extraArgs: ['-m', '1', '-s', DID],
      traceDir: path.join(IT_DIR, 'sipp-inbound'),
      name: `carrier-${callSeq}-${Date.now()}`,
    });
    const expectedFrom = opts.anonymous ? 'anonymous' : caller;
    const row = await eventually(async () => {
      const res = await server.request('GET', '/api/call-activity?pageSize=50', { token: admin });
      return res.body.items.find((r: any) => r.purpose === 'inbound' && r.from === expectedFrom && r.endedAt && !seen.has(r.id));
    }, 20_000, 200);
    seen.add(row.id);
    await carrier.exited;
    const after = await invitesSoFar();
    return { rang: team.map((m) => m.key).filter((k) => after[k] > before[k]), row };
  }
  const seen = new Set<string>();

  /**
   * Runs `placed` with callers from all-party states (and unknown ones) not recorded: the ~5 s
   * disclosure would hold them before the bridge, and routing is the same without it
   * (recording-disclosure.spec.ts tests the disclosure).
   */
  async function withoutDisclosure<T>(placed: () => Promise<T>): Promise<T> {
    const setPolicy = async (allPartyStates: string) => expect((await server.request('PATCH', '/api/org', { token: admin, body: { recording: { allPartyStates } } })).status).toBe(200);
    await setPolicy('do_not_record');
    try {
      return await placed();
    } finally {
      await setPolicy('disclose_then_record');
    }
  }

  it('no lead data: rings the agents licensed for the caller area code state, connects the first to answer', async () => {
    const { rang, row } = await call('+15125550142');
    expect(rang.sort()).toEqual(['A', 'D']);
    expect(row).toMatchObject({ result: 'answered', direction: 'inbound', to: DID, by: { id: agents.A.id } });
    expect(row.recording).toBeTruthy();
    // The agent who answered is pushed back to available (green) once the call is over.
    await eventually(() => agents.A.presence[agents.A.presence.length - 1]?.state === 'available', 5_000);
  });

  it('lead data with a property state: rings that state, and the popup shows the lead', async () => {
    const campaign = await server.request('POST', '/api/campaigns', { token: admin, body: { name: 'inbound leads', distributionType: 'none' } });
    const posted = await server.request('POST', `/api/action-post/${campaign.body.id}`, { body: { FirstName: 'Carla', LastName: 'Caller', MobilePhone: '+15125550177', PropertyState: 'CA', LoanAmount: 420000 }, headers: { 'x-api-key': campaign.body.apiKey } });
    const { rang, row } = await withoutDisclosure(() => call('+15125550177'));
    expect(rang).toEqual(['B']);
    expect(row).toMatchObject({ result: 'answered', by: { id: agents.B.id }, prospectId: posted.body.Data.ProspectId });
    const popup = agents.B.popups[agents.B.popups.length - 1];
    expect(popup).toMatchObject({ from: '+15125550177', detailsHidden: false, lead: { name: 'Carla Caller', state: 'CA', loanAmount: 420000 } });
  });

  it('lead data without a property state: rings by the caller area code; details hidden when the agent turned them off', async () => {
    await server.request('PATCH', '/api/me/session', { token: agents.C.token, body: { showIncomingCallDetails: false } });
    const campaign = await server.request('POST', '/api/campaigns', { token: admin, body: { name: 'stateless leads', distributionType: 'none' } });
    await server.request('POST', `/api/action-post/${campaign.body.id}`, { body: { FirstName: 'Nora', MobilePhone: '+12125550188' }, headers: { 'x-api-key': campaign.body.apiKey } });
    const { rang } = await call('+12125550188');
    expect(rang).toEqual(['C']);
    const popup = agents.C.popups[agents.C.popups.length - 1];
    expect(popup).toMatchObject({ from: '+12125550188', lead: null, detailsHidden: true });
  });

  it('blocked caller ID: rings everyone available, licensing not applied', async () => {
    const placed = watchCallsPlaced(server.app);
    const notifier = server.app.get(CallNotifier);
    const popupsSentAt: number[] = [];
    const incoming = notifier.incoming.bind(notifier);
    const popups = jest.spyOn(notifier, 'incoming').mockImplementation((agentId, notice) => {
      popupsSentAt.push(Date.now());
      incoming(agentId, notice);
    });
    const { rang, row } = await withoutDisclosure(() => call('+13055550199', { anonymous: true }));
    popups.mockRestore();
    placed.stop();
    expect(rang.sort()).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(row.result).toBe('answered');
    expect(agents.A.popups[agents.A.popups.length - 1]).toMatchObject({ from: null, lead: null });
    // Each agent's call was reported placed once, and the server sent the popups after the last
    // report (every INVITE was out) or once the call stopped waiting for it, not while Asterisk
    // still worked on the originates.
    expect([...placed.placedAt.values()].map((times) => times.length)).toEqual(Array(5).fill(1));
    expect(popupsSentAt).toHaveLength(5);
    for (const at of popupsSentAt) expect(at).toBeGreaterThanOrEqual(placed.dueAt(CALLS_PLACED_WAIT_MAX_MS));
  });

  it('nobody answers in time: the caller reaches voicemail and a missed call is listed', async () => {
    const seenBefore = agents.E.presence.length;
    const { rang, row } = await call('+12065550123', { callMs: 9000 });
    expect(rang).toEqual(['E']);
    // While the call rang E, E's light blinked red; afterwards it is green again.
    const during = agents.E.presence.slice(seenBefore);
    expect(during.some((p) => p.state === 'ringing' && p.blink && p.color === 'red')).toBe(true);
    await eventually(() => agents.E.presence[agents.E.presence.length - 1]?.state === 'available', 5_000);
    expect(row.result).toBe('voicemail');
    const missed = await server.request('GET', '/api/inbound/missed-calls', { token: admin });
    expect(missed.body.items.map((m: any) => m.id)).toContain(row.id);
    // Agents are free again afterwards.
    expect((await server.request('GET', '/api/me', { token: agents.E.token })).body.onCall).toBe(false);
  });

  it('no licensed agent available: straight to voicemail', async () => {
    const { rang, row } = await call('+13055550111', { callMs: 8000 });
    expect(rang).toEqual([]);
    expect(row.result).toBe('voicemail');
  });
});
