// Several server instances (REDIS_URL): two compiled server processes sharing one database and a
// real Redis, agents connected to either with real socket.io clients. Offers, claims, taken and
// expired notices, late joiners and the offer timeout must behave as on one instance.
import type { LeadClaimAck } from '@leadline/contracts';
import { io } from 'socket.io-client';
import { Cluster, startCluster } from '../harness/cluster';
import { IT_PORT_BASE } from '../harness/it-env';
import { startRedis, RedisHandle } from '../harness/redis';
import { ApiClient, eventually, ServerProcess, spawnServer } from '../harness/server';
import { AgentSocket as Client, connectOfferAgent, OfferAgent } from '../harness/offer-agent';
import { SippHandle, stopAllSipp } from '../harness/sipp';
import { aLead, agentSipp, callActivity, postLead, setupRingAll } from './ring-all.fixture';

type Agent = OfferAgent;

describe('Scale-out: two instances, one database, one Redis', () => {
  let redis: RedisHandle;
  let cluster: Cluster;
  let A: ServerProcess;
  let B: ServerProcess;
  let admin: string;
  let seq = 0;
  const sockets: Client[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    cluster = await startCluster(2, { name: 'scale', redisUrl: redis.url });
    [A, B] = cluster.instances;
    admin = await A.login();
  });

  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await cluster?.stop();
    await redis?.stop();
    await stopAllSipp();
  });

  async function agents(n: number): Promise<Agent[]> {
    return Promise.all(
      Array.from({ length: n }, async () => {
        const email = `so${++seq}-${Date.now()}@it.test`;
        const user = await A.request('POST', '/api/users', { token: admin, body: { name: `SO ${seq}`, email, password: 'agent-password-123', role: 'agent', stateLicences: ['TX'] } });
        expect(user.status).toBe(201);
        // Logged in through B: one database, one JWT secret, so either instance will do.
        const token = await B.login(email, 'agent-password-123');
        await B.request('PATCH', '/api/me/session', { token, body: { loggedIn: true, callsOn: true } });
        return { id: user.body.id, token, offers: [], taken: [], expired: [], assigned: [] };
      }),
    );
  }

  function connect(agent: Agent, to: ApiClient): Promise<Client> {
    const connected = connectOfferAgent(to.url, agent);
    sockets.push(agent.socket!);
    return connected;
  }

  async function campaign(members: Agent[], extra: Record<string, unknown> = {}): Promise<{ id: string; apiKey: string }> {
    const group = await A.request('POST', '/api/distribution-groups', { token: admin, body: { name: `so group ${++seq}`, memberIds: members.map((m) => m.id) } });
    const c = await A.request('POST', '/api/campaigns', { token: admin, body: { name: `so ${seq}`, distributionType: 'distribute_all', distributionGroupId: group.body.id, offerTimeoutSeconds: 60, ...extra } });
    expect(c.status).toBe(201);
    return c.body;
  }

  async function post(to: ApiClient, c: { id: string; apiKey: string }): Promise<string> {
    const res = await to.request('POST', `/api/action-post/${c.id}`, { body: aLead(), headers: { 'x-api-key': c.apiKey } });
    expect(res.body.StatusCode).toBe(1);
    return res.body.Data.ProspectId;
  }

  const prospect = async (id: string, via: ApiClient = A) => (await via.request('GET', `/api/prospects/${id}`, { token: admin })).body;
  const claim = (a: Agent, prospectId: string) => new Promise<LeadClaimAck>((resolve) => a.socket!.emit('lead:claim', { prospectId }, resolve));
  const applicationsOf = async (id: string, via: ApiClient = A) => (await via.request('GET', '/api/applications?pageSize=200', { token: admin })).body.items.filter((a: any) => a.prospect.id === id);
  const health = async (s: ApiClient) => {
    const res = await s.request('GET', '/api/health');
    return { status: res.status, redis: res.body.redis };
  };

  it('reports Redis in /api/health on every instance', async () => {
    for (const s of [A, B]) expect(await health(s)).toEqual({ status: 200, redis: expect.objectContaining({ connected: true }) });
  });

  it('an offer posted to instance A reaches an agent connected only to instance B', async () => {
    const [onA, onB] = await agents(2);
    await connect(onA, A);
    await connect(onB, B);
    const id = await post(A, await campaign([onA, onB]));
    await eventually(() => onB.offers.some((o) => o.prospectId === id) && onA.offers.some((o) => o.prospectId === id), 10_000);
    expect(onB.offers.find((o) => o.prospectId === id)).toMatchObject({ state: 'TX', loanAmount: 300000 });
    // B's agent claims on B an offer A made: the database decides, A's agent sees it taken.
    expect(await claim(onB, id)).toMatchObject({ ok: true });
    await eventually(() => onA.taken.includes(id) && onB.assigned.includes(id), 5_000);
    expect(await prospect(id, B)).toMatchObject({ status: 'assigned' });
    expect(onB.taken).not.toContain(id);
  });

  it('30 agents on both instances claim at the same instant: exactly one winner, everyone else sees taken', async () => {
    const team = await agents(30);
    await Promise.all(team.map((a, i) => connect(a, i % 2 ? B : A)));
    const id = await post(B, await campaign(team));
    await eventually(() => team.every((a) => a.offers.some((o) => o.prospectId === id)), 10_000);

    const answers = await Promise.all(team.map((a) => claim(a, id)));
    expect(answers.filter((a) => a.ok)).toHaveLength(1);
    expect(answers.filter((a) => !a.ok && a.reason === 'taken')).toHaveLength(29);
    const winner = team[answers.findIndex((a) => a.ok)];
    const apps = await applicationsOf(id);
    expect(apps).toHaveLength(1);
    expect(apps[0].primaryAgent.id).toBe(winner.id);
    await eventually(() => team.filter((a) => a !== winner).every((a) => a.taken.includes(id)) && winner.assigned.includes(id), 5_000);
    expect(winner.taken).not.toContain(id);
    // Exactly once each: two instances do not both tell.
    for (const a of team) expect(a.taken.filter((p) => p === id).length).toBeLessThanOrEqual(1);
  }, 120_000); // creating 30 users (argon2) is most of it

  it('an agent connecting to B after a post to A gets the open offer and can claim it there', async () => {
    const [early, late] = await agents(2);
    await connect(early, A);
    const id = await post(A, await campaign([early, late]));
    await eventually(() => early.offers.some((o) => o.prospectId === id), 5_000);
    expect(late.socket).toBeUndefined();

    await connect(late, B);
    await eventually(() => late.offers.some((o) => o.prospectId === id), 5_000);
    expect(await claim(late, id)).toMatchObject({ ok: true });
    await eventually(() => early.taken.includes(id) && late.assigned.includes(id), 5_000);
    expect(await claim(early, id)).toEqual({ ok: false, reason: 'taken' });
  });

  it('a presence change made on B reaches the agent\'s socket on A, and a new socket on A gets the same state', async () => {
    const [agent] = await agents(1);
    await B.request('PATCH', '/api/me/session', { token: agent.token, body: { callsOn: false } });
    const seen: string[] = [];
    const socket: Client = io(A.url, { auth: { token: agent.token }, transports: ['websocket'], reconnection: false, forceNew: true });
    sockets.push(socket);
    socket.on('presence', (p) => seen.push(`${p.state}/${p.reason}@${p.since}`));
    // B's own push may race the snapshot A hands the new socket: either way it ends calls_off.
    await eventually(() => /^unavailable\/calls_off@/.test(seen[seen.length - 1] ?? ''), 5_000);
    await B.request('PATCH', '/api/me/session', { token: agent.token, body: { callsOn: true } });
    await eventually(() => /^available\/available@/.test(seen[seen.length - 1]), 5_000);
    const again: string[] = [];
    const second: Client = io(A.url, { auth: { token: agent.token }, transports: ['websocket'], reconnection: false, forceNew: true });
    sockets.push(second);
    second.on('presence', (p) => again.push(`${p.state}/${p.reason}@${p.since}`));
    await eventually(() => again.length === 1, 5_000);
    // A hands out B's change, not what it knew before. `since` is B's, or A's own reading of the
    // database when B's message about it is still on its way: a moment apart either way.
    const [state, since] = again[0].split('@');
    const [stateSeen, sinceSeen] = seen[seen.length - 1].split('@');
    expect(state).toBe(stateSeen);
    expect(Math.abs(Date.parse(since) - Date.parse(sinceSeen))).toBeLessThan(2_000);
  });

  it('an instance dies mid ring-all: another files its lead as Fatal error and frees its agent; live rounds elsewhere are untouched', async () => {
    // This suite's SIPp ports: IT_PORT_BASE + 281, 282 (the 2xx block is otherwise unused).
    const phones: SippHandle[] = [await agentSipp(IT_PORT_BASE + 281, {}, 'no-answer'), await agentSipp(IT_PORT_BASE + 282, {}, 'no-answer')];
    try {
      const C = await cluster.add(); // the instance that will die
      await eventually(async () => (await C.request('GET', '/api/health')).status === 200, 15_000);
      const onC = await setupRingAll(C, { agents: 1, phoneAt: () => `127.0.0.1:${IT_PORT_BASE + 281}`, ringTimeoutSeconds: 60 });
      const onB = await setupRingAll(B, { agents: 1, phoneAt: () => `127.0.0.1:${IT_PORT_BASE + 282}`, ringTimeoutSeconds: 60 });
      const lost = await postLead(C, onC);
      const live = await postLead(B, onB);
      await eventually(async () => (await phones[0].receivedInvites()).length === 1 && (await phones[1].receivedInvites()).length === 1, 10_000);
      const me = async (via: ApiClient, token: string) => (await via.request('GET', '/api/me', { token })).body;
      expect(await me(B, onC.agents[0].token)).toMatchObject({ onCall: true });

      await C.kill();
      // B's sweep for stopped instances (every 15 s; an instance B saw alive must miss two rolls)
      // recovers C's rows, and only those.
      // One pass files the lead, then frees the agent, then closes the legs: wait for the pass's end.
      await eventually(async () => (await prospect(lost, B)).status === 'exception' && !(await me(B, onC.agents[0].token)).onCall
        && (await callActivity(B, onC, lost)).every((l: any) => l.endedAt), 45_000, 250);
      expect(await prospect(lost, B)).toMatchObject({ failureReason: 'Fatal error' });

      expect(await prospect(live, B)).toMatchObject({ status: 'distributing' });
      expect(await me(B, onB.agents[0].token)).toMatchObject({ onCall: true });
      expect((await callActivity(B, onB, live)).some((l: any) => !l.endedAt)).toBe(true);
    } finally {
      await Promise.all(phones.map((p) => p.stop()));
    }
  }, 120_000);

  it('refuses to start when REDIS_URL points at no Redis, saying so', async () => {
    const dead = `redis://127.0.0.1:${redis.port + 1}`;
    const err = await spawnServer({ REDIS_URL: dead, JWT_SECRET: A.env.JWT_SECRET, LEADLINE_DATA_DIR: `${cluster.instances[0].env.LEADLINE_DATA_DIR}-nored`, ARI_APP: `it-nored-${process.pid}` }).then(
      (s) => s.stop().then(() => new Error('started')),
      (e: Error) => e,
    );
    expect(err.message).toMatch(/cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+/);
  });

  it('refuses to start a second instance on a Stasis app another instance already runs', async () => {
    const err = await cluster.add({ ARI_APP: A.env.ARI_APP }).then(
      (s) => s.stop().then(() => new Error('started')),
      (e: Error) => e,
    );
    expect(err.message).toContain(`already runs Stasis app "${A.env.ARI_APP}"`);
    // A kept its app and its link.
    expect((await A.request('GET', '/api/health')).body.ari).toMatchObject({ connected: true });
  });

  it('Redis lost: /api/health answers 503 on both, each instance still serves its own sockets; back: 200, and offers cross instances again', async () => {
    const [onA, onB] = await agents(2);
    const c = await campaign([onA, onB]);
    // Messages to the other instances in flight as Redis dies (sent, never answered) must not take
    // an instance with it: a presence change on each publishes one to a Redis that hangs, then dies.
    redis.freeze();
    const callsOn = (agent: Agent, via: ApiClient, on: boolean) => via.request('PATCH', '/api/me/session', { token: agent.token, body: { callsOn: on } });
    expect((await callsOn(onA, A, false)).status).toBe(200);
    expect((await callsOn(onB, B, false)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    await redis.kill();
    for (const [agent, via] of [[onA, A], [onB, B]] as const) expect((await callsOn(agent, via, true)).status).toBe(200);
    for (const s of [A, B]) await eventually(async () => (await health(s)).status === 503, 10_000);
    expect((await health(B)).redis).toMatchObject({ connected: false, error: expect.any(String) });
    await connect(onA, A);
    await connect(onB, B);
    const during = await post(A, c);
    await eventually(() => onA.offers.some((o) => o.prospectId === during), 10_000);
    // The database still decides: B's agent claims on B the offer A made while Redis is away.
    expect(await claim(onB, during)).toMatchObject({ ok: true });
    expect(await prospect(during, B)).toMatchObject({ status: 'assigned' });
    // (The taken notice for A's agent was published into the void or queued: not asserted — a
    // late claim from A's agent hears "taken" from the database either way.)
    expect(await claim(onA, during)).toEqual({ ok: false, reason: 'taken' });
    await redis.start();
    for (const s of [A, B]) await eventually(async () => (await health(s)).status === 200, 15_000);
    // Each counted the message Redis took and never confirmed (the log line may trail the health).
    const counted = /Redis connection is back; \d+ message\(s\) to other instances sent as it went away may not have arrived/;
    for (const s of [A, B]) await eventually(() => counted.test(s.output()), 5_000);

    const after = await post(A, await campaign([onA, onB]));
    await eventually(() => onB.offers.some((o) => o.prospectId === after), 10_000);
  });

  it('the offer timeout files exactly one lead exception, also when the instance that made the offer dies', async () => {
    const [onA, onB, fallback] = await agents(3);
    await connect(onA, A);
    await connect(onB, B);
    await connect(fallback, B);
    // A default agent makes a second expiry visible: it would assign the lead twice.
    const c = await campaign([onA, onB], { offerTimeoutSeconds: 5, defaultAgentId: fallback.id });
    const normal = await post(A, c);
    await eventually(() => onB.offers.some((o) => o.prospectId === normal), 5_000);
    // Both instances run the expiry (A's timer, everyone's sweep); one files the exception.
    await eventually(async () => (await prospect(normal, B)).status === 'assigned', 12_000);
    expect(await prospect(normal, B)).toMatchObject({ failureReason: 'No agents clicked the New Lead button' });

    const orphan = await post(A, c);
    await eventually(() => onB.offers.some((o) => o.prospectId === orphan), 5_000);
    await A.kill(); // the offer's maker is gone before its time is up: B must expire it
    await eventually(async () => (await prospect(orphan, B)).status === 'assigned', 15_000);
    expect(await prospect(orphan, B)).toMatchObject({ failureReason: 'No agents clicked the New Lead button' });
    const ids = [normal, orphan];
    for (const id of ids) {
      const apps = await applicationsOf(id, B);
      expect(apps).toHaveLength(1);
      expect(apps[0].primaryAgent.id).toBe(fallback.id);
    }
    await eventually(() => ids.every((id) => onB.expired.includes(id)) && ids.every((id) => fallback.assigned.includes(id)), 15_000).catch((err: unknown) => {
      throw new Error(`${String(err)}; ${JSON.stringify({ ids, expired: onB.expired, taken: onB.taken, assigned: fallback.assigned })}`);
    });
    await new Promise((r) => setTimeout(r, 2_500)); // one more sweep on B: nothing more may happen
    for (const id of ids) {
      expect(onB.expired.filter((p) => p === id)).toHaveLength(1);
      expect(fallback.assigned.filter((p) => p === id)).toHaveLength(1);
      expect(onB.taken).not.toContain(id);
    }
  });
});
