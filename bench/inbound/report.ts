// The "## Inbound routing" section of docs/benchmarks.md and the terminal report.
import { loadavg } from 'node:os';
import { machineInfo, machineMarkdown } from '../machine';
import { markdownTable, textTable } from '../markdown';
import { fmtMs, fmtNumber, percentile } from '../stats';
import type { BenchOutcome } from '../types';
import { spread, Spread } from '../ring-all/measure';
import type { SipEvent } from '../ring-all/sip-log';
import { ANSWER_MS, CarrierCall, ROLE_DESCRIPTION } from './calls';
import type { LookupResult } from './lookup';
import { Caller, CALLER_KINDS, KIND_DESCRIPTION, SeedResult } from './seed';

/**
 * Calls each side places by default. With fewer than 100, p99 (nearest rank) is the single worst
 * call, and the two programs' worst calls moved 23–34 ms between runs of the same build.
 */
export const DEFAULT_CALLS = 100;

export interface Settings {
  rounds: number;
  users: number;
  applications: number;
  lookups: number;
  loggedInPct: number;
  agents: number;
  routedState: string;
  callMs: number;
  warmUp: number;
  /** Calls after logging out every seeded user (0: none). */
  contrastRounds: number;
  /** Calls to the bare ARI baseline (after the same warm-up). */
  baselineRounds: number;
}

/** A call the bare ARI baseline took (bench/ring-all/baseline.ts, inbound): no rows, only what the phones saw. */
export interface BareRecord {
  n: number;
  warmUp: boolean;
  startedAt: number;
  endedAt: number;
  call: CarrierCall;
  agentInvites?: SipEvent[];
}

export interface RoundRecord {
  n: number;
  /** main: the seeded logins; few-available: every seeded user logged out (only the ten agents available). */
  series: 'main' | 'few-available';
  warmUp: boolean;
  caller: Caller;
  /** Wall-clock ms: before the carrier SIPp was started / after the round was over. */
  startedAt: number;
  endedAt: number;
  call: CarrierCall;
  /** The caller's call-activity row (ms timestamps, the server's clock = the machine's). */
  callerRow?: { prospect_id: string | null; result: string; started_at: number; ended_at: number | null };
  legs: { user_id: string | null; started_at: number; result: string }[];
  /** INVITEs the agents' phones received during the round. */
  agentInvites?: SipEvent[];
  notes: string[];
}

export interface ReportInput {
  settings: Settings;
  seeded: SeedResult;
  lookup: LookupResult;
  records: RoundRecord[];
  failures: string[];
  notes: string[];
  loadBefore: number;
  phases: Record<string, number>;
  elapsedMs: number;
  roleDescription: { answer: number; ring: number };
  /** Users available during the few-available series. */
  fewAvailable: number;
  baseline: BareRecord[];
}

const TARGET_P99_MS = 100;
/** carrier INVITE → all agent INVITEs: Leadline's p99 within this many times the bare ARI baseline's. */
const TARGET_BASELINE_RATIO = 1.25;
const TARGET_LOOKUP_MS = 5;

interface Metrics {
  invites: number;
  firstMs?: number;
  allMs?: number;
  /** Carrier INVITE → the call's rows (the caller's row; every row of the call is written in the same commit). */
  toRows?: number;
  /** The last agent INVITE → the rows (written while the phones ring). */
  lastInviteToRows?: number;
  firstToLast?: number;
}

/** What the phones saw of a call: the carrier's INVITE → the first and the last agent INVITE. */
function inviteMetrics(r: { call: CarrierCall; agentInvites?: SipEvent[] }, agents: number): Metrics & { first?: number; last?: number } {
  const times = (r.agentInvites ?? []).map((e) => e.at);
  const m: Metrics & { first?: number; last?: number } = { invites: times.length };
  const at = r.call.inviteAt;
  m.first = times.length ? Math.min(...times) : undefined;
  m.last = times.length === agents ? Math.max(...times) : undefined;
  if (at !== undefined && m.first !== undefined) m.firstMs = m.first - at;
  if (at !== undefined && m.last !== undefined) m.allMs = m.last - at;
  if (m.first !== undefined && m.last !== undefined) m.firstToLast = m.last - m.first;
  return m;
}

