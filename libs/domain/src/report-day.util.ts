// One calendar day of an org, summed for the reports (docs/reports.md): what happened to the leads
// accepted that day, the call legs started that day, and the Local Dial Presence calls. A day is
// built from its raw rows (facts) and stored; a report adds up the days of its period. Pure: the
// time zone and every instant are passed in.
import { FAILURE_REASONS } from './lead.types';
import type { ProspectStatus } from './lead.types';
import { areaCodeOf } from './phone.util';
import { SPEED_BIN_COUNT, speedBinOf } from './speed-bins.util';

/** Bump when the shape or meaning of a stored day changes: every day is then built again. */
export const REPORT_DAY_FORMAT = 1;

/** What became of a lead, in the order of `LeadCell.o`. */
export const LEAD_OUTCOMES = ['ring_all', 'distribute_all', 'manual', 'default_agent', 'no_available_agents', 'no_agents_answered', 'no_agents_clicked', 'fatal_error', 'open'] as const;
export type LeadOutcome = (typeof LEAD_OUTCOMES)[number];

/** The steps of speed to lead, each measured from the moment the lead was accepted. */
export const SPEED_STAGES = ['first_ring', 'taken', 'borrower_answered'] as const;
export type SpeedStage = (typeof SPEED_STAGES)[number];

/** How an application came to be (the application's `via`). */
export type AssignedVia = 'ring_all' | 'distribute_all' | 'manual' | 'default_agent';

// Call-activity purposes the reports read (the writers: ring all, inbound, click-to-call, dial mode).
export const CALL_PURPOSES = {
  ringAllAgent: 'ring_all_agent',
  borrower: 'borrower',
  inboundCaller: 'inbound',
  inboundAgent: 'inbound_agent',
  clickToCallAgent: 'click_to_call_agent',
  dialModeOperator: 'dial_mode_operator',
} as const;

/** One lead, as the reports need it. Instants are epoch milliseconds. */
export interface LeadFact {
  createdAt: number;
  campaignId: string;
  leadProvider: string | null;
  status: ProspectStatus;
  failureReason: string | null;
  /** The application's, when the lead was taken or assigned. */
  via: AssignedVia | null;
  agentId: string | null;
  assignedAt: number | null;
  firstRingAt: number | null;
  takenAt: number | null;
  borrowerAnsweredAt: number | null;
}

/** One call leg, with the campaign and lead provider of its lead (null when it has none). */
export interface CallFact {
  startedAt: number;
  answeredAt: number | null;
  userId: string | null;
  purpose: string;
  direction: string;
  result: string;
  talkSeconds: number | null;
  fromNumber: string | null;
  toNumber: string | null;
  callerIdReason: string | null;
  campaignId: string | null;
  leadProvider: string | null;
}

/**
 * Leads of one campaign, lead provider and agent (the one who took or was given it; '' for none).
 * `o`: counts per LEAD_OUTCOMES; `k`: borrower reached; `h`: [hour, leads, reached] triples;
 * `s`: [code, count] pairs, code = (stage · 24 + hour) · SPEED_BIN_COUNT + bin.
 */
export interface LeadCell {
  c: string;
  p: string;
  a: string;
  o: number[];
  k: number;
  h: number[];
  s: number[];
}

/** Per purpose and result of the legs of one user (or '' for none), campaign and provider: [legs, answered, ms from start to answer, talk seconds]. */
export interface CallCell {
  a: string;
  c: string;
  p: string;
  m: Record<string, [number, number, number, number]>;
}

/** Outbound borrower legs per caller ID number (with why it was chosen) and the borrower's area code. */
export interface LdpCell {
  n: string;
  r: string;
  ac: string;
  c: string;
  p: string;
  a: string;
  calls: number;
  answered: number;
  talk: number;
}

export interface ReportDayDoc {
  leads: LeadCell[];
  calls: CallCell[];
  ldp: LdpCell[];
}

const REASON_OUTCOME: Record<string, LeadOutcome> = {
  [FAILURE_REASONS.noAvailableAgents]: 'no_available_agents',
  [FAILURE_REASONS.noAgentsAnswered]: 'no_agents_answered',
  [FAILURE_REASONS.noAgentsClicked]: 'no_agents_clicked',
  [FAILURE_REASONS.fatalError]: 'fatal_error',
};

/** The outcome of a lead: how it was taken, why it failed, or still open (new, distributing). */
export function leadOutcomeOf(f: Pick<LeadFact, 'status' | 'via' | 'failureReason'>): LeadOutcome {
  if (f.status === 'assigned' && f.via) return f.via;
  if (f.status === 'exception') return REASON_OUTCOME[f.failureReason ?? ''] ?? 'fatal_error';
  return 'open';
}

