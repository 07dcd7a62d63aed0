// The report figures (docs/reports.md), added up from stored days. Pure: the days, the filter and
// the names come in; plain rows come out (the REST answers, the CSV files and the charts use them).
import type { LocalDay } from './local-day.util';
import { CALL_PURPOSES, LEAD_OUTCOMES, LeadOutcome, ReportDayDoc, SPEED_STAGES, SpeedStage } from './report-day.util';
import { displayBinOf, quantileFromBins, SPEED_BIN_COUNT, SPEED_DISPLAY_BINS } from './speed-bins.util';

/** A stored day of the period. */
export interface ReportDay {
  day: LocalDay;
  doc: ReportDayDoc;
}

/** Which cells count: absent = all; a set = only those values ('' stands for "none"). */
export interface ReportFilter {
  campaignIds?: ReadonlySet<string>;
  leadProviders?: ReadonlySet<string>;
  agentIds?: ReadonlySet<string>;
}

const keep = (f: ReportFilter, c: string, p: string, a: string) =>
  (!f.campaignIds || f.campaignIds.has(c)) && (!f.leadProviders || f.leadProviders.has(p)) && (!f.agentIds || f.agentIds.has(a));

const rate = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

// ---- speed to lead ----

export interface SpeedStageRow {
  stage: SpeedStage;
  leads: number;
  p50Ms: number | null;
  p90Ms: number | null;
  p99Ms: number | null;
}

export interface SpeedHistogramRow {
  bin: string;
  fromMs: number;
  /** Exclusive; null for the last, open-ended bin. */
  toMs: number | null;
  firstRing: number;
  taken: number;
  borrowerAnswered: number;
}

/** One day or one hour of the day: leads accepted, and per stage how many reached it and how fast. */
export interface SpeedTrendRow {
  leads: number;
  firstRing: number;
  firstRingP50Ms: number | null;
  firstRingP90Ms: number | null;
  taken: number;
  takenP50Ms: number | null;
  takenP90Ms: number | null;
  borrowerAnswered: number;
  borrowerAnsweredP50Ms: number | null;
  borrowerAnsweredP90Ms: number | null;
}

export interface SpeedFigures {
  stages: SpeedStageRow[];
  histogram: SpeedHistogramRow[];
  byDay: (SpeedTrendRow & { day: LocalDay })[];
  byHour: (SpeedTrendRow & { hour: number })[];
}

const STAGE_SPAN = 24 * SPEED_BIN_COUNT;

function countOf(bins: Float64Array, stage: number): number {
  let n = 0;
  for (let i = 0; i < SPEED_BIN_COUNT; i++) n += bins[stage * SPEED_BIN_COUNT + i];
  return n;
}

function trendRow(leads: number, bins: Float64Array): SpeedTrendRow {
  const q = (stage: number, p: number) => quantileFromBins(bins, p, stage * SPEED_BIN_COUNT);
  return {
    leads,
    firstRing: countOf(bins, 0),
    firstRingP50Ms: q(0, 0.5),
    firstRingP90Ms: q(0, 0.9),
    taken: countOf(bins, 1),
    takenP50Ms: q(1, 0.5),
    takenP90Ms: q(1, 0.9),
    borrowerAnswered: countOf(bins, 2),
    borrowerAnsweredP50Ms: q(2, 0.5),
    borrowerAnsweredP90Ms: q(2, 0.9),
  };
}

