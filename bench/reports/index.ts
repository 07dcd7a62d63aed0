// Reports at scale (issue 23): 1M leads and 5M call legs over two years, seeded in bulk into
// SQLite and into PostgreSQL, then every report over a day, 30 days, a year and the whole span,
// asked many times of the compiled server. Same-run baseline: the outcome counts of the same
// periods by one GROUP BY over the raw rows (indexed), the query a report would run without the
// stored days. See docs/reports.md; results in docs/benchmarks.md "## Reports at scale".
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { knex } from '@mikro-orm/knex';
import { addDays, localDayOf, startOfLocalDay } from '@leadline/domain';
import { startPostgres } from '../../tests/harness/postgres';
import { Child } from '../children';
import { envInt } from '../env';
import { machineInfo, machineMarkdown } from '../machine';
import { markdownTable, textTable } from '../markdown';
import { freePort, isRecord, requestJson } from '../net';
import { fmtMiB, fmtMs, fmtNumber, median } from '../stats';
import type { BenchContext, BenchModule, BenchOutcome } from '../types';
import { seedPostgres, seedSqlite, SeedPlan } from './seed';

const ZONE = 'America/New_York';
const REPORTS = ['speed-to-lead', 'outcomes', 'agents', 'local-presence'] as const;

interface Server {
  child: Child;
  base: string;
  token: string;
}

function secret(n: number): string {
  return randomBytes(n).toString('base64url').slice(0, n);
}

async function startServer(ctx: BenchContext, name: string, env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const logFile = join(ctx.repoRoot, '.tmp', `bench-reports-${name}.log`);
  const child = Child.start(name, join(ctx.repoRoot, 'dist/apps/server/src/main.js'), { ...env, HOST: '127.0.0.1', PORT: String(port) }, ctx.repoRoot, ['--max-old-space-size=4096'], logFile);
  ctx.onCleanup(() => child.stop());
  const base = `http://127.0.0.1:${port}/api`;
  await child.waitForHttp(`${base}/health`, 120_000);
  const login = await requestJson(`${base}/auth/login`, { body: { email: 'admin@leadline.local', password: env.LEADLINE_ADMIN_PASSWORD } });
  const token = isRecord(login.body) ? login.body.accessToken : undefined;
  if (typeof token !== 'string') throw new Error(`${name}: login answered ${login.status}`);
  return { child, base, token };
}

