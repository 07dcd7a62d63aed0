// Restart benchmark (issue 19): how long a restart of the server takes with N connected calls in
// Asterisk — from SIGTERM of the old process to its exit, to the new process answering
// GET /api/health 200 (ARI link up), and to the new process listing all N calls again (taken over).
// Calls are click-to-calls between SIPp phones (the agents' desk phones answer, the carrier answers
// as the borrowers) on the bench's own Asterisk. docs/benchmarks.md "## Restart with live calls".
import { mkdirSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { SippHandle, startSipp } from '../../tests/harness/sipp';
import { envInt } from '../env';
import { machineInfo, machineMarkdown } from '../machine';
import { markdownTable, textTable } from '../markdown';
import { freePort, requestJson } from '../net';
import { fmtMs } from '../stats';
import type { BenchContext, BenchModule, BenchOutcome } from '../types';
import { scenarioFile } from '../inbound/calls';
import { startBenchAsterisk } from '../ring-all/asterisk';
import { sleep } from '../ring-all/clock';
import { LeadlineAgent, LeadlineOptions, LeadlineServer } from '../ring-all/leadline';
import { spread } from '../ring-all/measure';

/** Own ports: clear of the integration slots (SIP 20000-27999, SIPp media 30000-39996), the other benches (35xxx-36xxx, 38088-42xxx, 46000-49999). */
const PORTS = {
  ari: 43088,
  sip: 43060,
  rtpStart: 44000,
  rtpEnd: 45999,
  trunkHost: '127.0.0.2',
  trunk: 43090,
  agentPhone: 43071,
  agentMedia: 43200,
  borrowerMedia: 43300,
};
const ARI_APP = 'leadline-bench-restart';
const AREA_CODES = ['512', '214', '713'];
/** How long each process runs before its SIGTERM. */
const SETTLE_MS = 10_000;

function settings() {
  const counts = (process.env.BENCH_RESTART_CALLS ?? '0,50,200').split(',').map((c) => Number(c.trim()));
  if (counts.some((c) => !Number.isInteger(c) || c < 0) || counts.some((c, i) => i > 0 && c < counts[i - 1])) throw new Error('BENCH_RESTART_CALLS: ascending whole numbers, e.g. 0,50,200');
  return { counts, restarts: envInt('BENCH_RESTART_ROUNDS', 5, 1) };
}

/** A distinct borrower number per call. */
function borrowerNumber(i: number): string {
  return `+1${AREA_CODES[Math.floor(i / 100) % AREA_CODES.length]}55501${String(i % 100).padStart(2, '0')}`;
}

/** Runs `fn` over `items`, `width` at a time. */
async function inBatches<T, R>(items: T[], width: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += width) out.push(...(await Promise.all(items.slice(i, i + width).map((item, j) => fn(item, i + j)))));
  return out;
}

interface Restart {
  calls: number;
  exitMs: number;
  /** The new process answers HTTP at all (health 503 while its ARI link is not up yet). */
  httpMs: number;
  healthMs: number;
  adoptedMs: number;
}