export function speedFigures(days: readonly ReportDay[], filter: ReportFilter): SpeedFigures {
  const total = new Float64Array(SPEED_STAGES.length * SPEED_BIN_COUNT);
  const hourBins = Array.from({ length: 24 }, () => new Float64Array(SPEED_STAGES.length * SPEED_BIN_COUNT));
  const hourLeads = Array<number>(24).fill(0);
  const byDay: SpeedFigures['byDay'] = [];
  for (const { day, doc } of days) {
    const dayBins = new Float64Array(SPEED_STAGES.length * SPEED_BIN_COUNT);
    let leads = 0;
    for (const cell of doc.leads) {
      if (!keep(filter, cell.c, cell.p, cell.a)) continue;
      for (let i = 0; i < cell.h.length; i += 3) {
        hourLeads[cell.h[i]] += cell.h[i + 1];
        leads += cell.h[i + 1];
      }
      for (let i = 0; i < cell.s.length; i += 2) {
        const code = cell.s[i];
        const n = cell.s[i + 1];
        const stage = Math.floor(code / STAGE_SPAN);
        const rest = code % STAGE_SPAN;
        const at = stage * SPEED_BIN_COUNT + (rest % SPEED_BIN_COUNT);
        dayBins[at] += n;
        hourBins[Math.floor(rest / SPEED_BIN_COUNT)][at] += n;
      }
    }
    for (let i = 0; i < total.length; i++) total[i] += dayBins[i];
    byDay.push({ day, ...trendRow(leads, dayBins) });
  }
  const stages = SPEED_STAGES.map((stage, i) => ({
    stage,
    leads: countOf(total, i),
    p50Ms: quantileFromBins(total, 0.5, i * SPEED_BIN_COUNT),
    p90Ms: quantileFromBins(total, 0.9, i * SPEED_BIN_COUNT),
    p99Ms: quantileFromBins(total, 0.99, i * SPEED_BIN_COUNT),
  }));
  const histogram: SpeedHistogramRow[] = SPEED_DISPLAY_BINS.map((d, i) => ({
    bin: d.label,
    fromMs: d.fromMs,
    toMs: SPEED_DISPLAY_BINS[i + 1]?.fromMs ?? null,
    firstRing: 0,
    taken: 0,
    borrowerAnswered: 0,
  }));
  for (let bin = 0; bin < SPEED_BIN_COUNT; bin++) {
    const row = histogram[displayBinOf(bin)];
    row.firstRing += total[bin];
    row.taken += total[SPEED_BIN_COUNT + bin];
    row.borrowerAnswered += total[2 * SPEED_BIN_COUNT + bin];
  }
  const byHour = hourBins.map((bins, hour) => ({ hour, ...trendRow(hourLeads[hour], bins) }));
  return { stages, histogram, byDay, byHour };
}

// ---- outcomes ----

export interface OutcomeRow {
  outcome: LeadOutcome;
  leads: number;
  /** Of all leads of the period (0–1); null without leads. */
  share: number | null;
}

export type OutcomeDayRow = { day: LocalDay; leads: number; reached: number; contactRate: number | null } & Record<LeadOutcome, number>;

export interface OutcomeFigures {
  leads: number;
  /** Leads whose borrower answered the call made when the lead was taken. */
  reached: number;
  contactRate: number | null;
  outcomes: OutcomeRow[];
  byDay: OutcomeDayRow[];
}

export function outcomeFigures(days: readonly ReportDay[], filter: ReportFilter): OutcomeFigures {
  const totals = LEAD_OUTCOMES.map(() => 0);
  let reached = 0;
  const byDay: OutcomeDayRow[] = [];
  for (const { day, doc } of days) {
    const counts = LEAD_OUTCOMES.map(() => 0);
    let dayReached = 0;
    for (const cell of doc.leads) {
      if (!keep(filter, cell.c, cell.p, cell.a)) continue;
      cell.o.forEach((n, i) => (counts[i] += n));
      dayReached += cell.k;
    }
    const leads = counts.reduce((a, b) => a + b, 0);
    counts.forEach((n, i) => (totals[i] += n));
    reached += dayReached;
    byDay.push({ day, leads, reached: dayReached, contactRate: rate(dayReached, leads), ...(Object.fromEntries(LEAD_OUTCOMES.map((o, i) => [o, counts[i]])) as Record<LeadOutcome, number>) });
  }
  const leads = totals.reduce((a, b) => a + b, 0);
  return { leads, reached, contactRate: rate(reached, leads), outcomes: LEAD_OUTCOMES.map((outcome, i) => ({ outcome, leads: totals[i], share: rate(totals[i], leads) })), byDay };
}

// ---- agents ----

export interface AgentRow {
  agentId: string;
  name: string;
  /** Leads whose application names the agent (taken or assigned), accepted in the period. */
  leads: number;
  /** Ring All legs that rang the agent's phone. */
  offered: number;
  answered: number;
  won: number;
  /** Rang out: no answer, busy, rejected or failed (not: taken by someone else while ringing). */
  missed: number;
  answerRate: number | null;
  /** Mean ring time of the answered Ring All legs, in ms. */
  avgAnswerMs: number | null;
  inboundOffered: number;
  inboundAnswered: number;
  /** Click-to-call and dial-mode calls the agent placed. */
  outboundCalls: number;
  /** Talk time with borrowers: outbound borrower legs and answered inbound calls, in seconds. */
  talkSeconds: number;
}