function metrics(r: RoundRecord, agents: number): Metrics {
  const m = inviteMetrics(r, agents);
  const at = r.call.inviteAt;
  if (at !== undefined && r.callerRow) m.toRows = r.callerRow.started_at - at;
  if (m.last !== undefined && r.callerRow) m.lastInviteToRows = r.callerRow.started_at - m.last;
  return m;
}

const ms = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '–' : fmtMs(x));
/** Sub-millisecond figures for the lookup. */
const ms2 = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '–' : `${x < 10 ? x.toFixed(2) : fmtNumber(x, 1)} ms`);
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
const n0 = (x: number) => fmtNumber(x, 0);

export function report(input: ReportInput): BenchOutcome {
  const { settings: s, seeded, lookup, failures, notes } = input;
  const measured = input.records.filter((r) => !r.warmUp && r.series === 'main').map((r) => ({ r, m: metrics(r, s.agents) }));
  const few = input.records.filter((r) => r.series === 'few-available').map((r) => ({ r, m: metrics(r, s.agents) }));
  const sp = (f: (m: Metrics) => number | undefined) => spread(measured.map((x) => f(x.m)));
  const all = sp((m) => m.allMs);
  const first = sp((m) => m.firstMs);
  const bareMeasured = input.baseline.filter((b) => !b.warmUp).map((b) => inviteMetrics(b, s.agents));
  const bareAll = spread(bareMeasured.map((m) => m.allMs));
  const bareFirst = spread(bareMeasured.map((m) => m.firstMs));
  if (bareAll.n === 0) failures.push('no bare ARI baseline call gave an "INVITE → all agent INVITEs" figure (see the SIPp traces)');
  const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : Number.NaN);
  const allRatio = ratio(all.p99, bareAll.p99);
  if (all.n === 0) failures.push('no call gave an "INVITE → all agent INVITEs" figure: the measurement failed (see the SIPp traces)');
  else if (all.n < measured.length) notes.push(`${measured.length - all.n} of ${measured.length} calls gave no "all ${s.agents} INVITEs" figure (see the errors)`);

  // ---- end to end ----
  const latHeader = ['from → to', 'calls', 'p50', 'p99', 'max', 'target'];
  const latAlign: ('l' | 'r')[] = ['l', 'r', 'r', 'r', 'r', 'l'];
  const latRow = (label: string, x: Spread, target: string) => [label, String(x.n), ms(x.p50), ms(x.p99), ms(x.max), target];
  const latRows = [
    latRow('carrier INVITE sent → 1st agent INVITE received', first, ''),
    latRow(`carrier INVITE sent → all ${s.agents} agent INVITEs received`, all, `p99 < ${TARGET_P99_MS} ms, ≤ ${TARGET_BASELINE_RATIO}× the baseline's`),
    latRow('bare ARI baseline: carrier INVITE sent → 1st agent INVITE received', bareFirst, ''),
    latRow(`bare ARI baseline: carrier INVITE sent → all ${s.agents} agent INVITEs received`, bareAll, ''),
  ];

  // ---- where the time goes ----
  const bdHeader = ['step', 'p50', 'p99', 'what happens in it'];
  const bdAlign: ('l' | 'r')[] = ['l', 'r', 'r', 'l'];
  const bd = (label: string, f: (m: Metrics) => number | undefined, what: string) => {
    const x = sp(f);
    return [label, ms(x.p50), ms(x.p99), what];
  };
  const bdRows = [
    bd('carrier INVITE → 1st agent INVITE', (m) => m.firstMs, 'Asterisk: INVITE, dialplan, StasisStart to Leadline; Leadline: the lookup (org, matchLead, available, local-presence DID check, eligibility; CALLERID(pres) comes with the Stasis arguments), reserve the agents (one guarded UPDATE … RETURNING), ring the caller (ARI), originate ×10 in parallel; Asterisk sends the first INVITE'),
    bd(`1st → ${s.agents}th agent INVITE`, (m) => m.firstToLast, 'the other originates'),
    bd(`${s.agents}th agent INVITE → the call's rows`, (m) => m.lastInviteToRows, "the call's row, the caller's and the agents' leg rows, one commit, written while the phones ring: once Asterisk has answered the originates and reported every agent's call placed (its Dial events), at most 50 ms after the originates were sent (negative: written before the last INVITE arrived)"),
  ];

  // ---- the same calls with only the ten agents available ----
  const cHeader = ['users available to take calls', 'calls', 'INVITE → 1st agent INVITE p50', 'p99', 'INVITE → all INVITEs p50', 'p99'];
  const cAlign: ('l' | 'r')[] = ['l', 'r', 'r', 'r', 'r', 'r'];
  const cRow = (label: string, rows: typeof measured) => {
    const c = spread(rows.map((x) => x.m.firstMs));
    const a = spread(rows.map((x) => x.m.allMs));
    return [label, String(rows.length), ms(c.p50), ms(c.p99), ms(a.p50), ms(a.p99)];
  };
  const cRows = few.length ? [cRow(`${n0(seeded.available)} (seeded: ${s.loggedInPct} % logged in)`, measured), cRow(`${n0(input.fewAvailable)} (every seeded user logged out)`, few)] : [];

  // ---- by caller ----
  const kindHeader = ['caller', 'calls', 'all INVITEs p50', 'all INVITEs max', 'INVITE → 1st agent INVITE p50'];
  const kindAlign: ('l' | 'r')[] = ['l', 'r', 'r', 'r', 'r'];
  const kindRows = CALLER_KINDS.map((k) => {
    const rows = measured.filter((x) => x.r.caller.kind === k);
    const a = spread(rows.map((x) => x.m.allMs));
    const c = spread(rows.map((x) => x.m.firstMs));
    return [`${k}: ${KIND_DESCRIPTION[k]}`, String(rows.length), ms(a.p50), ms(a.max), ms(c.p50)];
  });

  // ---- lookup ----
  const lkHeader = ['lookup', 'p50', 'p99', 'max', 'target'];
  const lkAlign: ('l' | 'r')[] = ['l', 'r', 'r', 'r', 'l'];
  const lk = (label: string, x: Spread, target = '') => [label, ms2(x.p50), ms2(x.p99), ms2(x.max), target];
  const lkRows = [
    lk('**lookUpInbound: the lookup as the server runs it** (org, lead, available, local-presence check, pick)', lookup.server.lookup, `p99 < ${TARGET_LOOKUP_MS} ms`),
    lk('InboundRepository.matchLead (1 prepared statement)', lookup.server.matchLead),
    lk(`InboundRepository.available (${n0(lookup.availableRows)} rows)`, lookup.server.available),
    lk("bare SQL: the caller's lead", lookup.raw.match),
    lk(`bare SQL: available users (${n0(lookup.availableRows)} rows)`, lookup.raw.available),
    lk('bare SQL: same WHERE, every row that passes it counted (no ORDER BY, no LIMIT)', lookup.raw.availableWhere),
    lk('bare SQL: both', lookup.raw.total),
  ];
  const lkText = lkRows.map((r) => [r[0].replace(/\*\*|`/g, ''), ...r.slice(1)]);

  const scans = lookup.plans.flatMap((p) => p.scans.map((l) => `${p.name}: \`${l}\``));
  const visited = lookup.availableVisited;
  const availableNote = visited
    ? `\`available\` uses \`${visited.index}\`, which narrows the ${n0(lookup.users)} users to ${n0(visited.rows)} rows${visited.rows >= 0.9 * lookup.users ? ' (one org per installation: the index selects every user, in effect a full scan)' : ''}; SQLite reads them (in the query's order when the index holds it, stopping at the ${n0(lookup.availableRows)} it returns; the bench makes the ${s.agents} ${s.routedState} agents the last to have ended a call, so it walks every available user) and filters by the licence.`
    : '';

  // ---- targets ----
  const lookupP99 = lookup.server.lookup.p99;
  const o = lookup.server;
  const r = lookup.raw;
  const reading = [
    `**Reading.** Of the ${ms(sp((x) => x.allMs).p50)} from the carrier's INVITE to the last agent INVITE (medians), ${ms(sp((x) => x.firstMs).p50)} pass before the first agent's phone has its INVITE, i.e. while Asterisk hands the call to Stasis, Leadline looks the caller up, picks and reserves agents and sends the originates, and Asterisk sends the first INVITE; the call's rows are committed ${ms(sp((x) => x.toRows).p50)} after the carrier's INVITE, while the phones ring.`,
    `In the lookup (${ms2(o.lookup.p50)}), \`matchLead\` takes ${ms2(o.matchLead.p50)} (${ms2(r.match.p50)} of SQL on a bare connection: index lookups all the way); \`available\` takes ${ms2(o.available.p50)}: one query filters availability, a work phone and the licence (\`json_each\` over the licences) and returns the longest-idle agents, at most ${n0(lookup.availableRows)}. The same SQL on a bare connection takes ${ms2(r.available.p50)} (counting every row its WHERE lets through, with no LIMIT to stop at: ${ms2(r.availableWhere.p50)}); the rest is the pool and the row mapping.`,
    ...(few.length
      ? [
          `End to end, the calls with only ${n0(input.fewAvailable)} users available took ${ms(spread(few.map((x) => x.m.firstMs)).p50)} to the first agent INVITE and ${ms(spread(few.map((x) => x.m.allMs)).p50)} to the last (medians), against ${ms(sp((x) => x.firstMs).p50)} and ${ms(sp((x) => x.allMs).p50)} with ${n0(seeded.available)}.`,
        ]
      : []),
    ...(scans.length ? [`Full scans: ${scans.join('; ')}.`] : ['No plan has a `SCAN`.']),
  ].join(' ');
  const targetLines = [
    `${verdict(all.n > 0 && all.p99 < TARGET_P99_MS)} carrier INVITE → all ${s.agents} agent INVITEs: p99 ${ms(all.p99)} over ${all.n} calls (p50 ${ms(all.p50)}); target < ${TARGET_P99_MS} ms`,
    `${verdict(allRatio <= TARGET_BASELINE_RATIO)} carrier INVITE → all ${s.agents} agent INVITEs against the bare ARI baseline on the same Asterisk: Leadline p99 ${ms(all.p99)} vs ${ms(bareAll.p99)} (${Number.isFinite(allRatio) ? allRatio.toFixed(2) : '–'}×; p50 ${ms(all.p50)} vs ${ms(bareAll.p50)}); target within ${TARGET_BASELINE_RATIO}×`,
    `${verdict(lookupP99 < TARGET_LOOKUP_MS)} the lookup as the server runs it (lookUpInbound), ${n0(seeded.applications)} leads: p99 ${ms2(lookupP99)} (p50 ${ms2(o.lookup.p50)}; its SQL on a bare connection p99 ${ms2(r.total.p99)}); target < ${TARGET_LOOKUP_MS} ms at 100,000 and at 1,000,000 leads (\`BENCH_INBOUND_APPLICATIONS=1000000\`)`,
    `${verdict(o.matchLead.p99 < TARGET_LOOKUP_MS)} the lead lookup alone (matchLead): p99 ${ms2(o.matchLead.p99)} (p50 ${ms2(o.matchLead.p50)}); target < ${TARGET_LOOKUP_MS} ms`,
  ];

  // ---- rounds ----
  const roundHeader = ['call', 'caller', 'kind', 'INVITE → 1st agent INVITE', `INVITE → all ${s.agents}`, "INVITE → the call's rows"];
  const roundAlign: ('l' | 'l' | 'l' | 'r' | 'r' | 'r')[] = ['l', 'l', 'l', 'r', 'r', 'r'];
  const roundRows = measured.map(({ r, m }) => [String(r.n - s.warmUp + 1), r.caller.phone, r.caller.kind, ms(m.firstMs), ms(m.allMs), ms(m.toRows)]);

  const dataHeader = ['rows', 'count'];
  const dataRows = [
    ['users (app_user)', n0(seeded.users)],
    ['… logged in', n0(seeded.loggedIn)],
    ['… available (logged in, calls on, not on a call)', n0(seeded.available)],
    ['campaigns', n0(seeded.campaigns)],
    ['prospects', n0(seeded.prospects)],
    ['prospect phones (prospect_phone)', `${n0(seeded.phones)} (${n0(seeded.repeatPhones)} numbers on two prospects)`],
    ['applications', n0(seeded.applications)],
    ['database file', `${fmtNumber(seeded.dbBytes / 1024 ** 2, 0)} MiB`],
  ];

  const m = machineInfo();
  const load = `1-minute load average ${input.loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after`;
  const phaseText = Object.entries(input.phases)
    .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`)
    .join(', ');
  const plansMd = lookup.plans.flatMap((p) => [`- ${p.name}:`, '', '  ```', ...p.lines.map((l) => `  ${l}`), '  ```']);
  const plansText = lookup.plans.flatMap((p) => [`${p.name}:`, ...p.lines.map((l) => `    ${l}`)]);
  const p99Note = all.n >= 100 ? '' : ` With ${all.n} calls, p99 (nearest rank) is the worst call.`;
  const fastest = percentile(measured.map((x) => x.m.allMs).filter((x): x is number => x !== undefined), 0);

  const text = [
    textTable(latHeader, latRows, latAlign),
    '',
    textTable(bdHeader.slice(0, -1), bdRows.map((r) => r.slice(0, -1)), bdAlign.slice(0, -1)),
    '',
    ...(cRows.length ? [textTable(cHeader, cRows, cAlign), ''] : []),
    textTable(['caller', ...kindHeader.slice(1)], kindRows.map((r) => [r[0].split(':')[0], ...r.slice(1)]), kindAlign),
    '',
    textTable(lkHeader, lkText, lkAlign),
    '',
    ...plansText,
    ...(availableNote ? [availableNote.replace(/`/g, '')] : []),
    '',
    reading.replace(/`|\*\*/g, ''),
    '',
    ...targetLines,
    '',
    `${load} (${m.cpuCount} CPUs); whole module ${(input.elapsedMs / 1000).toFixed(0)} s (${phaseText}).`,
    ...notes.map((x) => `NOTE ${x}`),
    ...failures.map((f) => `ERROR ${f}`),
  ].join('\n');

  const markdown = [
    `Machine: ${machineMarkdown(m)} ${load} (other work on the machine shows up as noise).`,
    '',
    `**Method.** \`npm run bench\` starts its own Asterisk 22 (\`scripts/asterisk.sh\` through \`bench/ring-all/asterisk.ts\`; own ports, scratch folder \`.tmp/bench-inbound\`, Stasis app \`${'leadline-inbound-bench'}\`, which the server registers — inbound calls enter the app named in the dialplan), SIPp phones from \`tests/sipp\` and the compiled Leadline server (\`NODE_ENV=production\`, \`LOG_LEVEL=warn\`, SQLite) as a child process. The server is started once on an empty folder (migrations, org, admin), ${s.agents} agents are created through its REST API (static-IP desk phones on two SIPp processes: ${input.roleDescription.answer} ${ROLE_DESCRIPTION.answer}, ${input.roleDescription.ring} ${ROLE_DESCRIPTION.ring}; licensed ${s.routedState}, logged in, calls on) and it is stopped. Then the data goes straight into the SQLite file with \`better-sqlite3\`, one transaction (${(seeded.ms / 1000).toFixed(1)} s; the REST API would hash a password per user): users up to ${n0(seeded.users)} — ${s.loggedInPct} % of the added ones logged in, 90 % of those with calls on; each holds 1–6 state licences, never ${s.routedState}; external work phones; dummy password hashes — and ${n0(seeded.applications)} prospects in 5 campaigns, each with its normalised phones in \`prospect_phone\` (a mobile, 20 % also a home phone; 5 % reuse an earlier prospect's mobile in another campaign: repeat leads), 85 % with a property state, and one application each. The server is started again on that file (its link-up re-sync provisions the agents' phones) and a SIPp carrier (\`inbound-call.xml\` from the trunk address ${'127.0.0.2'}, one process per call) places ${s.rounds} calls one at a time after ${s.warmUp} warm-up calls, cycling through four kinds of caller (below); every call rings the ${s.agents} ${s.routedState} agents, the first answers after ${ANSWER_MS} ms, the caller hangs up ${s.callMs} ms later, and the next call starts once every agent is free again. Times are SIPp's own \`-trace_msg\` timestamps (µs, the machine's wall clock): the carrier's INVITE leaving, and the agent phones receiving theirs. "The call's rows" is the \`startedAt\` of the caller's call-activity row (ms, same clock; the call's row and every leg's are written in the same commit), read from the database after each call.${p99Note}`,
    '',
    `**The bare ARI baseline.** Between the two starts of the server, while it is stopped, the ring-all bench's bare ARI program (\`bench/ring-all/baseline.ts\`: no database, no framework) registers the same Stasis app on the same Asterisk, creates ${s.agents} endpoints of its own on the same SIPp phones and takes ${s.baselineRounds} calls (after ${s.warmUp} warm-up calls) from the same carrier scenario: it rings the caller and originates all ${s.agents} endpoints at once when the call enters the app, with no lookup and no rows, connects the first agent to answer and cancels the others. The issue's target compares the server's p99 from the carrier's INVITE to the last agent INVITE with this program's.`,
    '',
    markdownTable(latHeader, latRows, latAlign),
    '',
    'Where the time goes:',
    '',
    markdownTable(bdHeader, bdRows, bdAlign),
    '',
    ...(cRows.length
      ? [
          `Then every seeded user is logged out in the database (the ${s.agents} agents stay) and ${few.length} more calls are placed the same way, so that \`available\` returns ${n0(input.fewAvailable)} users instead of ${n0(seeded.available)}:`,
          '',
          markdownTable(cHeader, cRows, cAlign),
          '',
        ]
      : []),
    'By caller (every call checked: matched to the prospect the seeding says — the most recent application among the prospects holding the number — or to none; answered; rang exactly the ten agents; no seeded user rang):',
    '',
    markdownTable(kindHeader, kindRows, kindAlign),
    '',
    `**The lookup alone.** With the server stopped, the bench opens the same database file with the server's own MikroORM options and runs the server's own lookup, \`lookUpInbound\` (apps/server/src/inbound/inbound-lookup.ts, what \`InboundService\` runs on every call: org, the caller's lead, the available agents licensed for the state, the local-presence check of the DID, the eligibility pick; prepared statements on MikroORM's pool, no entities), ${n0(lookup.iterations)} times (after 50 warm-up calls; callers cycling through the four kinds; the ${s.agents} ${s.routedState} agents marked as the last to have ended a call, so \`available\` walks every available user before it finds them; every lookup checked: the seeded lead, exactly the ${s.agents} ${s.routedState} agents), then \`InboundRepository.matchLead\` and \`available\` on their own; in between, the same SQL texts (inbound-lookup.sql.ts) on a bare \`better-sqlite3\` connection (statements prepared once). Times with \`performance.now()\`. The issue's target applies at 100,000 and at 1,000,000 leads: \`BENCH_INBOUND_APPLICATIONS=1000000\` seeds the larger database (about ten times the seeding time).`,
    '',
    markdownTable(lkHeader, lkRows, lkAlign),
    '',
    'Query plans (`EXPLAIN QUERY PLAN` of the statements the server runs, on this data; no `ANALYZE` has run, as on a real installation):',
    '',
    ...plansMd,
    '',
    ...(availableNote ? [availableNote, ''] : []),
    reading,
    '',
    'Data:',
    '',
    markdownTable(dataHeader, dataRows, ['l', 'r']),
    '',
    `**Targets** (from the issue, on this machine):`,
    '',
    ...targetLines.map((t) => `- ${t.replace(/^(PASS|MISS)\s+/, '**$1** ')}`),
    '',
    'Calls:',
    '',
    markdownTable(roundHeader, roundRows, roundAlign),
    '',
    `\`BENCH_INBOUND_ROUNDS\` (default ${DEFAULT_CALLS}), \`BENCH_INBOUND_CONTRAST_ROUNDS\` (20; 0 skips the calls with every seeded user logged out), \`BENCH_INBOUND_USERS\` (10000), \`BENCH_INBOUND_APPLICATIONS\` (100000), \`BENCH_INBOUND_LOGGED_IN_PCT\` (10), \`BENCH_INBOUND_LOOKUPS\` (300) and \`BENCH_INBOUND_BASELINE_ROUNDS\` (${DEFAULT_CALLS}) change the run; \`node dist/bench/run.js inbound\` runs only this module (${(input.elapsedMs / 1000).toFixed(0)} s here: ${phaseText}). Phone traces stay in \`.tmp/bench-inbound/sipp\`, the seeded database in \`.tmp/bench-inbound/leadline\`. Fastest call: ${ms(fastest)}.`,
    ...(notes.length ? ['', '**Notes:**', '', ...notes.map((x) => `- ${x}`)] : []),
    ...(failures.length ? ['', '**Errors:**', '', ...failures.map((f) => `- ${f}`)] : []),
  ].join('\n');

  return { heading: 'Inbound routing', markdown, text, failures };
}
