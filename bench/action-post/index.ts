import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProblems, LoadResult, runLoad } from '../load';
import { machineInfo, machineMarkdown } from '../machine';
import { markdownTable, textTable } from '../markdown';
import { fmtMiB, fmtMs, fmtNumber, max, median } from '../stats';
import type { BenchContext, BenchModule, BenchOutcome } from '../types';
import { leadBody, looksCreated, PhoneSequence } from './leads';
import { smokeCheck, startBaseline, startLeadline, Target } from './targets';
import { envInt } from '../env';

/** The issue's targets (#21), at 50 concurrent clients; at 200 clients: figures with no errors. */
const TARGET_RATIO = 0.8;
const TARGET_P99_MS = 50;

interface Settings {
  rounds: number;
  roundSeconds: number;
  warmupSeconds: number;
  connections: number;
  lowConnections: number;
  highConnections: number;
}

function settingsFromEnv(): Settings {
  return { rounds: envInt('BENCH_ROUNDS', 5), roundSeconds: envInt('BENCH_ROUND_SECONDS', 5), warmupSeconds: 2, connections: 50, lowConnections: 10, highConnections: envInt('BENCH_HIGH_CLIENTS', 200) };
}

/** One measured run plus what the server process spent meanwhile. */
export interface Round extends LoadResult {
  /** Server CPU (user + system) over the run, ms per successful post. */
  serverCpuMsPerPost: number;
  /** Server CPU over the run as a share of one core. */
  serverCpuShare: number;
  /** This process's CPU (autocannon) over the run as a share of one core. */
  clientCpuShare: number;
}

export interface TargetRuns {
  target: Target;
  phones: PhoneSequence;
  rounds: Round[];
  low?: Round;
  high?: Round;
  /** Successful and sent posts over everything, warm-up and sample posts included. */
  ok: number;
  sent: number;
}

export async function measure(runs: TargetRuns, connections: number, seconds: number): Promise<Round> {
  const { target, phones } = runs;
  const cpu0 = target.child.cpuMs();
  const client0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await runLoad({
    url: target.postUrl,
    connections,
    durationSeconds: seconds,
    headers: target.headers,
    body: () => leadBody(phones.next()),
    verifyBody: looksCreated,
  });
  const wallMs = performance.now() - t0;
  const cpu1 = target.child.cpuMs();
  const client = process.cpuUsage(client0);
  runs.ok += r.ok;
  runs.sent += r.sent;
  const serverMs = cpu0 !== undefined && cpu1 !== undefined ? cpu1 - cpu0 : Number.NaN;
  return {
    ...r,
    serverCpuMsPerPost: r.ok ? serverMs / r.ok : Number.NaN,
    serverCpuShare: serverMs / wallMs,
    clientCpuShare: (client.user + client.system) / 1000 / wallMs,
  };
}

export interface Summary {
  name: string;
  connections: number;
  rounds: number;
  perSecond: number;
  p50: number;
  p50Max: number;
  p99: number;
  p99Max: number;
  cpuMsPerPost: number;
  cpuShare: number;
}

