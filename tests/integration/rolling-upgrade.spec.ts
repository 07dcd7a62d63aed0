// Graceful stop and a rolling upgrade of two instances (issue 19): compiled servers (dist/) on one
// database and one Redis, real Asterisk, agents' desk phones and the borrower played by SIPp. Stop
// A (SIGTERM) while its round rings and while leads keep arriving at it, start A', then the same
// with B: the round ringing at the SIGTERM ends normally (an application, not a Fatal error), the
// leads A accepted while stopping are answered 2xx, stored `new` and distributed by B within
// seconds, and every accepted lead ends as an application or a lead exception — none is lost.
// The calls the rounds connect outlive the instance that connected them: no call is cut by the
// upgrade (the borrower always hangs up first, after talking its full time; it never gets a BYE).
import { FAILURE_REASONS } from '@leadline/domain';
import { knex } from '@mikro-orm/knex';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import * as path from 'node:path';
import { Cluster, sharedDatabaseEnv, startCluster } from '../harness/cluster';
import { IT_DIR, IT_PORT_BASE, IT_PORTS } from '../harness/it-env';
import { RedisHandle, startRedis } from '../harness/redis';
import { eventually, ServerProcess, spawnServer } from '../harness/server';
import { SippHandle, stopAllSipp } from '../harness/sipp';
import { agentSipp, borrowerSipp, postLead, RingAllSetup, setupRingAll } from './ring-all.fixture';

