// The "## Ring All" section of docs/benchmarks.md and the terminal report.
import { loadavg } from 'node:os';
import { machineInfo, machineMarkdown } from '../machine';
import { markdownTable, textTable } from '../markdown';
import { fmtMiB, fmtMs, percentile } from '../stats';
import type { BenchOutcome } from '../types';
import { RoundMetrics, RoundRecord, spread, Spread, TargetName } from './measure';
import { ROLE_DESCRIPTION } from './phones';

export interface Settings {
  rounds: number;
  concurrent: number;
  /** How many times the concurrent rounds are run for each target (alternating). */
  concurrentBatches: number;
  /** Concurrent rounds that share one bank of phones (one SIPp process per place). */
  roundsPerPhone: number;
  agentsPerRound: number;
  ringTimeoutSeconds: number;
  /** The bench does not poll a round before this. */
  firstPollMs: number;
  /** … nor a concurrent round before this. */
  firstPollConcurrentMs: number;
}

/** How many rounds of each target had a measured moment after the bench's first request about them (ideally none). */
function pollOverlap(rows: { r: RoundRecord; m: RoundMetrics }[]): string {
  const late = (target: TargetName) => {
    const of = rows.filter(({ r }) => r.target === target);
    return `${of.filter(({ r, m }) => r.firstPollAt !== undefined && m.lastMomentAt !== undefined && m.lastMomentAt > r.firstPollAt).length} of ${target === 'baseline' ? "the baseline's" : "Leadline's"} ${of.length}`;
  };
  return `a measured moment came after the bench's first request about its round in ${late('baseline')} rounds and ${late('leadline')}`;
}

export interface ReportInput {
  settings: Settings;
  records: { r: RoundRecord; m: RoundMetrics }[];
  failures: string[];
  notes: string[];
  loadBefore: number;
  dtmfEndMs: number;
  elapsedMs: number;
  /** Creating the Leadline agents (argon2 hashes their passwords) and logging them in. */
  setupMs: number;
  agents: number;
  memory: Memory;
  /** Each program's CPU time (ms, user + system) in each of its concurrent batches, from the batch's start to the bench's first request about it. */
  batchCpuMs: Record<TargetName, number[]>;
}

/** The Leadline server's resident memory (MiB, /proc): NaN where not measured. */
export interface Memory {
  /** Agents created and logged in, before any round. */
  afterSetupMiB: number;
  afterLatencyMiB: number;
  /** Highest of the samples (every 100 ms) while its concurrent rounds ran. */
  concurrentPeakMiB: number;
  /** 2 s after its concurrent rounds ended. */
  afterConcurrentMiB: number;
}

const TARGET_RATIO = 1.25;
const TARGET_INVITES_P99_MS = 150;
const TARGET_DIGIT_P99_MS = 50;
/** 20 rounds at once: every step's p99 within this many times the baseline's under the same load. */
const TARGET_CONCURRENT_P99_RATIO = 2;

