// Distribute All fan-out: one lead offered to 200 connected agents (real socket.io clients against
// the compiled server in a child process). Measures post accepted → last `lead:offer` received, and
// the claim round trip while all 200 claim at once. Targets (issue 5): fan-out p99 < 100 ms.
import type { ClientToServerEvents, LeadClaimAck, ServerToClientEvents } from '@leadline/contracts';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { io, Socket } from 'socket.io-client';
import { Child } from '../children';
import { envInt } from '../env';
import { machineInfo, machineMarkdown } from '../machine';
import { freePort, isRecord, requestJson } from '../net';
import { fmtMs, median, percentile } from '../stats';
import type { BenchContext, BenchModule, BenchOutcome } from '../types';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

const AGENTS = envInt('BENCH_DA_AGENTS', 200);
const ROUNDS = envInt('BENCH_DA_ROUNDS', 20);
const FANOUT_TARGET_MS = 100;

const secret = (n: number) => randomBytes(n).toString('base64url').slice(0, n);

async function must(p: Promise<{ status: number; body: unknown }>, what: string): Promise<Record<string, unknown>> {
  const res = await p;
  if (res.status >= 300 || !isRecord(res.body)) throw new Error(`${what} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  return res.body;
}

/** Runs `work` over `items`, `width` at a time. */
async function inBatches<T, R>(items: T[], width: number, work: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += width) results.push(...(await Promise.all(items.slice(i, i + width).map((item, j) => work(item, i + j)))));
  return results;
}

/** The figures of one fan-out run (ms). */
export interface FanoutResult {
  fanout: number[];
  firstOffer: number[];
  claimRtt: number[];
  failures: string[];
}

/**
 * Starts a Leadline (SQLite in a fresh data dir, or the database of `env.DATABASE_URL`) with
 * AGENTS connected agents and runs ROUNDS fan-out rounds against it.
 */
export async function measureFanout(ctx: BenchContext, env: Record<string, string> = {}): Promise<FanoutResult> {
  const dir = mkdtempSync(join(tmpdir(), 'leadline-bench-da-'));
  ctx.onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  const port = await freePort();
  const adminPassword = secret(24);
  const child = Child.start(
    'leadline',
    join(ctx.repoRoot, 'dist/apps/server/src/main.js'),
    { NODE_ENV: 'production', JWT_SECRET: secret(48), LEADLINE_DATA_DIR: dir, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ARI_URL: 'http://127.0.0.1:1', ARI_PASSWORD: secret(20), LEADLINE_ADMIN_PASSWORD: adminPassword, ACTION_POST_RATE_LIMIT: '100000000', ...env },
    ctx.repoRoot,
  );
  ctx.onCleanup(() => child.stop());
  const url = `http://127.0.0.1:${port}`;
  await child.waitForHttp(`${url}/api/health`, 60_000);
  const admin = (await must(requestJson(`${url}/api/auth/login`, { body: { email: 'admin@leadline.local', password: adminPassword } }), 'admin login')).accessToken as string;
  const auth = { authorization: `Bearer ${admin}` };

  ctx.progress(`creating ${AGENTS} agents`);
  const agents = await inBatches(Array.from({ length: AGENTS }, (_, i) => i), 8, async (i) => {
    const email = `bench-agent-${i}@bench.test`;
    // Set-up, not measured: each user costs two argon2 hashes, slow on a busy machine, so a long timeout.
    const timeoutMs = 120_000;
    const user = await must(requestJson(`${url}/api/users`, { headers: auth, body: { name: `Agent ${i}`, email, password: 'bench-agent-password', role: 'agent' }, timeoutMs }), 'create agent');
    const token = (await must(requestJson(`${url}/api/auth/login`, { body: { email, password: 'bench-agent-password' }, timeoutMs }), 'agent login')).accessToken as string;
    await must(requestJson(`${url}/api/me/session`, { method: 'PATCH', headers: { authorization: `Bearer ${token}` }, body: { loggedIn: true, callsOn: true }, timeoutMs }), 'agent session');
    return { id: user.id as string, token };
  });
  const group = await must(requestJson(`${url}/api/distribution-groups`, { headers: auth, body: { name: 'bench', memberIds: agents.map((a) => a.id) } }), 'group');
  const campaign = await must(requestJson(`${url}/api/campaigns`, { headers: auth, body: { name: 'bench fan-out', distributionType: 'distribute_all', distributionGroupId: group.id, offerTimeoutSeconds: 60 } }), 'campaign');

  ctx.progress(`connecting ${AGENTS} socket.io clients`);
  const offers = new Map<string, number[]>(); // prospectId → arrival times
  const sockets: Client[] = await inBatches(agents, 20, (a) => {
    const socket: Client = io(url, { auth: { token: a.token }, transports: ['websocket'], reconnection: false, forceNew: true });
    socket.on('lead:offer', (o) => {
      const list = offers.get(o.prospectId) ?? [];
      list.push(performance.now());
      offers.set(o.prospectId, list);
    });
    return new Promise<Client>((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', reject);
    });
  });
  ctx.onCleanup(() => sockets.forEach((s) => s.close()));

  const fanout: number[] = [];
  const firstOffer: number[] = [];
  const claimRtt: number[] = [];
  const failures: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const body = { FirstName: 'Fan', LastName: `Out${round}`, MobilePhone: `+1512${String(2_000_000 + round * 7919).padStart(7, '0')}` };
    const posted = await requestJson(`${url}/api/action-post/${campaign.id as string}`, { headers: { 'x-api-key': campaign.apiKey as string }, body });
    const accepted = performance.now();
    const data = isRecord(posted.body) && isRecord(posted.body.Data) ? posted.body.Data : undefined;
    const prospectId = data?.ProspectId;
    if (posted.status !== 200 || typeof prospectId !== 'string') {
      failures.push(`round ${round}: post answered ${posted.status}`);
      continue;
    }
    const deadline = Date.now() + 10_000;
    while ((offers.get(prospectId)?.length ?? 0) < AGENTS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
    const arrivals = offers.get(prospectId) ?? [];
    if (arrivals.length < AGENTS) {
      failures.push(`round ${round}: only ${arrivals.length}/${AGENTS} offers arrived`);
      continue;
    }
    fanout.push(Math.max(...arrivals) - accepted);
    firstOffer.push(Math.min(...arrivals) - accepted);

    // Everyone claims at once: exactly one may win.
    const answers = await Promise.all(
      sockets.map(
        (s) =>
          new Promise<{ ack: LeadClaimAck; ms: number }>((resolve) => {
            const t0 = performance.now();
            s.emit('lead:claim', { prospectId }, (ack) => resolve({ ack, ms: performance.now() - t0 }));
          }),
      ),
    );
    claimRtt.push(...answers.map((a) => a.ms));
    const winners = answers.filter((a) => a.ack.ok).length;
    if (winners !== 1) failures.push(`round ${round}: ${winners} claims won`);
  }
  // This server is done: stop it and its clients now (the caller may measure another one next).
  sockets.forEach((s) => s.close());
  await child.stop();
  return { fanout, firstOffer, claimRtt, failures };
}

async function run(ctx: BenchContext): Promise<BenchOutcome> {
  const { fanout, firstOffer, claimRtt, failures } = await measureFanout(ctx);
  const p = (v: number[], q: number) => fmtMs(percentile(v, q / 100));
  const pass = (ok: boolean) => (ok ? 'PASS' : 'MISS');
  const fanP99 = percentile(fanout, 0.99);
  const rows = [
    `| post accepted → first \`lead:offer\` | ${p(firstOffer, 50)} | ${p(firstOffer, 99)} | |`,
    `| post accepted → last of ${AGENTS} \`lead:offer\` | ${p(fanout, 50)} | ${p(fanout, 99)} | ${pass(fanP99 < FANOUT_TARGET_MS)} (p99 < ${FANOUT_TARGET_MS} ms) |`,
    `| \`lead:claim\` round trip, ${AGENTS} claiming at once | ${p(claimRtt, 50)} | ${p(claimRtt, 99)} | |`,
  ];
  const markdown = [
    machineMarkdown(machineInfo()),
    '',
    `${ROUNDS} leads posted one after another to a \`distribute_all\` campaign whose group holds ${AGENTS} agents, each connected with its own socket.io client (websocket) in the bench process; the server runs compiled, in production mode, as a child process on SQLite. "Accepted" is the moment the Action Post answer arrives; offers are timed on arrival at the clients. After each round's offers, all ${AGENTS} clients claim at once; exactly one claim must win (checked every round). Median of rounds for the fan-out: ${fmtMs(median(fanout))}.`,
    '',
    '| measure | p50 | p99 | target |',
    '|---|---:|---:|---|',
    ...rows,
  ].join('\n');
  return { heading: 'Distribute All fan-out', markdown, text: rows.join('\n'), failures };
}

export const distributeAllBench: BenchModule = { name: 'distribute-all', run };