const MISSED_RESULTS = new Set(['no_answer', 'busy', 'rejected', 'failed']);

/** One row per agent with activity in the period (`names` gives each id its name; others show their id). */
const splitKeys = new Map<string, [string, string]>();
/** A call cell's `purpose|result` key, split (memoised: there are a few dozen such keys). */
function purposeAndResult(key: string): [string, string] {
  let split = splitKeys.get(key);
  if (!split) {
    const bar = key.indexOf('|');
    splitKeys.set(key, (split = [key.slice(0, bar), key.slice(bar + 1)]));
  }
  return split;
}

export function agentFigures(days: readonly ReportDay[], filter: ReportFilter, names: ReadonlyMap<string, string>): AgentRow[] {
  const rows = new Map<string, AgentRow>();
  const row = (id: string): AgentRow => {
    let r = rows.get(id);
    if (!r) rows.set(id, (r = { agentId: id, name: names.get(id) ?? id, leads: 0, offered: 0, answered: 0, won: 0, missed: 0, answerRate: null, avgAnswerMs: null, inboundOffered: 0, inboundAnswered: 0, outboundCalls: 0, talkSeconds: 0 }));
    return r;
  };
  const answerMs = new Map<string, number>();
  for (const { doc } of days) {
    for (const cell of doc.leads) if (cell.a && keep(filter, cell.c, cell.p, cell.a)) row(cell.a).leads += cell.o.reduce((a, b) => a + b, 0);
    for (const cell of doc.calls) {
      if (!cell.a || !keep(filter, cell.c, cell.p, cell.a)) continue;
      const r = row(cell.a);
      for (const key in cell.m) {
        const [legs, answered, ms, talk] = cell.m[key];
        const [purpose, result] = purposeAndResult(key);
        switch (purpose) {
          case CALL_PURPOSES.ringAllAgent:
            r.offered += legs;
            r.answered += answered;
            if (result === 'won') r.won += legs;
            if (MISSED_RESULTS.has(result)) r.missed += legs - answered;
            answerMs.set(cell.a, (answerMs.get(cell.a) ?? 0) + ms);
            break;
          case CALL_PURPOSES.inboundAgent:
            r.inboundOffered += legs;
            r.inboundAnswered += answered;
            r.talkSeconds += talk;
            break;
          case CALL_PURPOSES.borrower:
            r.talkSeconds += talk;
            break;
          case CALL_PURPOSES.clickToCallAgent:
          case CALL_PURPOSES.dialModeOperator:
            r.outboundCalls += legs;
            break;
          default:
            break;
        }
      }
    }
  }
  for (const r of rows.values()) {
    r.answerRate = rate(r.answered, r.offered);
    r.avgAnswerMs = r.answered > 0 ? Math.round((answerMs.get(r.agentId) ?? 0) / r.answered) : null;
  }
  return [...rows.values()].sort((x, y) => x.name.localeCompare(y.name) || x.agentId.localeCompare(y.agentId));
}

// ---- Local Dial Presence ----

export interface CallerIdNumberRow {
  number: string;
  /** Why it was chosen: local_presence, agent_caller_id, org_number. */
  reason: string;
  calls: number;
  answered: number;
  answerRate: number | null;
  talkSeconds: number;
  /** The last `recentDays` days of the period, and the days before them. */
  recentCalls: number;
  recentAnswerRate: number | null;
  earlierCalls: number;
  earlierAnswerRate: number | null;
  /** Answered less than half as often lately as before (each side with at least `minCalls` calls): flagged as spam by carriers? */
  dropped: boolean;
}

export interface CallerIdAreaRow {
  number: string;
  reason: string;
  areaCode: string;
  calls: number;
  answered: number;
  answerRate: number | null;
}

export interface CallerIdDayRow {
  day: LocalDay;
  number: string;
  calls: number;
  answered: number;
  answerRate: number | null;
}

export interface LocalPresenceFigures {
  numbers: CallerIdNumberRow[];
  areaCodes: CallerIdAreaRow[];
  byDay: CallerIdDayRow[];
}

export const LDP_RECENT_DAYS = 7;
export const LDP_MIN_CALLS = 10;