export function summarize(name: string, rounds: Round[]): Summary {
  return {
    name,
    connections: rounds[0]?.connections ?? 0,
    rounds: rounds.length,
    perSecond: median(rounds.map((r) => r.perSecond)),
    p50: median(rounds.map((r) => r.p50)),
    p50Max: max(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    p99Max: max(rounds.map((r) => r.p99)),
    cpuMsPerPost: median(rounds.map((r) => r.serverCpuMsPerPost)),
    cpuShare: median(rounds.map((r) => r.serverCpuShare)),
  };
}

const pct = (x: number) => (Number.isFinite(x) ? `${Math.round(x * 100)} %` : '–');
const ms2 = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)} ms` : '–');

interface MemorySample {
  label: string;
  /** Leads Leadline had answered 200 by then. */
  leads: number;
  rssMiB: number;
}
const IDLE_AFTER_MS = 10_000;

function report(s: Settings, base: TargetRuns, lead: TargetRuns, stored: { baseline: number; leadline: number }, failures: string[], loadBefore: number, memory: MemorySample[]): BenchOutcome {
  const b = summarize('baseline', base.rounds);
  const l = summarize('leadline', lead.rounds);
  const lows = [base.low, lead.low, base.high, lead.high].map((r, i) => (r ? summarize(i % 2 ? 'leadline' : 'baseline', [r]) : undefined)).filter((x): x is Summary => !!x);
  const ratio = l.perSecond / b.perSecond;
  const ratioOk = ratio >= TARGET_RATIO;
  const p99Ok = l.p99 < TARGET_P99_MS;

  const header = ['target', 'clients', 'rounds', 'posts/s (median)', 'p50 median', 'p50 max', 'p99 median', 'p99 max', 'server CPU/post', 'server CPU'];
  const align: ('l' | 'r')[] = ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'];
  const row = (x: Summary) => [x.name, String(x.connections), String(x.rounds), fmtNumber(x.perSecond, 0), fmtMs(x.p50), fmtMs(x.p50Max), fmtMs(x.p99), fmtMs(x.p99Max), ms2(x.cpuMsPerPost), pct(x.cpuShare)];
  const summaryRows = [b, l, ...lows].map(row);

  const roundHeader = ['round', 'baseline posts/s', 'p50', 'p99', 'leadline posts/s', 'p50', 'p99', 'ratio'];
  const roundAlign: ('l' | 'r')[] = ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'];
  const roundRows = base.rounds.map((br, i) => {
    const lr = lead.rounds[i];
    return [String(i + 1), fmtNumber(br.perSecond, 0), fmtMs(br.p50), fmtMs(br.p99), fmtNumber(lr.perSecond, 0), fmtMs(lr.p50), fmtMs(lr.p99), `${(lr.perSecond / br.perSecond).toFixed(2)}`];
  });

  const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
  const targetLines = [
    `${verdict(ratioOk)}  throughput ratio leadline/baseline = ${ratio.toFixed(2)} (target ≥ ${TARGET_RATIO.toFixed(2)}) at ${s.connections} clients`,
    `${verdict(p99Ok)}  leadline p99 = ${fmtMs(l.p99)} (median of rounds; max ${fmtMs(l.p99Max)}; target < ${TARGET_P99_MS} ms) at ${s.connections} clients`,
  ];
  const check = `Every answer checked: ${fmtNumber(base.ok + lead.ok, 0)} posts answered HTTP 200 with StatusCode 1 / "Prospect created", ${failures.length ? `${failures.length} problem(s)` : 'no errors, timeouts or non-2xx'}; rows stored: baseline ${fmtNumber(stored.baseline, 0)}, leadline ${fmtNumber(stored.leadline, 0)} prospects (each post a distinct phone number).`;

  const memoryLine = `Leadline server's resident memory (RSS, /proc) by leads taken: ${memory.map((x) => `${x.label} ${fmtNumber(x.leads, 0)} leads ${fmtMiB(x.rssMiB)}`).join(' · ')}.`;
  const m = machineInfo();
  const text = [
    textTable(header, summaryRows, align),
    '',
    textTable(roundHeader, roundRows, roundAlign),
    '',
    ...targetLines,
    '',
    check,
    memoryLine,
    `1-minute load average: ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after (${m.cpuCount} CPUs).`,
    ...failures.map((f) => `ERROR ${f}`),
  ].join('\n');

  const markdown = [
    `Machine: ${machineMarkdown(m)} 1-minute load average ${loadBefore.toFixed(1)} before the run, ${loadavg()[0].toFixed(1)} after (anything else running on the machine shows up as noise between rounds).`,
    '',
    `**Method.** \`npm run bench\` starts two servers as child processes, each on its own fresh SQLite file: the compiled Leadline server (\`NODE_ENV=production\`, \`LOG_LEVEL=warn\`, no Asterisk, rate limit lifted) with one campaign of distribution type \`none\`, and a baseline — a bare Node \`http\` server that parses the same JSON body, does one insert with the same \`better-sqlite3\` package and pragmas as Leadline (WAL, synchronous FULL, foreign keys on, busy timeout 5000 ms) and answers a small JSON envelope. autocannon (in the bench process) posts leads with a distinct valid US mobile number per request over keep-alive connections. After a ${s.warmupSeconds} s warm-up of each, ${s.rounds} round${s.rounds === 1 ? '' : 's'} of ${s.roundSeconds} s at ${s.connections} concurrent clients alternate baseline / Leadline, then one ${s.roundSeconds} s round each at ${s.lowConnections} and at ${s.highConnections} clients. (\`BENCH_ROUNDS\`, \`BENCH_ROUND_SECONDS\` and \`BENCH_HIGH_CLIENTS\` change them for a quick look.) Reported per target: the median of the rounds' throughput (HTTP 200 answers per second) and the median and worst of the rounds' p50 and p99 latency; server CPU is the child's user + system time from \`/proc\` per post, and as a share of one core.`,
    '',
    markdownTable(header, summaryRows, align),
    '',
    `Rounds at ${s.connections} clients:`,
    '',
    markdownTable(roundHeader, roundRows, roundAlign),
    '',
    `**Targets** (from the issue, at ${s.connections} clients on this machine):`,
    '',
    ...targetLines.map((t) => `- ${t.replace(/^(PASS|MISS)\s+/, '**$1** ')}`),
    '',
    check,
    '',
    `**Memory.** ${memoryLine}`,
    '',
    `Note: the clients are closed-loop (each waits for its answer before posting again), so mean latency ≈ clients ÷ throughput (Little's law): at ${s.connections} clients a p99 under ${TARGET_P99_MS} ms needs well over ${fmtNumber((s.connections * 1000) / TARGET_P99_MS, 0)} posts/s.`,
    ...(failures.length ? ['', '**Errors:**', '', ...failures.map((f) => `- ${f}`)] : []),
  ].join('\n');

  return { heading: 'Action Post throughput', markdown, text, failures };
}