/** The failure reason text of an exception outcome (null for the others). */
export function failureReasonOf(outcome: LeadOutcome): string | null {
  return Object.entries(REASON_OUTCOME).find(([, o]) => o === outcome)?.[0] ?? null;
}

/**
 * Delay from acceptance to each stage, or null when the lead never reached it. "Taken" is the
 * press of 1 (ring all) or the click (Distribute All); assignments by hand or to the default agent
 * are no speed of the desk and are left out.
 */
export function stageDelays(f: LeadFact): Record<SpeedStage, number | null> {
  const taken = f.takenAt ?? (f.via === 'ring_all' || f.via === 'distribute_all' ? f.assignedAt : null);
  const since = (at: number | null) => (at === null ? null : Math.max(0, at - f.createdAt));
  return { first_ring: since(f.firstRingAt), taken: since(taken), borrower_answered: since(f.borrowerAnsweredAt) };
}

export function speedCode(stage: number, hour: number, bin: number): number {
  return (stage * 24 + hour) * SPEED_BIN_COUNT + bin;
}

/** Sums one day's facts into its stored form; `hourOf` gives a lead's hour of the day (hourOfDayIn(org's zone)). */
export function buildReportDay(hourOf: (at: number) => number, leads: readonly LeadFact[], calls: readonly CallFact[]): ReportDayDoc {
  // Built in maps, stored as flat number lists (compact to store and quick to add up).
  const leadCells = new Map<string, { cell: LeadCell; hours: Map<number, [number, number]>; speed: Map<number, number> }>();
  for (const f of leads) {
    const c = f.campaignId;
    const p = f.leadProvider ?? '';
    const a = f.agentId ?? '';
    const key = `${c}\u0000${p}\u0000${a}`;
    let entry = leadCells.get(key);
    if (!entry) leadCells.set(key, (entry = { cell: { c, p, a, o: LEAD_OUTCOMES.map(() => 0), k: 0, h: [], s: [] }, hours: new Map(), speed: new Map() }));
    entry.cell.o[LEAD_OUTCOMES.indexOf(leadOutcomeOf(f))]++;
    const reached = f.borrowerAnsweredAt !== null ? 1 : 0;
    entry.cell.k += reached;
    const hour = hourOf(f.createdAt);
    const h = entry.hours.get(hour) ?? [0, 0];
    entry.hours.set(hour, [h[0] + 1, h[1] + reached]);
    const delays = stageDelays(f);
    SPEED_STAGES.forEach((stage, i) => {
      const ms = delays[stage];
      if (ms === null) return;
      const code = speedCode(i, hour, speedBinOf(ms));
      entry.speed.set(code, (entry.speed.get(code) ?? 0) + 1);
    });
  }
  const leadList = [...leadCells.values()].map(({ cell, hours, speed }) => ({
    ...cell,
    h: [...hours].sort((x, y) => x[0] - y[0]).flatMap(([hour, [n, k]]) => [hour, n, k]),
    s: [...speed].sort((x, y) => x[0] - y[0]).flat(),
  }));

  const callCells = new Map<string, CallCell>();
  const ldpCells = new Map<string, LdpCell>();
  for (const f of calls) {
    const a = f.userId ?? '';
    const c = f.campaignId ?? '';
    const p = f.leadProvider ?? '';
    const key = `${a}\u0000${c}\u0000${p}`;
    let cell = callCells.get(key);
    if (!cell) callCells.set(key, (cell = { a, c, p, m: {} }));
    const m = (cell.m[`${f.purpose}|${f.result}`] ??= [0, 0, 0, 0]);
    m[0]++;
    if (f.answeredAt !== null) {
      m[1]++;
      m[2] += Math.max(0, f.answeredAt - f.startedAt);
    }
    m[3] += f.talkSeconds ?? 0;

    if (f.direction === 'outbound' && f.purpose === CALL_PURPOSES.borrower) {
      const n = f.fromNumber ?? '';
      const r = f.callerIdReason ?? '';
      const ac = (f.toNumber && areaCodeOf(f.toNumber)) || '';
      const lkey = `${n}\u0000${r}\u0000${ac}\u0000${key}`;
      let l = ldpCells.get(lkey);
      if (!l) ldpCells.set(lkey, (l = { n, r, ac, c, p, a, calls: 0, answered: 0, talk: 0 }));
      l.calls++;
      if (f.answeredAt !== null) l.answered++;
      l.talk += f.talkSeconds ?? 0;
    }
  }
  return { leads: leadList, calls: [...callCells.values()], ldp: [...ldpCells.values()] };
}