async function api(s: Server, method: string, route: string, body?: unknown): Promise<unknown> {
  const res = await requestJson(`${s.base}${route}`, { method, headers: { authorization: `Bearer ${s.token}` }, body, timeoutMs: 600_000 });
  if (res.status >= 300) throw new Error(`${method} ${route}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  return res.body;
}

/** Campaigns and agents through the API; returns the org id and the plan's campaigns. */
async function setUp(s: Server, agents: number, campaigns: number): Promise<Omit<SeedPlan, 'prospects' | 'legsPerLead' | 'days' | 'endAt'>> {
  await api(s, 'PATCH', '/org', { timeZone: ZONE });
  const org = (await api(s, 'GET', '/org')) as { id: string };
  const agentIds: string[] = [];
  for (let i = 0; i < agents; i++) {
    const u = (await api(s, 'POST', '/users', { name: `Bench Agent ${String(i).padStart(2, '0')}`, email: `bench${i}@bench.test`, role: 'agent', password: `bench-password-${i}-xx` })) as { id: string };
    agentIds.push(u.id);
  }
  const out: SeedPlan['campaigns'] = [];
  for (let c = 0; c < campaigns; c++) {
    const created = (await api(s, 'POST', '/campaigns', { name: `Bench ${c}`, leadProvider: `Provider ${c % 4}`, distributionType: 'none' })) as { id: string };
    out.push({ id: created.id, leadProvider: `Provider ${c % 4}`, agentIds: agentIds.filter((_, i) => i % campaigns === c || (i + 1) % campaigns === c) });
  }
  return { orgId: org.id, campaigns: out };
}

interface Timing {
  report: string;
  period: string;
  samples: number[];
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.99) - 1)];

async function run(ctx: BenchContext): Promise<BenchOutcome> {
  const prospects = envInt('BENCH_REPORTS_PROSPECTS', 1_000_000, 1_000);
  const legsPerLead = envInt('BENCH_REPORTS_LEGS_PER_LEAD', 5, 4);
  const days = envInt('BENCH_REPORTS_DAYS', 730, 30);
  const runs = envInt('BENCH_REPORTS_RUNS', 15, 3);
  const agents = 40;
  const campaignCount = 10;
  const loadBefore = loadavg()[0];
  const failures: string[] = [];
  const dbs = (process.env.BENCH_REPORTS_DBS ?? 'sqlite,postgres').split(',').filter((d): d is 'sqlite' | 'postgres' => d === 'sqlite' || d === 'postgres');
  if (!dbs.length) throw new Error('BENCH_REPORTS_DBS names neither sqlite nor postgres');
  const dir = mkdtempSync(join(tmpdir(), 'leadline-bench-reports-'));
  // BENCH_REPORTS_KEEP=1 leaves the seeded databases' folder behind (its path is printed) for a profile.
  if (process.env.BENCH_REPORTS_KEEP === '1') ctx.progress(`keeping the data in ${dir}`);
  else ctx.onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  let pgUrl = '';
  if (dbs.includes('postgres')) {
    const pgDir = join(tmpdir(), `leadline-bench-reports-pg-${createHash('sha256').update(ctx.repoRoot).digest('hex').slice(0, 10)}`);
    rmSync(pgDir, { recursive: true, force: true });
    ctx.progress('starting PostgreSQL 15 (own cluster, loopback, durable settings)…');
    const pg = await startPostgres({ dir: pgDir, port: await freePort(), durable: true });
    ctx.onCleanup(async () => {
      await pg.stop();
      rmSync(pgDir, { recursive: true, force: true });
    });
    pgUrl = await pg.createDatabase('bench_reports');
  }

  const endAt = Date.now() - 60_000;
  const today = localDayOf(ZONE, new Date());
  const periods: { label: string; from: string }[] = [
    { label: 'today', from: today },
    { label: '30 days', from: addDays(today, -29) },
    { label: '365 days', from: addDays(today, -364) },
    { label: `all ${days + 1} days`, from: addDays(today, -days) },
  ];

  const results: { db: string; seedMs: number; buildMs: number; rssMiB: number; timings: Timing[]; baseline: Timing[]; legs: number; leads: number }[] = [];
  for (const db of dbs) {
    const dataDir = join(dir, db);
    const env: Record<string, string> = {
      NODE_ENV: 'production',
      JWT_SECRET: secret(48),
      LEADLINE_DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      ARI_URL: 'http://127.0.0.1:1',
      ARI_PASSWORD: secret(20),
      LEADLINE_ADMIN_PASSWORD: secret(24),
      ...(db === 'postgres' ? { DATABASE_URL: pgUrl } : {}),
    };
    ctx.progress(`${db}: creating the org's agents and campaigns…`);
    let server = await startServer(ctx, `leadline-${db}`, env);
    const base = await setUp(server, agents, campaignCount);
    await server.child.stop();
    const plan: SeedPlan = { ...base, prospects, legsPerLead, days, endAt };
    ctx.progress(`${db}: seeding ${fmtNumber(prospects, 0)} leads and ${fmtNumber(prospects * legsPerLead, 0)} call legs…`);
    const seedStart = Date.now();
    if (db === 'sqlite') await seedSqlite(join(dataDir, 'leadline.db'), plan, ctx.progress);
    else await seedPostgres(pgUrl, plan, ctx.progress);
    const seedMs = Date.now() - seedStart;

    // A restart builds every stored day in the background; the first report waits for it.
    const buildStart = Date.now();
    server = await startServer(ctx, `leadline-${db}`, env);
    await api(server, 'GET', `/reports/outcomes?from=${periods[3].from}&to=${today}`);
    const buildMs = Date.now() - buildStart;
    ctx.progress(`${db}: seeded in ${fmtMs(seedMs)}, every day built in ${fmtMs(buildMs)} (restart included)`);
    const whole = (await api(server, 'GET', `/reports/outcomes?from=${periods[3].from}&to=${today}`)) as { leads: number };
    if (whole.leads !== prospects) failures.push(`${db}: the whole span counts ${whole.leads} leads, ${prospects} were seeded`);

    const timings: Timing[] = [];
    for (const report of REPORTS) {
      for (const p of periods) {
        const samples: number[] = [];
        for (let i = 0; i < runs; i++) samples.push(await timed(() => api(server, 'GET', `/reports/${report}?from=${p.from}&to=${today}`)));
        timings.push({ report, period: p.label, samples });
        ctx.progress(`${db} ${report.padEnd(15)} ${p.label.padEnd(14)} median ${fmtMs(median(samples)).padStart(9)}  p99 ${fmtMs(p99(samples)).padStart(9)}`);
        if (median(samples) >= 1_000) failures.push(`${db} ${report} over ${p.label}: median ${fmtMs(median(samples))} (target < 1 s)`);
      }
    }
    const wallboard: number[] = [];
    for (let i = 0; i < runs; i++) wallboard.push(await timed(() => api(server, 'GET', '/wallboard')));
    timings.push({ report: 'wallboard', period: 'now', samples: wallboard });
    const rssMiB = server.child.rssMiB();
    await server.child.stop();

    // Baseline: the same periods' outcome counts by one GROUP BY over the raw rows.
    const baseline: Timing[] = [];
    const sql = `select p.status, a.via, p.failure_reason, count(*) as n from prospect p left join application a on a.prospect_id = p.id where p.org_id = ? and p.created_at >= ? and p.created_at < ? group by p.status, a.via, p.failure_reason`;
    const end = startOfLocalDay(ZONE, addDays(today, 1));
    if (db === 'sqlite') {
      const conn = new Database(join(dataDir, 'leadline.db'), { readonly: true });
      for (const p of periods) {
        const stmt = conn.prepare(sql);
        const samples: number[] = [];
        for (let i = 0; i < Math.min(runs, 5); i++) samples.push(await timed(async () => stmt.all(plan.orgId, startOfLocalDay(ZONE, p.from).getTime(), end.getTime())));
        baseline.push({ report: 'raw GROUP BY (outcomes)', period: p.label, samples });
      }
      conn.close();
    } else {
      const conn = knex({ client: 'pg', connection: pgUrl, pool: { min: 1, max: 1 } });
      for (const p of periods) {
        const samples: number[] = [];
        for (let i = 0; i < Math.min(runs, 5); i++) samples.push(await timed(() => conn.raw(sql, [plan.orgId, startOfLocalDay(ZONE, p.from), end])));
        baseline.push({ report: 'raw GROUP BY (outcomes)', period: p.label, samples });
      }
      await conn.destroy();
    }
    results.push({ db, seedMs, buildMs, rssMiB, timings, baseline, legs: prospects * legsPerLead, leads: prospects });
  }

  const header = ['figure', 'period', 'SQLite median', 'SQLite p99', 'PostgreSQL median', 'PostgreSQL p99'];
  const align: ('l' | 'r')[] = ['l', 'l', 'r', 'r', 'r', 'r'];
  const sq = results.find((r) => r.db === 'sqlite');
  const pq = results.find((r) => r.db === 'postgres');
  const cells = (t: Timing | undefined) => (t ? [fmtMs(median(t.samples)), fmtMs(p99(t.samples))] : ['–', '–']);
  const figures = (r: (typeof results)[number] | undefined) => (r ? [...r.timings, ...r.baseline] : undefined);
  const rows = (figures(sq) ?? figures(pq) ?? []).map((t, i) => [t.report, t.period, ...cells(figures(sq)?.[i]), ...cells(figures(pq)?.[i])]);
  const either = (f: (r: (typeof results)[number]) => number) => [sq ? `SQLite ${fmtMs(f(sq))}` : '', pq ? `PostgreSQL ${fmtMs(f(pq))}` : ''].filter(Boolean).join(', ');
  const m = machineInfo();
  const intro = [
    `Machine: ${machineMarkdown(m)} 1-minute load average ${loadBefore.toFixed(1)} before the run, ${loadavg()[0].toFixed(1)} after (the server, the database and the bench share the 2 cores).`,
    '',
    `Data: ${fmtNumber(prospects, 0)} leads over ${days + 1} days (${fmtNumber(prospects / days, 0)} a day, ${campaignCount} campaigns, ${agents} agents; 80 % Ring All, 8 % Distribute All, 4 % by hand or default agent, 6 % exceptions, 2 % open) and ${fmtNumber(prospects * legsPerLead, 0)} call legs (3 Ring All legs, 1 borrower leg from one of 20 local presence numbers, 1 inbound or click-to-call leg per lead), bulk-inserted (${either((r) => r.seedMs)}). Org time zone ${ZONE}.`,
    '',
    `Every stored day built from the raw rows after a restart (first report waits): ${either((r) => r.buildMs)}. Then each report over HTTP ${runs} times per period (the server refreshes the stored days first: today's is rebuilt only if something changed). p99 of ${runs} samples is their maximum. The baseline rows are the outcome counts of the same period by one GROUP BY over the raw rows with the new indexes, timed in the bench process (${Math.min(runs, 5)} runs): what a report costs without stored days, before any percentile, day or hour is computed. The server's resident memory after all of these reports (every stored day held parsed): ${results.map((r) => `${r.db === 'sqlite' ? 'SQLite' : 'PostgreSQL'} ${fmtMiB(r.rssMiB)}`).join(', ')}.`,
  ].join('\n');
  const markdown = [intro, '', markdownTable(header, rows, align), '', failures.length ? `Problems: ${failures.join('; ')}` : `Every report and period answered in under 1 s (median) on ${results.map((r) => (r.db === 'sqlite' ? 'SQLite' : 'PostgreSQL')).join(' and ')}; the whole span counted exactly the leads seeded.`].join('\n');
  return { heading: 'Reports at scale', markdown, text: `${intro}\n\n${textTable(header, rows, align)}${failures.length ? `\n\nProblems:\n${failures.join('\n')}` : ''}`, failures };
}

export const reportsBench: BenchModule = { name: 'reports', run };