export function localPresenceFigures(days: readonly ReportDay[], filter: ReportFilter): LocalPresenceFigures {
  const recentFrom = days.length > LDP_RECENT_DAYS ? days[days.length - LDP_RECENT_DAYS].day : null;
  // Keyed number → reason (→ area code) in nested maps: no key string is built per cell.
  const numbers = new Map<string, Map<string, NumberEntry>>();
  const byDay: CallerIdDayRow[] = [];
  for (const { day, doc } of days) {
    const recent = recentFrom !== null && day >= recentFrom;
    const today = new Map<string, CallerIdDayRow>();
    for (const l of doc.ldp) {
      if (!l.n || !keep(filter, l.c, l.p, l.a)) continue;
      let reasons = numbers.get(l.n);
      if (!reasons) numbers.set(l.n, (reasons = new Map()));
      let e = reasons.get(l.r);
      if (!e) {
        const row = { number: l.n, reason: l.r, calls: 0, answered: 0, answerRate: null, talkSeconds: 0, recentCalls: 0, recentAnswerRate: null, earlierCalls: 0, earlierAnswerRate: null, dropped: false };
        reasons.set(l.r, (e = { row, recentAnswered: 0, earlierAnswered: 0, areas: new Map() }));
      }
      const n = e.row;
      n.calls += l.calls;
      n.answered += l.answered;
      n.talkSeconds += l.talk;
      if (recent) {
        n.recentCalls += l.calls;
        e.recentAnswered += l.answered;
      } else {
        n.earlierCalls += l.calls;
        e.earlierAnswered += l.answered;
      }
      let a = e.areas.get(l.ac);
      if (!a) e.areas.set(l.ac, (a = { number: l.n, reason: l.r, areaCode: l.ac, calls: 0, answered: 0, answerRate: null }));
      a.calls += l.calls;
      a.answered += l.answered;
      let d = today.get(l.n);
      if (!d) today.set(l.n, (d = { day, number: l.n, calls: 0, answered: 0, answerRate: null }));
      d.calls += l.calls;
      d.answered += l.answered;
    }
    byDay.push(...today.values());
  }
  const entries = [...numbers.values()].flatMap((reasons) => [...reasons.values()]);
  for (const { row: n, recentAnswered, earlierAnswered } of entries) {
    n.answerRate = rate(n.answered, n.calls);
    n.recentAnswerRate = rate(recentAnswered, n.recentCalls);
    n.earlierAnswerRate = rate(earlierAnswered, n.earlierCalls);
    n.dropped = n.recentCalls >= LDP_MIN_CALLS && n.earlierCalls >= LDP_MIN_CALLS && recentAnswered / n.recentCalls < earlierAnswered / n.earlierCalls / 2;
  }
  const areas = entries.flatMap((e) => [...e.areas.values()]);
  for (const a of areas) a.answerRate = rate(a.answered, a.calls);
  for (const d of byDay) d.answerRate = rate(d.answered, d.calls);
  const byNumber = (x: { number: string }, y: { number: string }) => x.number.localeCompare(y.number);
  return {
    numbers: entries.map((e) => e.row).sort((x, y) => Number(y.dropped) - Number(x.dropped) || y.calls - x.calls || byNumber(x, y)),
    areaCodes: areas.sort((x, y) => byNumber(x, y) || x.areaCode.localeCompare(y.areaCode)),
    byDay: byDay.sort((x, y) => x.day.localeCompare(y.day) || byNumber(x, y)),
  };
}

interface NumberEntry {
  row: CallerIdNumberRow;
  recentAnswered: number;
  earlierAnswered: number;
  areas: Map<string, CallerIdAreaRow>;
}

// ---- inbound ----

/** Results of an inbound caller's leg that mean nobody of the desk took the call. */
export const INBOUND_MISSED_RESULTS = ['forwarded', 'voicemail', 'abandoned', 'failed'] as const;

/** Inbound calls (the caller's legs) of the period: answered by an agent, missed, all. */
export function inboundFigures(days: readonly ReportDay[], filter: ReportFilter): { calls: number; answered: number; missed: number } {
  const missed = new Set<string>(INBOUND_MISSED_RESULTS);
  const out = { calls: 0, answered: 0, missed: 0 };
  for (const { doc } of days) {
    for (const cell of doc.calls) {
      if (!keep(filter, cell.c, cell.p, cell.a)) continue;
      for (const [key, [legs]] of Object.entries(cell.m)) {
        const [purpose, result] = key.split('|');
        if (purpose !== CALL_PURPOSES.inboundCaller) continue;
        out.calls += legs;
        if (result === 'answered') out.answered += legs;
        if (missed.has(result)) out.missed += legs;
      }
    }
  }
  return out;
}
