// Distribute All over real socket.io: offers to eligible agents, one winner among simultaneous
// claims, offers vanishing, timeouts becoming lead exceptions, open offers surviving a restart.
import type { LeadClaimAck } from '@leadline/contracts';
import * as path from 'node:path';
import { io } from 'socket.io-client';
import { issueToken } from '../factories';
import { IT_DIR } from '../harness/it-env';
import { eventually, startServer, TestServer } from '../harness/server';
import { AgentSocket as Client, connectOfferAgent, OfferAgent } from '../harness/offer-agent';
import { aLead } from './ring-all.fixture';


interface Agent extends OfferAgent {
  email: string;
}

describe('Distribute All (real socket.io clients)', () => {
  let server: TestServer;
  let admin: string;
  let seq = 0;

  beforeAll(async () => {
    server = await startServer();
    admin = await server.login();
  });

  afterAll(async () => {
    await server.close();
  });

  async function agents(n: number, available = true): Promise<Agent[]> {
    // Ten at a time: fifty requests at once on a loaded machine have had connections reset
    // (ECONNRESET) before the test proper began. The claims below stay simultaneous.
    const made: Agent[] = [];
    for (let i = 0; i < n; i += 10) made.push(...(await agentBatch(Math.min(10, n - i), available)));
    return made;
  }

  async function agentBatch(n: number, available: boolean): Promise<Agent[]> {
    return Promise.all(
      Array.from({ length: n }, async () => {
        const email = `da${++seq}-${Date.now()}@it.test`;
        const user = await server.request('POST', '/api/users', { token: admin, body: { name: `DA ${seq}`, email, password: 'agent-password-123', role: 'agent', stateLicences: ['TX'] } });
        if (user.status !== 201) throw new Error(`POST /api/users: ${user.status} ${JSON.stringify(user.body)}`);
        // Not logged in with the password: 50 argon2 checks at once were most of this suite's time.
        const token = await issueToken(server, user.body.id);
        if (available) await server.request('PATCH', '/api/me/session', { token, body: { loggedIn: true, callsOn: true } });
        return { id: user.body.id, email, token, offers: [], taken: [], expired: [], assigned: [] };
      }),
    );
  }

  function connect(agent: Agent): Promise<Client> {
    return connectOfferAgent(server.url, agent);
  }

  async function campaign(members: Agent[], offerTimeoutSeconds = 30): Promise<{ id: string; apiKey: string }> {
    const group = await server.request('POST', '/api/distribution-groups', { token: admin, body: { name: `da group ${++seq}`, memberIds: members.map((m) => m.id) } });
    const c = await server.request('POST', '/api/campaigns', { token: admin, body: { name: `da ${seq}`, distributionType: 'distribute_all', distributionGroupId: group.body.id, offerTimeoutSeconds } });
    return c.body;
  }

  async function post(c: { id: string; apiKey: string }): Promise<string> {
    const res = await server.request('POST', `/api/action-post/${c.id}`, { body: aLead(), headers: { 'x-api-key': c.apiKey } });
    expect(res.body.StatusCode).toBe(1);
    return res.body.Data.ProspectId;
  }

  const prospect = async (id: string) => (await server.request('GET', `/api/prospects/${id}`, { token: admin })).body;
  const claim = (a: Agent, prospectId: string) => new Promise<LeadClaimAck>((resolve) => a.socket!.emit('lead:claim', { prospectId }, resolve));

  it('refuses sockets without a valid token', async () => {
    for (const auth of [{}, { token: 'garbage' }]) {
      const socket: Client = io(server.url, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
      const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
      expect(error.message).toMatch(/token/i);
      socket.close();
    }
  });

  it('50 agents claim at the same instant: exactly one application, 49 taken', async () => {
    const team = await agents(50);
    await Promise.all(team.map(connect));
    const c = await campaign(team);
    const id = await post(c);
    await eventually(() => team.every((a) => a.offers.some((o) => o.prospectId === id)), 10_000);
    expect(team[0].offers.find((o) => o.prospectId === id)).toMatchObject({ state: 'TX', loanPurpose: 'purchase', loanAmount: 300000, campaign: { id: c.id } });

    const answers = await Promise.all(team.map((a) => claim(a, id)));
    const winners = answers.filter((a) => a.ok);
    expect(winners).toHaveLength(1);
    expect(answers.filter((a) => !a.ok && a.reason === 'taken')).toHaveLength(49);
    const winner = team[answers.findIndex((a) => a.ok)];
    expect(await prospect(id)).toMatchObject({ status: 'assigned' });
    const apps = await server.request('GET', '/api/applications?pageSize=200', { token: admin });
    const forProspect = apps.body.items.filter((a: any) => a.prospect.id === id);
    expect(forProspect).toHaveLength(1);
    expect(forProspect[0].primaryAgent.id).toBe(winner.id);
    // Everyone else sees the offer vanish.
    await eventually(() => team.filter((a) => a !== winner).every((a) => a.taken.includes(id)), 5_000);
    expect(winner.taken).not.toContain(id);
    team.forEach((a) => a.socket!.close());
  });

  it('turns an unclaimed offer into "No agents clicked the New Lead button"', async () => {
    const team = await agents(2);
    await Promise.all(team.map(connect));
    const id = await post(await campaign(team, 5));
    await eventually(async () => (await prospect(id)).status === 'exception', 10_000);
    expect(await prospect(id)).toMatchObject({ failureReason: 'No agents clicked the New Lead button' });
    await eventually(() => team.every((a) => a.expired.includes(id)), 10_000);
    // A late claim is refused.
    expect(await claim(team[0], id)).toEqual({ ok: false, reason: 'taken' });
    team.forEach((a) => a.socket!.close());
  });

  it('files "No available agents were found" when nobody is eligible', async () => {
    const team = await agents(2, false); // logged out of calls
    const id = await post(await campaign(team));
    await eventually(async () => (await prospect(id)).status === 'exception', 5_000);
    expect((await prospect(id)).failureReason).toBe('No available agents were found');
  });

  it('offers an open lead to an eligible agent who connects later; others and strangers cannot claim', async () => {
    const [late, early] = await agents(2);
    const [stranger] = await agents(1);
    await connect(early);
    await connect(stranger);
    const id = await post(await campaign([late, early]));
    await eventually(() => early.offers.some((o) => o.prospectId === id), 5_000);
    expect(await claim(stranger, id)).toEqual({ ok: false, reason: 'not_offered' });
    expect(await claim(stranger, 'not-a-uuid')).toEqual({ ok: false, reason: 'invalid' });

    await connect(late);
    await eventually(() => late.offers.some((o) => o.prospectId === id), 5_000);
    const ack = await claim(late, id);
    expect(ack.ok).toBe(true);
    await eventually(() => late.assigned.includes(id), 5_000);
    // A disconnected agent can't claim: the only way to claim is a live, authenticated socket.
    early.socket!.close();
    expect(early.socket!.connected).toBe(false);
    [late, stranger].forEach((a) => a.socket!.close());
  });

  it('keeps an open offer across a restart: a reconnecting agent gets it and can claim it', async () => {
    // A server of its own on its own data dir, restarted in place.
    const dataDir = path.join(IT_DIR, `da-restart-${process.pid}-${Date.now().toString(36)}`);
    let first: TestServer | undefined = await startServer({ LEADLINE_DATA_DIR: dataDir });
    let second: TestServer | undefined;
    try {
      const token = await first.login();
      const email = `restart-${Date.now()}@it.test`;
      const user = await first.request('POST', '/api/users', { token, body: { name: 'Restart', email, password: 'agent-password-123', role: 'agent', stateLicences: ['TX'] } });
      const agentToken = await first.login(email, 'agent-password-123');
      await first.request('PATCH', '/api/me/session', { token: agentToken, body: { loggedIn: true, callsOn: true } });
      const group = await first.request('POST', '/api/distribution-groups', { token, body: { name: 'restart group', memberIds: [user.body.id] } });
      const c = (await first.request('POST', '/api/campaigns', { token, body: { name: 'restart', distributionType: 'distribute_all', distributionGroupId: group.body.id, offerTimeoutSeconds: 120 } })).body;
      const posted = await first.request('POST', `/api/action-post/${c.id}`, { body: aLead(), headers: { 'x-api-key': c.apiKey } });
      const id = posted.body.Data.ProspectId as string;
      await eventually(async () => (await first!.request('GET', `/api/prospects/${id}`, { token })).body.status === 'distributing', 5_000);
      await first.close();
      first = undefined;

      second = await startServer({ LEADLINE_DATA_DIR: dataDir });
      const agent: Agent = { id: user.body.id, email, token: agentToken, offers: [], taken: [], expired: [], assigned: [] };
      const socket: Client = io(second.url, { auth: { token: agentToken }, transports: ['websocket'], reconnection: false, forceNew: true });
      socket.on('lead:offer', (o) => agent.offers.push(o));
      await eventually(() => agent.offers.some((o) => o.prospectId === id), 5_000);
      expect((await second.request('GET', `/api/prospects/${id}`, { token })).body.status).toBe('distributing');
      const ack = await new Promise<LeadClaimAck>((resolve) => socket.emit('lead:claim', { prospectId: id }, resolve));
      expect(ack.ok).toBe(true);
      socket.close();
    } finally {
      await first?.close();
      await second?.close();
    }
  });

  it('withdraws the offer when a manager assigns the lead meanwhile, and tells the assignee', async () => {
    const team = await agents(2);
    await Promise.all(team.map(connect));
    const id = await post(await campaign(team));
    await eventually(() => team.every((a) => a.offers.some((o) => o.prospectId === id)), 5_000);
    const res = await server.request('POST', `/api/prospects/${id}/assign`, { token: admin, body: { userId: team[1].id } });
    expect(res.status).toBe(201);
    await eventually(() => team[0].taken.includes(id) && team[1].assigned.includes(id), 5_000);
    expect(await claim(team[0], id)).toEqual({ ok: false, reason: 'taken' });
    team.forEach((a) => a.socket!.close());
  });
});
