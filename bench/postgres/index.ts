// PostgreSQL next to SQLite: Action Post throughput and the Distribute All fan-out, each measured
// on the compiled server with SQLite and with PostgreSQL in the same run, rounds alternating. The
// PostgreSQL is the bench's own (tests/harness/postgres.ts: a cluster in a folder under /tmp run as
// the postgres OS user, loopback only, durable settings: fsync and synchronous_commit on).
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres } from '../../tests/harness/postgres';
import { measure, Round, summarize, Summary, TargetRuns } from '../action-post';
import { leadBody, PhoneSequence } from '../action-post/leads';
import { smokeCheck, startLeadline } from '../action-post/targets';
import { measureFanout } from '../distribute-all';
import { envInt } from '../env';
import { loadProblems } from '../load';
import { machineInfo, machineMarkdown } from '../machine';
import { markdownTable, textTable } from '../markdown';
import { freePort } from '../net';
import { fmtMs, fmtNumber, median, percentile } from '../stats';
import type { BenchContext, BenchModule, BenchOutcome } from '../types';

const CONNECTIONS = 50;

function settings() {
  return { rounds: envInt('BENCH_ROUNDS', 5), roundSeconds: envInt('BENCH_ROUND_SECONDS', 5), warmupSeconds: 2 };
}