async function run(ctx: BenchContext): Promise<BenchOutcome> {
  const s = settings();
  const loadBefore = loadavg()[0];
  const startedAt = Date.now();
  const dataDir = join(ctx.repoRoot, '.tmp', 'bench-restart');
  const traceDir = join(dataDir, 'sipp');
  for (const d of [traceDir, join(dataDir, 'leadline'), join(dataDir, 'server.log')]) rmSync(d, { recursive: true, force: true });
  mkdirSync(traceDir, { recursive: true });
  const ariPassword = randomBytes(18).toString('base64url');
  const failures: string[] = [];

  ctx.progress(`Asterisk on ARI 127.0.0.1:${PORTS.ari} (app ${ARI_APP}), SIP ${PORTS.sip}, RTP ${PORTS.rtpStart}-${PORTS.rtpEnd} …`);
  const ast = await startBenchAsterisk({ repoRoot: ctx.repoRoot, dataDir, ports: PORTS, ariPassword, ariApp: ARI_APP });
  ctx.onCleanup(() => ast.stop());
  // Every agent's desk phone is this one SIPp (it answers each INVITE after 100 ms); the carrier
  // answers each borrower call after 100 ms and stays until the BYE.
  const phones: SippHandle[] = [
    await startSipp({ scenario: scenarioFile(ctx.repoRoot, 'agent-silent'), port: PORTS.agentPhone, mediaPort: PORTS.agentMedia, vars: { answer_ms: '100' }, traceDir, name: 'agents' }),
    await startSipp({ scenario: scenarioFile(ctx.repoRoot, 'borrower-answer'), port: PORTS.trunk, ip: PORTS.trunkHost, mediaPort: PORTS.borrowerMedia, vars: { answer_ms: '100', talk_ms: '0' }, traceDir, name: 'carrier' }),
  ];
  ctx.onCleanup(async () => {
    await Promise.all(phones.map((p) => p.stop()));
  });
  const byes = async () => (await Promise.all(phones.map((p) => p.receivedRequests('BYE')))).reduce((n, list) => n + list.length, 0);

  // One HTTP port and one JWT secret for every process, so the bench watches the restart from
  // outside and its tokens stay valid.
  const port = await freePort();
  const options: LeadlineOptions = {
    dataDir: join(dataDir, 'leadline'),
    ariUrl: ast.ariUrl,
    ariPassword,
    ariApp: ARI_APP,
    sipPort: PORTS.sip,
    adminPassword: randomBytes(18).toString('base64url'),
    port,
    env: { JWT_SECRET: randomBytes(48).toString('base64url') },
    logFile: join(dataDir, 'server.log'),
  };
  let server = await LeadlineServer.start(ctx, options);
  await server.setOrgCallerIds();
  const adminToken = await server.login('admin@bench.test', options.adminPassword!);
  const most = Math.max(...s.counts);
  ctx.progress(`${most} agents (one SIPp phone for all) …`);
  const agents: LeadlineAgent[] = await inBatches(
    Array.from({ length: most }, (_, i) => i),
    8,
    (i) => server.createAgent(`restart-${i}`, `127.0.0.1:${PORTS.agentPhone}`),
  );

  const base = `http://127.0.0.1:${port}/api`;
  const liveCalls = async (): Promise<number | undefined> => {
    const res = await requestJson(`${base}/calls/live`, { headers: { authorization: `Bearer ${adminToken}` }, timeoutMs: 5_000 }).catch(() => undefined);
    return res?.status === 200 && Array.isArray(res.body) ? res.body.length : undefined;
  };
  /** Polls `probe` every 10 ms; resolves with the ms from `since` (performance.now()) to its first true. */
  const waitFor = async (what: string, since: number, timeoutMs: number, probe: () => Promise<boolean>): Promise<number> => {
    for (;;) {
      if (await probe()) return performance.now() - since;
      if (performance.now() - since > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms\nserver log tail:\n${server.child.tail().slice(-3000)}`);
      await sleep(10);
    }
  };

  const restarts: Restart[] = [];
  let placed = 0;
  for (const n of s.counts) {
    ctx.progress(`${n} calls: placing ${n - placed} more click-to-calls …`);
    await inBatches(agents.slice(placed, n), 10, (agent, i) => server.call('POST', '/calls', { phone: borrowerNumber(placed + i) }, agent.token));
    placed = n;
    await waitFor(`${n} connected calls`, performance.now(), 60_000 + n * 500, async () => (await liveCalls()) === n);
    for (let r = 0; r < s.restarts; r++) {
      // A process that has run a while, as in production: past its start-up work at link-up (the
      // desk-phone endpoints re-synced into Asterisk), which a SIGTERM would otherwise wait for.
      await sleep(SETTLE_MS);
      const t0 = performance.now();
      await server.child.stop(60_000);
      const exitMs = performance.now() - t0;
      const next = LeadlineServer.start(ctx, options);
      next.catch(() => undefined);
      const [httpMs, healthMs, adoptedMs] = await Promise.all([
        waitFor('HTTP answering after the restart', t0, 60_000, async () => (await requestJson(`${base}/health`, { timeoutMs: 1_000 }).catch(() => undefined)) !== undefined),
        waitFor('health 200 after the restart', t0, 60_000, async () => (await requestJson(`${base}/health`, { timeoutMs: 1_000 }).catch(() => undefined))?.status === 200),
        waitFor(`${n} calls listed after the restart`, t0, 60_000, async () => (await liveCalls()) === n),
      ]);
      server = await next;
      restarts.push({ calls: n, exitMs, httpMs, healthMs, adoptedMs });
      ctx.progress(`  ${n} calls, restart ${r + 1}: exit ${fmtMs(exitMs)}, HTTP ${fmtMs(httpMs)}, health 200 ${fmtMs(healthMs)}, ${n} calls listed ${fmtMs(adoptedMs)}`);
    }
  }
  const hungUp = await byes();
  if (hungUp) failures.push(`the phones received ${hungUp} BYE(s) across the restarts: calls were dropped`);
  if ((await liveCalls()) !== placed) failures.push(`after the last restart the server lists ${String(await liveCalls())} calls, not ${placed}`);

  const header = ['connected calls', 'restarts', 'SIGTERM → exit p50', 'max', '→ HTTP answers p50', 'max', '→ health 200 p50', 'max', '→ all calls listed p50', 'max'];
  const align: ('l' | 'r')[] = ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'];
  const table = s.counts.map((n) => {
    const mine = restarts.filter((r) => r.calls === n);
    const [exit, http, health, adopted] = (['exitMs', 'httpMs', 'healthMs', 'adoptedMs'] as const).map((k) => spread(mine.map((r) => r[k])));
    return [String(n), String(mine.length), ...[exit, http, health, adopted].flatMap((x) => [fmtMs(x.p50), fmtMs(x.max)])];
  });
  const zero = restarts.filter((r) => r.calls === s.counts[0]);
  const ratioLine = s.counts
    .slice(1)
    .map((n) => {
      const mine = restarts.filter((r) => r.calls === n);
      return `${n} calls: ${(spread(mine.map((r) => r.adoptedMs)).p50 / spread(zero.map((r) => r.adoptedMs)).p50).toFixed(2)}×`;
    })
    .join(', ');
  const loadAfter = loadavg()[0];
  const markdown = [
    `Machine: ${machineMarkdown(machineInfo())} 1-minute load average ${loadBefore.toFixed(1)} before the run, ${loadAfter.toFixed(1)} after.`,
    '',
    `**Method.** \`npm run bench\` (module \`restart\`) starts its own Asterisk 22, two SIPp phones and the compiled server (\`LOG_LEVEL=warn\`, SQLite). ${most} agents share one SIPp desk phone that answers every INVITE after 100 ms; the carrier answers each borrower after 100 ms and stays on the line. For each count N the bench places click-to-calls (\`POST /api/calls\` as each agent) until the server lists N connected calls (\`GET /api/calls/live\`), then restarts the server ${s.restarts} times: ${SETTLE_MS / 1000} s after the previous start (past the start-up work at link-up, such as re-syncing the ${most} desk-phone endpoints into Asterisk, which a SIGTERM right after a start waits for: about 5 s more here), SIGTERM, wait for the exit, start the same build on the same database, Stasis app and port, and poll every 10 ms for \`GET /api/health\` answering at all (the process is up; 503 until its ARI link is), answering 200 (the ARI link is up) and for \`GET /api/calls/live\` listing all N calls again (each taken over from Asterisk). The calls stay up from one N to the next, so each restart takes over every call placed so far. Times are from the SIGTERM. N = ${s.counts[0]} is the baseline of the same run.`,
    '',
    markdownTable(header, table, align),
    '',
    `All calls listed, p50 against N = ${s.counts[0]}: ${ratioLine || '–'}. ${failures.length ? `**${failures.length} problem(s)**: ${failures.join('; ')}` : `No phone received a BYE across the ${restarts.length} restarts: every call stayed up and was taken over each time.`}`,
  ].join('\n');
  const text = [textTable(header, table, align), '', `elapsed ${((Date.now() - startedAt) / 1000).toFixed(0)} s`].join('\n');
  return { heading: 'Restart with live calls', markdown, text, failures };
}

export const restartBench: BenchModule = { name: 'restart', run };