const ms = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '–' : fmtMs(x));
const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : '–');
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
const ordinal = (n: number) => `${n}${n % 100 >= 11 && n % 100 <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;

function series(records: ReportInput['records'], target: TargetName, kind: RoundRecord['kind']) {
  const rows = records.filter((x) => x.r.target === target && x.r.kind === kind);
  return {
    rows,
    first: spread(rows.map((x) => x.m.firstInviteMs)),
    all: spread(rows.map((x) => x.m.allInvitesMs)),
    borrower: spread(rows.map((x) => x.m.borrowerInviteMs)),
    cancel: spread(rows.map((x) => x.m.lastCancelMs)),
  };
}

/** Median over rounds of (to - from), both wall-clock ms; skips rounds missing either. */
function medianGap(rows: ReportInput['records'], pick: (x: { r: RoundRecord; m: RoundMetrics }) => [number | undefined, number | undefined]): number {
  const gaps: number[] = [];
  for (const x of rows) {
    const [from, to] = pick(x);
    if (from !== undefined && to !== undefined && Number.isFinite(from) && Number.isFinite(to)) gaps.push(to - from);
  }
  return percentile(gaps, 0.5);
}

function absolute(x: { r: RoundRecord; m: RoundMetrics }) {
  const { r, m } = x;
  return {
    sent: r.sentAt,
    accepted: r.acceptedAt,
    firstInvite: m.firstInviteMs !== undefined ? r.acceptedAt + m.firstInviteMs : undefined,
    allInvites: m.allInvitesMs !== undefined ? r.acceptedAt + m.allInvitesMs : undefined,
    digit: m.digitAt,
    borrowerInvite: m.digitAt !== undefined && m.borrowerInviteMs !== undefined ? m.digitAt + m.borrowerInviteMs : undefined,
    lastCancel: m.digitAt !== undefined && m.lastCancelMs !== undefined ? m.digitAt + m.lastCancelMs : undefined,
  };
}

export function report(input: ReportInput): BenchOutcome {
  const { settings: s, records, failures, notes } = input;
  const b = series(records, 'baseline', 'sequential');
  const l = series(records, 'leadline', 'sequential');
  const cb = series(records, 'baseline', 'concurrent');
  const cl = series(records, 'leadline', 'concurrent');

  for (const [name, sp] of [['accepted → all INVITEs', b.all], ['accepted → all INVITEs', l.all], ['digit → borrower INVITE', b.borrower], ['digit → borrower INVITE', l.borrower]] as const) {
    if (sp.n === 0) failures.push(`no round gave a "${name}" figure: the measurement failed (see the SIPp traces)`);
  }

  // ---- latency table ----
  const latHeader = ['from → to', 'target', 'baseline p50', 'baseline p99', 'leadline p50', 'leadline p99', 'leadline ÷ baseline (p50 / p99)'];
  const latAlign: ('l' | 'r')[] = ['l', 'l', 'r', 'r', 'r', 'r', 'r'];
  const latRow = (label: string, target: string, bs: Spread, ls: Spread) => [label, target, ms(bs.p50), ms(bs.p99), ms(ls.p50), ms(ls.p99), `${ratio(ls.p50, bs.p50)} / ${ratio(ls.p99, bs.p99)}`];
  const latRows = [
    latRow('lead accepted → 1st agent INVITE', '', b.first, l.first),
    latRow(`lead accepted → all ${s.agentsPerRound} agent INVITEs`, `≤ ${TARGET_RATIO}× baseline, p99 < ${TARGET_INVITES_P99_MS} ms`, b.all, l.all),
    latRow('winning digit → borrower INVITE', `≤ ${TARGET_RATIO}× baseline at p50, p99 < ${TARGET_DIGIT_P99_MS} ms`, b.borrower, l.borrower),
    latRow(`winning digit → last of ${s.agentsPerRound - 1} losers' CANCEL`, `≤ ${TARGET_RATIO}× baseline at p50, p99 < ${TARGET_DIGIT_P99_MS} ms`, b.cancel, l.cancel),
  ];

  // ---- where the time goes ----
  const gap = (rows: ReportInput['records'], f: (a: ReturnType<typeof absolute>, r: RoundRecord) => [number | undefined, number | undefined]) => medianGap(rows, (x) => f(absolute(x), x.r));
  const cols = [b.rows, l.rows, ...(s.concurrent > 0 ? [cb.rows, cl.rows] : [])];
  const bdHeader = ['step (median)', 'baseline', 'leadline', ...(s.concurrent > 0 ? [`baseline, ${s.concurrent} at once`, `leadline, ${s.concurrent} at once`] : []), 'what Leadline does in it'];
  const step = (label: string, f: Parameters<typeof gap>[1], what: string, leadlineOnly = false) => [label, ...cols.map((rows, i) => (leadlineOnly && i % 2 === 0 ? '' : ms(gap(rows, f)))), what];
  const bdRows = [
    step('post sent → its answer', (a) => [a.sent, a.accepted], 'the Action Post: the vendor\'s view of "accepted" (the lead is committed before the answer)', true),
    step(`post sent → all ${s.agentsPerRound} agent INVITEs`, (a) => [a.sent, a.allInvites], 'the vendor\'s post to every phone ringing', true),
    step('accepted → 1st agent INVITE', (a) => [a.accepted, a.firstInvite], 'distribution context (two prepared reads), eligibility, then new → distributing (guarded UPDATE) and the agents reserved (one guarded UPDATE … RETURNING) in one commit, then the originates (POST /channels) and Asterisk'),
    step('1st → last agent INVITE', (a) => [a.firstInvite, a.allInvites], `${s.agentsPerRound} originates in parallel; Asterisk sends the INVITEs`),
    step('10th agent INVITE → agent leg rows', (a, r) => [a.allInvites, r.legRows?.first], "the call row and the legs' call-activity rows, written in one commit once Asterisk has answered the originates and reported every leg's call placed (its Dial events), at most 50 ms after the originates were sent; the rows' start time is stamped as they are written (negative: written before the last INVITE)", true),
    step('phone digit → baseline handles ChannelDtmfReceived', (a, r) => [a.digit, r.digitHandledAt], 'checks the digit timing (Asterisk reports a digit once its end packet is in)'),
    step('digit → borrower leg row', (a, r) => [a.digit, r.legRows?.borrower], 'ChannelDtmfReceived, the claim (one transaction of prepared statements: the guarded update, which stamps takenAt, and the application; the prompt is stopped meanwhile), "connecting" sent, the caller ID chosen (local presence was read when the first agent answered)', true),
    step('borrower leg row → borrower INVITE', (a, r) => [r.legRows?.borrower, a.borrowerInvite], 'borrower call-activity INSERT (prepared), originate', true),
    step('digit → borrower INVITE', (a) => [a.digit, a.borrowerInvite], ''),
    step('borrower INVITE → last loser CANCEL', (a) => [a.borrowerInvite, a.lastCancel], 'losers hung up together (AMI Hangup actions on one session; ARI DELETEs without AMI), once the borrower\'s originate is answered'),
  ];
  const lg = (f: Parameters<typeof gap>[1]) => gap(l.rows, f);
  const reading = [
    `**Reading.** Leadline's first agent INVITE left ${ms(lg((a) => [a.accepted, a.firstInvite]))} after the Action Post's answer reached the vendor (the baseline's ${ms(gap(b.rows, (a) => [a.accepted, a.firstInvite]))} after its round began), and the last ${ms(lg((a) => [a.firstInvite, a.allInvites]))} after the first (the baseline's ${ms(gap(b.rows, (a) => [a.firstInvite, a.allInvites]))}). Before its originates a round reads its context, and moves the lead new → distributing and reserves its agents in one commit; the round's call and leg rows, and then its agents' presence (dashboards, BLF lights), wait until Asterisk has reported every leg's call placed (at most 50 ms after the originates): the rows came ${ms(lg((a, r) => [a.allInvites, r.legRows?.first]))} after the last INVITE (median).`,
    `After the winning digit, ${ms(lg((a, r) => [a.digit, r.legRows?.borrower]))} pass before the borrower's leg row (the claim's transaction, which stamps takenAt, while the prompt is stopped; "connecting" sent; the caller ID chosen), and the ringing losers are cancelled together only once the borrower's originate has been answered (${ms(lg((a) => [a.borrowerInvite, a.lastCancel]))} more), where the baseline sends everything at once.`,
    ...(s.concurrent > 0
      ? [`With ${s.concurrent} distributions at once, digit → borrower INVITE is ${ms(gap(cl.rows, (a) => [a.digit, a.borrowerInvite]))} for Leadline (median; baseline ${ms(gap(cb.rows, (a) => [a.digit, a.borrowerInvite]))}): there every round's steps share one event loop and one database connection, and each commit is an fsync with the event loop waiting (a call's small writes asked for together, legs answered and ended, share one).`]
      : []),
  ].join(' ');
  const bdAlign: ('l' | 'r')[] = ['l', ...cols.map((): 'r' => 'r'), 'l'];

  // ---- how the rounds spread ----
  const spreadHeader = ['rounds', 'step', 'baseline p50 / p90 / p99 / max', 'leadline p50 / p90 / p99 / max'];
  const spreadAlign: ('l' | 'r')[] = ['l', 'l', 'r', 'r'];
  const fourPoints = (v: (number | undefined)[]) => {
    const xs = v.filter((x): x is number => x !== undefined && Number.isFinite(x));
    return [0.5, 0.9, 0.99].map((q) => ms(percentile(xs, q))).concat(ms(xs.length ? Math.max(...xs) : undefined)).join(' / ');
  };
  const stepsOf = (rows: typeof b.rows) => [
    ['all INVITEs', rows.map((x) => x.m.allInvitesMs)],
    ['digit → borrower INVITE', rows.map((x) => x.m.borrowerInviteMs)],
    ['digit → last CANCEL', rows.map((x) => x.m.lastCancelMs)],
  ] as const;
  const spreadRows = [
    ...stepsOf(b.rows).map(([step], i) => [`one at a time (${b.rows.length} / ${l.rows.length})`, step, fourPoints(stepsOf(b.rows)[i][1]), fourPoints(stepsOf(l.rows)[i][1])]),
    ...(s.concurrent > 0 ? stepsOf(cb.rows).map(([step], i) => [`${s.concurrent} at once (${cb.rows.length} / ${cl.rows.length})`, step, fourPoints(stepsOf(cb.rows)[i][1]), fourPoints(stepsOf(cl.rows)[i][1])]) : []),
  ];
  // Each batch of concurrent rounds on its own: its worst round of each step.
  const batchHeader = ['batch', 'baseline worst: all INVITEs / digit → borrower / digit → CANCELs', 'leadline worst: all INVITEs / digit → borrower / digit → CANCELs'];
  const worstOf = (rows: typeof b.rows) => stepsOf(rows).map(([, v]) => ms(spread(v).max)).join(' / ');
  const batchRows = Array.from({ length: s.concurrent > 0 ? s.concurrentBatches : 0 }, (_, i) => [String(i + 1), worstOf(cb.rows.filter((x) => x.r.index === i + 1)), worstOf(cl.rows.filter((x) => x.r.index === i + 1))]);

  // ---- concurrent run ----
  const doubles = failures.filter((f) => f.startsWith('DOUBLE ASSIGNMENT')).length;
  const lost = failures.filter((f) => f.startsWith('LOST LEAD')).length;
  const concurrentSummary = (name: TargetName, c: ReturnType<typeof series>) => {
    const rows = c.rows;
    const settled = rows.filter((x) => !/^(stuck|unfinished|unknown)/.test(x.r.outcome)).length;
    const taken = rows.filter((x) => x.r.outcome === 'assigned' || x.r.outcome === 'taken').length;
    const invites = rows.reduce((n, x) => n + x.m.invites, 0);
    const borrowers = rows.reduce((n, x) => n + x.m.borrowerInvites, 0);
    const full = rows.filter((x) => x.m.invites === x.r.members.length).length;
    return { name, rows, settled, taken, invites, borrowers, full };
  };
  const cs = s.concurrent > 0 ? [concurrentSummary('baseline', cb), concurrentSummary('leadline', cl)] : [];
  const concHeader = ['target', 'distributions', 'ended', 'taken / assigned', 'rang all 10', 'agent INVITEs', 'borrower INVITEs', 'all INVITEs p50 / p99', 'digit → borrower p50 / p99', 'digit → CANCELs p50 / p99'];
  const concAlign: ('l' | 'r')[] = ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'];
  const concRows = cs.map((c) => {
    const sp = c.name === 'baseline' ? cb : cl;
    return [c.name, String(c.rows.length), String(c.settled), String(c.taken), String(c.full), String(c.invites), String(c.borrowers), `${ms(sp.all.p50)} / ${ms(sp.all.p99)}`, `${ms(sp.borrower.p50)} / ${ms(sp.borrower.p99)}`, `${ms(sp.cancel.p50)} / ${ms(sp.cancel.p99)}`];
  });
  const leadConc = cs.find((c) => c.name === 'leadline');
  const leadExceptions = leadConc ? leadConc.rows.filter((x) => x.r.outcome.startsWith('exception')).map((x) => x.r.outcome) : [];

  // ---- targets ----
  /** A step after the winning digit: within TARGET_RATIO× the baseline at p50, and p99 under TARGET_DIGIT_P99_MS. */
  const digitTargets = (label: string, ls: Spread, bs: Spread) => [
    `${verdict(ls.p50 <= TARGET_RATIO * bs.p50)}  ${label}: Leadline p50 ${ms(ls.p50)} vs baseline ${ms(bs.p50)} (${ratio(ls.p50, bs.p50)}); target within ${TARGET_RATIO}×`,
    `${verdict(ls.p99 < TARGET_DIGIT_P99_MS)}  ${label}: Leadline p99 ${ms(ls.p99)} (baseline ${ms(bs.p99)}); target < ${TARGET_DIGIT_P99_MS} ms`,
  ];
  const ratioOk = l.all.p50 <= TARGET_RATIO * b.all.p50 && l.all.p99 <= TARGET_RATIO * b.all.p99;
  const targetLines = [
    `${verdict(ratioOk)}  accepted → all ${s.agentsPerRound} INVITEs: Leadline p50 ${ms(l.all.p50)} vs baseline ${ms(b.all.p50)} (${ratio(l.all.p50, b.all.p50)}), p99 ${ms(l.all.p99)} vs ${ms(b.all.p99)} (${ratio(l.all.p99, b.all.p99)}); target within ${TARGET_RATIO}×`,
    `${verdict(l.all.p99 < TARGET_INVITES_P99_MS)}  accepted → all ${s.agentsPerRound} INVITEs: Leadline p99 ${ms(l.all.p99)}; target < ${TARGET_INVITES_P99_MS} ms`,
    ...digitTargets('winning digit → borrower INVITE', l.borrower, b.borrower),
    ...digitTargets("winning digit → losers' CANCEL", l.cancel, b.cancel),
  ];
  if (s.concurrent > 0) {
    const steps = [
      ['all INVITEs', cl.all.p99, cb.all.p99],
      ['digit → borrower', cl.borrower.p99, cb.borrower.p99],
      ['digit → CANCELs', cl.cancel.p99, cb.cancel.p99],
    ] as const;
    const within = steps.every(([, lp, bp]) => lp <= TARGET_CONCURRENT_P99_RATIO * bp);
    targetLines.push(
      `${verdict(within)}  ${s.concurrent} rounds at once, p99 of every step (${s.concurrentBatches} batches, ${cl.rows.length} rounds): ${steps.map(([name, lp, bp]) => `${name} ${ms(lp)} vs ${ms(bp)} (${ratio(lp, bp)})`).join(', ')}; target within ${TARGET_CONCURRENT_P99_RATIO}×`,
    );
  }
  if (leadConc) {
    const total = s.concurrent * s.concurrentBatches;
    const complete = leadConc.settled === total && leadConc.full === total;
    targetLines.push(
      `${verdict(complete && doubles === 0 && lost === 0)}  ${s.concurrent} concurrent distributions × ${s.agentsPerRound} agents, ${s.concurrentBatches} times: ${leadConc.settled}/${total} ended (${leadConc.taken} assigned${leadExceptions.length ? `, ${leadExceptions.length} lead exception(s): ${[...new Set(leadExceptions)].join(', ')}` : ''}), ${leadConc.full}/${total} rang all ${s.agentsPerRound} agents (${leadConc.invites} agent INVITEs), ${doubles} double assignments, ${lost} lost leads`,
    );
  }

  const leadlineRecords = records.filter((x) => x.r.target === 'leadline');
  const accounting = `Every Leadline lead checked (${leadlineRecords.length}, warm-up included): ${leadlineRecords.filter((x) => x.r.outcome === 'assigned').length} assigned with exactly one application each, to the agent whose leg won; ${leadlineRecords.filter((x) => x.r.outcome.startsWith('exception')).length} lead exceptions; ${lost} lost; ${doubles} double assignments; one borrower INVITE per taken lead.`;
  const roundNotes = records.filter((x) => x.r.notes.length).map((x) => `${x.r.target} ${x.r.kind} round ${x.r.index}: ${x.r.notes.join('; ')}`);

  const m = machineInfo();
  const load = `1-minute load average ${input.loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after`;
  const layout = `Per group, 2 phones ${ROLE_DESCRIPTION.racer}, 3 ${ROLE_DESCRIPTION.silent}, 5 ${ROLE_DESCRIPTION.ring}`;

  const mem = input.memory;
  const memoryLine = `Leadline server's resident memory (RSS, /proc): ${fmtMiB(mem.afterSetupMiB)} with its ${input.agents} agents created and logged in, ${fmtMiB(mem.afterLatencyMiB)} after the latency rounds, ${s.concurrent > 0 ? `a peak of ${fmtMiB(mem.concurrentPeakMiB)} while its ${s.concurrent} concurrent rounds (${s.concurrent * s.agentsPerRound} agent legs) ran (sampled every 100 ms, over its ${s.concurrentBatches} batches) and ${fmtMiB(mem.afterConcurrentMiB)} 2 s after the last ended` : 'no concurrent rounds'}.`;
  const cpu = input.batchCpuMs;
  const cpuLine = cpu.leadline.length
    ? `CPU time of each program's process from a batch's start to the bench's first request about it (${(s.firstPollConcurrentMs / 1000).toFixed(1)} s; user + system, /proc, 10 ms ticks), median of ${cpu.leadline.length} batches: the baseline ${fmtMs(percentile(cpu.baseline, 0.5))}, Leadline ${fmtMs(percentile(cpu.leadline, 0.5))} (${ratio(percentile(cpu.leadline, 0.5), percentile(cpu.baseline, 0.5))}; every batch: the baseline ${cpu.baseline.map((x) => fmtMs(x)).join(', ')}; Leadline ${cpu.leadline.map((x) => fmtMs(x)).join(', ')}).`
    : '';
  const text = [
    textTable(latHeader, latRows, latAlign),
    '',
    textTable(bdHeader.slice(0, -1), bdRows.map((r) => r.slice(0, -1)), bdAlign.slice(0, -1)),
    '',
    ...(cs.length ? [textTable(concHeader, concRows, concAlign), ''] : []),
    textTable(spreadHeader, spreadRows, spreadAlign),
    '',
    ...(batchRows.length ? [textTable(batchHeader, batchRows, ['l', 'r', 'r']), ''] : []),
    ...targetLines,
    '',
    accounting,
    `Bench's own requests: one at a time, ${pollOverlap([...b.rows, ...l.rows])}${cs.length ? `; at once, ${pollOverlap([...cb.rows, ...cl.rows])}` : ''}.`,
    memoryLine,
    ...(cpuLine ? [cpuLine] : []),
    `${load} (${m.cpuCount} CPUs); whole module ${(input.elapsedMs / 1000).toFixed(0)} s.`,
    ...notes.map((n) => `NOTE ${n}`),
    ...roundNotes.map((n) => `NOTE ${n}`),
    ...failures.map((f) => `ERROR ${f}`),
  ].join('\n');

  const markdown = [
    `Machine: ${machineMarkdown(m)} ${load} (the integration suites or other work on the machine show up as noise).`,
    '',
    `**Method.** \`npm run bench\` starts its own Asterisk 22 (\`scripts/asterisk.sh\`, own ports, scratch folder \`.tmp/bench-ringall\`), SIPp phones from \`tests/sipp\` and two ARI programs on that Asterisk, each with its own Stasis app, both as child processes: the compiled Leadline server (\`NODE_ENV=production\`, \`LOG_LEVEL=warn\`, fresh SQLite; agents, groups and ring-all campaigns set up through its REST API, leads posted to its Action Post URL) and the baseline \`bench/ring-all/baseline.ts\` — ARI driven directly with Leadline's own REST client and \`ws\`, no database: it creates static-contact PJSIP endpoints the way Leadline provisions static-IP phones (ARI dynamic config), originates the same legs, plays the same prompts, lets the first \`1\` win and then, all at once, originates the borrower \`PJSIP/<phone>@trunk\`, cancels the ringing losers (\`DELETE ?reason=answered_elsewhere\`) and bridges the borrower on answer. Both ring the same SIPp processes: one per agent of a round, serving that place in every round, and a bank of them for each ${s.roundsPerPhone} concurrent rounds (Leadline rings a phone that two agents share once).`,
    '',
    `**Latency rounds.** Each round rings ${s.agentsPerRound} agents: one phone answers after 150 ms and presses 1 300 ms after the ACK, the other nine ring until cancelled; the borrower answers after 100 ms and hangs up 300 ms later. After one warm-up round each, ${s.rounds} rounds alternate baseline / Leadline, one at a time (every leg ended and every agent free again before the next; the bench does not poll during the first ${(s.firstPollMs / 1000).toFixed(1)} s of a round; ${pollOverlap([...b.rows, ...l.rows])}). All times are the phones' own: SIPp's \`-trace_msg\` timestamps (µs, the machine's wall clock). *Accepted* = the Action Post answer reaching the bench (Leadline; distribution starts right after the answer is sent) or the baseline starting its round (both read with \`Date.now()\`, 1 ms resolution). *All INVITEs* = the ${s.agentsPerRound}th agent phone receiving its INVITE. *Winning digit* = the moment the digit's RFC 4733 end-of-event packet leaves the pressing phone: that scenario is a copy of \`agent-press.xml\` with one \`<log>\` action writing SIPp's timestamp as it starts the DTMF pcap, plus the end packet's place in the pcap (${input.dtmfEndMs.toFixed(0)} ms) — Asterisk reports \`ChannelDtmfReceived\` only when the digit ends. *Losers' CANCEL* = the last of the nine ringing phones receiving its CANCEL (losers who had answered first hear "this lead was taken", so their BYE is not a latency). Percentiles are nearest-rank: with ${s.rounds} rounds, p99 is the ${ordinal(Math.ceil(0.99 * s.rounds))} fastest of ${s.rounds} rounds${Math.ceil(0.99 * s.rounds) === s.rounds ? ' (the worst)' : ''}; the spread table below gives the worst round too. "Leg row" times are the \`startedAt\` of Leadline's call-activity rows (ms, same clock).`,
    '',
    markdownTable(latHeader, latRows, latAlign),
    '',
    `Where the time goes (median over the rounds; a digit row is blank where the baseline has no such step):`,
    '',
    markdownTable(bdHeader, bdRows, bdAlign),
    '',
    reading,
    '',
    ...(cs.length
      ? [
          `**Concurrency.** Then ${s.concurrent} distributions start at once for each target, ${s.concurrentBatches} times, the targets alternating (baseline first; every leg of a batch ended and every agent free again before the next): ${s.concurrent} ring-all campaigns with a group of ${s.agentsPerRound} agents each (${s.concurrent * s.agentsPerRound} agents, ${s.concurrent * s.agentsPerRound} agent legs), one lead posted to each in parallel. ${layout}: both pressers race and the database decides (the loser hears "taken"). Checked: every prospect ends assigned or as a lead exception, exactly one application per assigned prospect and to the agent whose leg won, no agent with two leads of one batch, one borrower INVITE per lead. The bench asks about a batch's rounds only ${(s.firstPollConcurrentMs / 1000).toFixed(1)} s after starting them (its requests load Leadline's server; ${pollOverlap([...cb.rows, ...cl.rows])}). The p50 and p99 below are over every batch's rounds together (${s.concurrent * s.concurrentBatches} per target; ${s.concurrent * s.concurrentBatches} values per step).`,
          '',
          markdownTable(concHeader, concRows, concAlign),
          '',
          'The worst round of each batch:',
          '',
          markdownTable(batchHeader, batchRows, ['l', 'r', 'r']),
          '',
        ]
      : []),
    `**Targets** (from the issue, on this machine):`,
    '',
    ...targetLines.map((t) => `- ${t.replace(/^(PASS|MISS)\s+/, '**$1** ')}`),
    '',
    accounting,
    '',
    `**Memory.** ${memoryLine}`,
    ...(cpuLine ? ['', `**CPU.** ${cpuLine}`] : []),
    '',
    'How the rounds spread (nearest-rank percentiles; rounds counted baseline / Leadline):',
    '',
    markdownTable(spreadHeader, spreadRows, spreadAlign),
    '',
    `\`BENCH_RINGALL_ROUNDS\` (default 100), \`BENCH_RINGALL_CONCURRENT\` (default 20, 0 skips it) and \`BENCH_RINGALL_CONCURRENT_BATCHES\` (default 5) shorten a run, \`BENCH_RINGALL_ROUNDS_PER_PHONE\` (default 20) sets how many concurrent rounds one bank of phones serves, \`BENCH_RINGALL_FIRST_POLL_CONCURRENT_MS\` (default 3000) when the bench first asks about a concurrent batch; \`node dist/bench/run.js ring-all\` runs only this module (${(input.elapsedMs / 1000).toFixed(0)} s here, ${(input.setupMs / 1000).toFixed(0)} s of it creating the ${input.agents} agents, each password hashed with argon2, and logging them in: their tokens are signed by the bench with the server's JWT secret, as its login would issue them). Phone traces stay in \`.tmp/bench-ringall/sipp\`; \`BENCH_RINGALL_DUMP=<file>\` writes every round's record and figures as JSON, \`BENCH_LEADLINE_NODE_ARGS\` passes options to the server's \`node\` (e.g. \`--cpu-prof\`).`,
    ...(notes.length || roundNotes.length ? ['', '**Notes:**', '', ...[...notes, ...roundNotes].map((n) => `- ${n}`)] : []),
    ...(failures.length ? ['', '**Errors:**', '', ...failures.map((f) => `- ${f}`)] : []),
  ].join('\n');

  return { heading: 'Ring All', markdown, text, failures };
}