const pct = (x: number) => (Number.isFinite(x) ? `${Math.round(x * 100)} %` : '–');
const ms2 = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)} ms` : '–');
const ratio = (pg: number, sqlite: number) => (Number.isFinite(pg / sqlite) ? `${(pg / sqlite).toFixed(2)}` : '–');

async function run(ctx: BenchContext): Promise<BenchOutcome> {
  const s = settings();
  const loadBefore = loadavg()[0];
  const failures: string[] = [];

  // Outside the checkout, which the postgres OS user may not be allowed into (see IT_PG_DIR).
  const pgDir = join(tmpdir(), `leadline-bench-pg-${createHash('sha256').update(ctx.repoRoot).digest('hex').slice(0, 10)}`);
  rmSync(pgDir, { recursive: true, force: true });
  ctx.progress('starting PostgreSQL 15 (own cluster, loopback, durable settings)…');
  const pg = await startPostgres({ dir: pgDir, port: await freePort(), durable: true });
  ctx.onCleanup(async () => {
    await pg.stop();
    rmSync(pgDir, { recursive: true, force: true });
  });
  const dir = mkdtempSync(join(tmpdir(), 'leadline-bench-pg-'));
  ctx.onCleanup(() => rmSync(dir, { recursive: true, force: true }));

  // ---- Action Post ----
  ctx.progress('starting Leadline on SQLite and on PostgreSQL (child processes)…');
  const apUrl = await pg.createDatabase('bench_action_post');
  const [sqlite, postgres] = await Promise.all([
    startLeadline(ctx, dir, 'sqlite'),
    startLeadline(ctx, dir, 'postgres', { url: apUrl, count: (sql, params) => pg.count('bench_action_post', sql, params) }),
  ]);
  const runs: TargetRuns[] = [sqlite, postgres].map((target) => ({ target, phones: new PhoneSequence(), rounds: [], ok: 0, sent: 0 }));
  for (const t of runs) {
    const bodies = [0, 1, 2].map(() => leadBody(t.phones.next()));
    failures.push(...(await smokeCheck(t.target, bodies)));
    t.ok += bodies.length;
    t.sent += bodies.length;
  }
  if (failures.length) throw new Error(`sample posts failed:\n${failures.join('\n')}`);
  const step = async (t: TargetRuns, seconds: number, label: string): Promise<Round> => {
    const r = await measure(t, CONNECTIONS, seconds);
    const problems = loadProblems(`${t.target.name} ${label}`, r);
    failures.push(...problems);
    ctx.progress(`${label.padEnd(10)} ${t.target.name.padEnd(8)} ${fmtNumber(r.perSecond, 0).padStart(6)} posts/s  p50 ${fmtMs(r.p50).padStart(7)}  p99 ${fmtMs(r.p99).padStart(7)}  server CPU ${pct(r.serverCpuShare)}${problems.length ? `  ERRORS: ${problems.join('; ')}` : ''}`);
    return r;
  };
  for (const t of runs) await step(t, s.warmupSeconds, 'warm-up');
  for (let i = 1; i <= s.rounds; i++) for (const t of runs) t.rounds.push(await step(t, s.roundSeconds, `round ${i}`));
  await new Promise((r) => setTimeout(r, 1_000));
  for (const t of runs) {
    const n = await t.target.countStored();
    if (n < t.ok || n > t.sent) failures.push(`${t.target.name}: ${n} rows stored for ${t.ok} successful and ${t.sent} sent posts`);
    if (!t.target.child.running) failures.push(`${t.target.name} exited during the bench:\n${t.target.child.tail()}`);
  }
  await Promise.all(runs.map((t) => t.target.child.stop()));
  const [a, b] = runs.map((t) => summarize(t.target.name, t.rounds));

  // ---- Distribute All ----
  ctx.progress('Distribute All fan-out on SQLite…');
  const daSqlite = await measureFanout(ctx);
  ctx.progress('Distribute All fan-out on PostgreSQL…');
  const daPg = await measureFanout(ctx, { DATABASE_URL: await pg.createDatabase('bench_distribute_all') });
  failures.push(...daSqlite.failures.map((f) => `distribute-all sqlite: ${f}`), ...daPg.failures.map((f) => `distribute-all postgres: ${f}`));

  // ---- report ----
  const apHeader = ['database', 'rounds', 'posts/s (median)', 'p50 median', 'p99 median', 'p99 max', 'server CPU/post', 'server CPU'];
  const apAlign: ('l' | 'r')[] = ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'];
  const apRow = (x: Summary) => [x.name === 'sqlite' ? 'SQLite' : 'PostgreSQL', String(x.rounds), fmtNumber(x.perSecond, 0), fmtMs(x.p50), fmtMs(x.p99), fmtMs(x.p99Max), ms2(x.cpuMsPerPost), pct(x.cpuShare)];
  const apRows = [apRow(a), apRow(b), ['PostgreSQL ÷ SQLite', '', ratio(b.perSecond, a.perSecond), ratio(b.p50, a.p50), ratio(b.p99, a.p99), ratio(b.p99Max, a.p99Max), ratio(b.cpuMsPerPost, a.cpuMsPerPost), '']];
  const roundHeader = ['round', 'SQLite posts/s', 'p99', 'PostgreSQL posts/s', 'p99', 'ratio'];
  const roundRows = runs[0].rounds.map((r, i) => {
    const q = runs[1].rounds[i];
    return [String(i + 1), fmtNumber(r.perSecond, 0), fmtMs(r.p99), fmtNumber(q.perSecond, 0), fmtMs(q.p99), ratio(q.perSecond, r.perSecond)];
  });

  const daHeader = ['measure', 'SQLite p50', 'SQLite p99', 'PostgreSQL p50', 'PostgreSQL p99', 'p99 ratio'];
  const daAlign: ('l' | 'r')[] = ['l', 'r', 'r', 'r', 'r', 'r'];
  const daRow = (label: string, pick: (r: typeof daSqlite) => number[]) => [
    label,
    fmtMs(percentile(pick(daSqlite), 0.5)),
    fmtMs(percentile(pick(daSqlite), 0.99)),
    fmtMs(percentile(pick(daPg), 0.5)),
    fmtMs(percentile(pick(daPg), 0.99)),
    ratio(percentile(pick(daPg), 0.99), percentile(pick(daSqlite), 0.99)),
  ];
  const daRows = [
    daRow('post accepted → first `lead:offer`', (r) => r.firstOffer),
    daRow('post accepted → last `lead:offer`', (r) => r.fanout),
    daRow('`lead:claim` round trip, all claiming at once', (r) => r.claimRtt),
  ];

  const m = machineInfo();
  const stored = `Every Action Post answer checked (HTTP 200, StatusCode 1, "Prospect created"); ${fmtNumber(runs[0].ok + runs[1].ok, 0)} posts, ${failures.length ? `${failures.length} problem(s)` : 'no errors, timeouts or non-2xx'}; the prospects stored in each database match the successful posts. Fan-out medians of rounds: SQLite ${fmtMs(median(daSqlite.fanout))}, PostgreSQL ${fmtMs(median(daPg.fanout))}; exactly one claim won in every round on both.`;
  const markdown = [
    `Machine: ${machineMarkdown(m)} 1-minute load average ${loadBefore.toFixed(1)} before the run, ${loadavg()[0].toFixed(1)} after. PostgreSQL runs on the same 2 cores as the server and the load generator, which a real deployment would not do.`,
    '',
    `**Method.** \`npm run bench\` (or \`node dist/bench/run.js postgres\`) starts its own PostgreSQL 15 (\`tests/harness/postgres.ts\`, the test harness's code: a cluster in a folder under /tmp run as the \`postgres\` OS user, loopback only, PostgreSQL's durable defaults — fsync on, \`synchronous_commit\` on — so a post is answered only once its commit is on disk, like SQLite's WAL with synchronous FULL). *Action Post:* two compiled Leadline servers as child processes (\`NODE_ENV=production\`, \`LOG_LEVEL=warn\`, no Asterisk, rate limit lifted, one campaign of type \`none\`), one on a fresh SQLite file, one with \`DATABASE_URL\` on a fresh PostgreSQL database; autocannon posts leads with a distinct valid US mobile per request at ${CONNECTIONS} concurrent clients; after a ${s.warmupSeconds} s warm-up of each, ${s.rounds} rounds of ${s.roundSeconds} s alternate SQLite / PostgreSQL. Medians of the rounds' throughput and p50/p99, and the worst round's p99; server CPU from \`/proc\` (the PostgreSQL server's own processes are not counted). *Distribute All:* the fan-out bench of the section above, once per database in the same run (same agent count and rounds).`,
    '',
    `Action Post at ${CONNECTIONS} clients:`,
    '',
    markdownTable(apHeader, apRows, apAlign),
    '',
    markdownTable(roundHeader, roundRows, ['l', 'r', 'r', 'r', 'r', 'r']),
    '',
    'Distribute All fan-out:',
    '',
    markdownTable(daHeader, daRows, daAlign),
    '',
    stored,
    ...(failures.length ? ['', '**Errors:**', '', ...failures.map((f) => `- ${f}`)] : []),
  ].join('\n');
  const text = [textTable(apHeader, apRows, apAlign), '', textTable(roundHeader, roundRows), '', textTable(daHeader, daRows, daAlign), '', stored, ...failures.map((f) => `ERROR ${f}`)].join('\n');
  return { heading: 'PostgreSQL next to SQLite', markdown, text, failures };
}

export const postgresBench: BenchModule = { name: 'postgres', run };