async function run(ctx: BenchContext): Promise<BenchOutcome> {
  const s = settingsFromEnv();
  const loadBefore = loadavg()[0];
  const dir = mkdtempSync(join(tmpdir(), 'leadline-bench-'));
  ctx.onCleanup(() => rmSync(dir, { recursive: true, force: true }));

  ctx.progress('starting the baseline server and Leadline (child processes)…');
  const [baseline, leadline] = await Promise.all([startBaseline(ctx, dir), startLeadline(ctx, dir)]);
  ctx.progress(`baseline pid ${String(baseline.child.pid)} at ${baseline.postUrl}; leadline pid ${String(leadline.child.pid)} at ${leadline.postUrl}`);

  const base: TargetRuns = { target: baseline, phones: new PhoneSequence(), rounds: [], ok: 0, sent: 0 };
  const lead: TargetRuns = { target: leadline, phones: new PhoneSequence(), rounds: [], ok: 0, sent: 0 };
  const failures: string[] = [];

  for (const t of [base, lead]) {
    const bodies = [0, 1, 2].map(() => leadBody(t.phones.next()));
    failures.push(...(await smokeCheck(t.target, bodies)));
    t.ok += bodies.length;
    t.sent += bodies.length;
  }
  if (failures.length) throw new Error(`sample posts failed:\n${failures.join('\n')}`);

  // Leadline's resident memory after each of its steps, by the leads it took so far (#21: no growth that does not come back).
  const memory: MemorySample[] = [{ label: 'started', leads: lead.ok, rssMiB: leadline.child.rssMiB() }];
  const step = async (t: TargetRuns, connections: number, seconds: number, label: string): Promise<Round> => {
    const r = await measure(t, connections, seconds);
    if (t === lead) memory.push({ label, leads: lead.ok, rssMiB: leadline.child.rssMiB() });
    const problems = loadProblems(`${t.target.name} ${label}`, r);
    failures.push(...problems);
    ctx.progress(
      `${label.padEnd(10)} ${t.target.name.padEnd(8)} ${String(connections).padStart(3)} clients: ${fmtNumber(r.perSecond, 0).padStart(6)} posts/s  p50 ${fmtMs(r.p50).padStart(7)}  p99 ${fmtMs(r.p99).padStart(7)}  server CPU ${pct(r.serverCpuShare)}, bench CPU ${pct(r.clientCpuShare)}${problems.length ? `  ERRORS: ${problems.join('; ')}` : ''}`,
    );
    return r;
  };

  await step(base, s.connections, s.warmupSeconds, 'warm-up');
  await step(lead, s.connections, s.warmupSeconds, 'warm-up');
  for (let i = 1; i <= s.rounds; i++) {
    base.rounds.push(await step(base, s.connections, s.roundSeconds, `round ${i}`));
    lead.rounds.push(await step(lead, s.connections, s.roundSeconds, `round ${i}`));
  }
  base.low = await step(base, s.lowConnections, s.roundSeconds, 'low');
  lead.low = await step(lead, s.lowConnections, s.roundSeconds, 'low');
  base.high = await step(base, s.highConnections, s.roundSeconds, 'high');
  lead.high = await step(lead, s.highConnections, s.roundSeconds, 'high');

  // Requests cut off at the end of a run may still be committing: give them a moment.
  await new Promise((r) => setTimeout(r, 1_000));
  const stored = { baseline: await baseline.countStored(), leadline: await leadline.countStored() };
  for (const [t, n] of [[base, stored.baseline], [lead, stored.leadline]] as const) {
    if (n < t.ok || n > t.sent) failures.push(`${t.target.name}: ${n} rows stored for ${t.ok} successful and ${t.sent} sent posts`);
  }
  await new Promise((r) => setTimeout(r, IDLE_AFTER_MS));
  memory.push({ label: `${IDLE_AFTER_MS / 1000} s idle`, leads: lead.ok, rssMiB: leadline.child.rssMiB() });
  for (const t of [baseline, leadline]) {
    if (!t.child.running) failures.push(`${t.name} exited during the bench:\n${t.child.tail()}`);
  }
  return report(s, base, lead, stored, failures, loadBefore, memory);
}

export const actionPostBench: BenchModule = { name: 'action-post', run };
