// Turns what the phones logged into per-round latencies.
import { percentile } from '../stats';
import type { Role, SipTraces } from './phones';

export type TargetName = 'baseline' | 'leadline';

export interface Member {
  /** User part of the INVITE's request URI: Leadline's sipUsername, or the baseline's endpoint id. */
  user: string;
  role: Role;
  /** Leadline user id (Leadline only). */
  agentId?: string;
}

export interface RoundRecord {
  target: TargetName;
  kind: 'warm-up' | 'sequential' | 'concurrent';
  index: number;
  members: Member[];
  borrowerPhone: string;
  /** Window in which this round's SIP traffic is looked for (wall-clock ms). */
  sentAt: number;
  endedAt: number;
  /** Leadline: the Action Post answer reached the bench. Baseline: the baseline started the round. */
  acceptedAt: number;
  /** 'assigned' / 'exception: <reason>' (Leadline), 'taken' / 'no_answer' / … (baseline). */
  outcome: string;
  winnerUser?: string;
  prospectId?: string;
  /** Leadline only, from call activity (ms resolution): when the agent legs' and the borrower leg's rows were opened. */
  legRows?: { first: number; last: number; borrower?: number };
  /** When the bench first asked about this round (wall-clock ms): no measured moment should come after it. */
  firstPollAt?: number;
  /** Baseline only: when it handled the winning ChannelDtmfReceived (checks the digit timing). */
  digitHandledAt?: number;
  notes: string[];
}

export interface RoundMetrics {
  invites: number;
  /** From acceptedAt. */
  firstInviteMs?: number;
  allInvitesMs?: number;
  /** Wall-clock ms the winning digit counts as received (DTMF pcap start + end-of-event offset). */
  digitAt?: number;
  borrowerInvites: number;
  /** From digitAt. */
  borrowerInviteMs?: number;
  /** Ringing losers that got an INVITE / a CANCEL. */
  ringingLosers: number;
  cancels: number;
  /** From digitAt to the last ringing loser's CANCEL. */
  lastCancelMs?: number;
  /** Wall-clock ms of the round's last measured SIP moment (an agent INVITE, the borrower's INVITE, a CANCEL). */
  lastMomentAt?: number;
}

const digits = (phone: string) => phone.replace(/\D/g, '');

export function measureRound(r: RoundRecord, t: SipTraces, dtmfEndMs: number): RoundMetrics {
  const inWindow = (at: number) => at >= r.sentAt - 2 && at <= r.endedAt + 2;
  const callIdOf = new Map<string, string>();
  const inviteTimes: number[] = [];
  for (const m of r.members) {
    const invite = t.invites[m.role].find((e) => e.requestUser === m.user && inWindow(e.at));
    if (!invite) continue;
    callIdOf.set(m.user, invite.callId);
    inviteTimes.push(invite.at);
  }
  const metrics: RoundMetrics = { invites: inviteTimes.length, borrowerInvites: 0, ringingLosers: 0, cancels: 0 };
  if (inviteTimes.length) {
    metrics.firstInviteMs = Math.min(...inviteTimes) - r.acceptedAt;
    if (inviteTimes.length === r.members.length) metrics.allInvitesMs = Math.max(...inviteTimes) - r.acceptedAt;
  }
  const winnerCall = r.winnerUser ? callIdOf.get(r.winnerUser) : undefined;
  const dtmfStart = winnerCall ? t.dtmfStart.get(winnerCall) : undefined;
  if (dtmfStart !== undefined) metrics.digitAt = dtmfStart + dtmfEndMs;

  const borrower = t.invites.borrower.filter((e) => e.requestUser !== undefined && digits(e.requestUser) === digits(r.borrowerPhone) && inWindow(e.at));
  metrics.borrowerInvites = borrower.length;
  if (metrics.digitAt !== undefined && borrower.length) metrics.borrowerInviteMs = borrower[0].at - metrics.digitAt;

  const cancelTimes: number[] = [];
  for (const m of r.members) {
    if (m.role !== 'ring' || m.user === r.winnerUser) continue;
    const callId = callIdOf.get(m.user);
    if (!callId) continue;
    metrics.ringingLosers++;
    const cancel = t.cancels.get(callId);
    if (cancel) cancelTimes.push(cancel.at);
  }
  metrics.cancels = cancelTimes.length;
  const moments = [...inviteTimes, ...borrower.slice(0, 1).map((e) => e.at), ...cancelTimes];
  if (moments.length) metrics.lastMomentAt = Math.max(...moments);
  if (metrics.digitAt !== undefined && cancelTimes.length && cancelTimes.length === metrics.ringingLosers) metrics.lastCancelMs = Math.max(...cancelTimes) - metrics.digitAt;
  return metrics;
}

export interface Spread {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

export function spread(values: (number | undefined)[]): Spread {
  const v = values.filter((x): x is number => x !== undefined && Number.isFinite(x));
  return { n: v.length, p50: percentile(v, 0.5), p99: percentile(v, 0.99), max: v.length ? Math.max(...v) : Number.NaN };
}