/** The instances' shared database, read directly (who distributed a lead; leads of a stopped server). */
function knexOf(url: string): ReturnType<typeof knex> {
  return url.startsWith('sqlite:') ? knex({ client: 'better-sqlite3', connection: { filename: url.slice('sqlite:'.length) }, useNullAsDefault: true }) : knex({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
}

// This suite's SIPp agent phones: IT_PORT_BASE + 120..122.
const AGENT_PORTS = [0, 1, 2].map((i) => IT_PORT_BASE + 120 + i);
const BORROWER_TALK_MS = 4_000;

describe('Graceful stop and rolling upgrade (compiled servers, real Asterisk and SIPp)', () => {
  let redis: RedisHandle;
  let cluster: Cluster;
  let setup: RingAllSetup;
  let db: ReturnType<typeof knex>;
  const phones: SippHandle[] = [];
  let borrower: SippHandle;
  /** Every lead an instance accepted (answered 2xx), with the instance it was posted to. */
  const accepted: { id: string; to: string }[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    cluster = await startCluster(2, { name: 'rolling', redisUrl: redis.url, env: { SHUTDOWN_GRACE_SECONDS: '30' } });
    db = knexOf(cluster.instances[0].env.DATABASE_URL);
    // Agents answer after ~2 s and press 1, then stay until hung up; the borrower talks BORROWER_TALK_MS
    // and hangs up: the call the round ringing at a SIGTERM connects is still up when its instance exits.
    for (const port of AGENT_PORTS) phones.push(await agentSipp(port, { answer_ms: '2000', answer_jitter_ms: '300', dtmf_ms: '300' }));
    phones.push((borrower = await borrowerSipp(IT_PORTS.trunk, 'borrower-answer', { answer_ms: '200', talk_ms: String(BORROWER_TALK_MS) })));
    setup = await setupRingAll(cluster.instances[0], { agents: AGENT_PORTS.length, phoneAt: (i) => `127.0.0.1:${AGENT_PORTS[i]}`, ringTimeoutSeconds: 10 });
  });

  afterAll(async () => {
    await db?.destroy();
    await cluster?.stop();
    await redis?.stop();
    await stopAllSipp();
  });

  const post = async (to: ServerProcess, name: string) => {
    const id = await postLead(to, setup);
    accepted.push({ id, to: name });
    return id;
  };
  const prospect = async (id: string, via: ServerProcess, admin = setup.admin) => (await via.request('GET', `/api/prospects/${id}`, { token: admin })).body;
  /** Every agent off the phone (the previous round's calls over), so the next round rings them all. */
  const agentsFree = (via: ServerProcess, agents = setup.agents) =>
    eventually(async () => {
      for (const a of agents) if ((await via.request('GET', '/api/me', { token: a.token })).body.onCall !== false) return false;
      return true;
    }, 20_000, 200);
  const owner = (s: ServerProcess) => `${s.env.ARI_APP}@${s.env.ARI_URL}`;
  const settled = (id: string, via: ServerProcess, timeoutMs = 30_000) =>
    eventually(async () => {
      const p = await prospect(id, via);
      return p.status === 'assigned' || p.status === 'exception' ? p : undefined;
    }, timeoutMs, 200);

  /**
   * SIGTERM `old` while a round it started rings, posts two leads to it while it stops, and starts
   * its replacement (same Stasis app, as an upgrade would) once `other` distributed those two.
   */
  async function upgrade(old: ServerProcess, name: string, other: ServerProcess): Promise<ServerProcess> {
    await agentsFree(other);
    const ringing = await post(old, name);
    await eventually(async () => (await prospect(ringing, other)).status === 'distributing', 10_000, 100);
    const stopped = old.stop();
    // Still answering while its round rings: accepted, stored `new`, not distributed by it.
    const whileStopping = [await post(old, `${name} (stopping)`), await post(old, `${name} (stopping)`)];
    await stopped;
    // The round it was ringing ended normally within the grace: an application.
    expect(await settled(ringing, other)).toMatchObject({ status: 'assigned' });
    // The other instance picked the leads left `new` up within seconds (not the recovery sweep's minute).
    const picked = Date.now();
    for (const id of whileStopping) await eventually(async () => (await prospect(id, other)).status !== 'new', 15_000, 200);
    expect(Date.now() - picked).toBeLessThan(15_000);
    const owners = await db('prospect').whereIn('id', whileStopping).select('distribution_owner');
    expect(owners.map((r: { distribution_owner: string }) => r.distribution_owner)).toEqual([owner(other), owner(other)]);
    // Leads keep arriving at the instance still up.
    await post(other, 'other');
    return cluster.add({ ARI_APP: old.env.ARI_APP });
  }

  it('stop A, start A\', stop B, start B\' with leads arriving: every accepted lead ends as an application or a lead exception', async () => {
    const [A, B] = cluster.instances;
    await post(A, 'A');
    await post(B, 'B');
    for (const { id } of accepted) await settled(id, A);

    const A2 = await upgrade(A, 'A', B);
    await post(A2, "A'");
    const B2 = await upgrade(B, 'B', A2);
    await post(B2, "B'");
    await post(A2, "A'");

    const outcomes = [];
    for (const { id, to } of accepted) outcomes.push({ to, ...(await settled(id, B2, 40_000)) });
    // Nothing lost and nothing interrupted: every lead an application, or an exception for a
    // reason a single instance gives too (agents busy with the previous round) — never Fatal error.
    const normal: string[] = [FAILURE_REASONS.noAvailableAgents, FAILURE_REASONS.noAgentsAnswered];
    expect(outcomes.filter((o) => o.status !== 'assigned' && !normal.includes(o.failureReason)).map((o) => [o.to, o.status, o.failureReason])).toEqual([]);
    expect(outcomes).toHaveLength(13);
    expect(outcomes.filter((o) => o.status === 'assigned').length).toBeGreaterThanOrEqual(4);
    const rows = await db('prospect').whereIn('id', accepted.map((a) => a.id)).whereIn('status', ['new', 'distributing']).count({ n: '*' });
    expect(Number(rows[0].n)).toBe(0);
    // No call was cut: each borrower talked its full time and hung up itself, never got a BYE,
    // the calls connected just before each SIGTERM included (taken over by the next process).
    const talks = await eventually(async () => {
      const legs: { result: string; talk_seconds: number | null; ended_at: unknown }[] = await db('call_activity').whereIn('prospect_id', accepted.map((a) => a.id)).where({ purpose: 'borrower' }).select('result', 'talk_seconds', 'ended_at');
      return legs.every((l) => l.ended_at) ? legs : undefined;
    }, 20_000, 200);
    expect(talks.length).toBe(outcomes.filter((o) => o.status === 'assigned').length);
    for (const leg of talks) expect([leg.result, leg.talk_seconds! >= BORROWER_TALK_MS / 1000 - 1]).toEqual(['completed', true]);
    expect(await borrower.receivedRequests('BYE')).toHaveLength(0);
  }, 240_000);

  it('one instance without Redis: SIGTERM lets its round end; a lead accepted meanwhile is distributed by the next process at its start', async () => {
    const env: Record<string, string> = { ...(await sharedDatabaseEnv('graceful')), JWT_SECRET: randomBytes(32).toString('base64url'), SHUTDOWN_GRACE_SECONDS: '30', ARI_APP: `it-graceful-${process.pid}` };
    const first = await spawnServer({ ...env, LEADLINE_DATA_DIR: mkdtempSync(path.join(IT_DIR, 'graceful-1-')) });
    const own = await setupRingAll(first, { agents: AGENT_PORTS.length, phoneAt: (i) => `127.0.0.1:${AGENT_PORTS[i]}`, ringTimeoutSeconds: 10 });
    await agentsFree(first, own.agents);
    const ringing = await postLead(first, own);
    await eventually(async () => (await prospect(ringing, first, own.admin)).status === 'distributing', 10_000, 100);
    const stopped = first.stop();
    const left = await postLead(first, own);
    await stopped;
    // Down: the database says how the stop left them.
    const ownDb = knexOf(env.DATABASE_URL);
    const status = async (id: string) => ((await ownDb('prospect').where({ id }).first()) as { status: string }).status;
    let next: ServerProcess | undefined;
    try {
      expect(await status(ringing)).toBe('assigned');
      expect(await status(left)).toBe('new');
      next = await spawnServer({ ...env, LEADLINE_DATA_DIR: mkdtempSync(path.join(IT_DIR, 'graceful-2-')) });
      const n = next;
      const settledLeft = await eventually(async () => {
        const p = await prospect(left, n, own.admin);
        return p.status === 'assigned' || p.status === 'exception' ? p : undefined;
      }, 30_000, 200);
      expect(settledLeft).toMatchObject({ status: 'assigned' });
    } finally {
      await next?.stop();
      await ownDb.destroy();
    }
  }, 120_000);
});
