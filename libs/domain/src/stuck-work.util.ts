/** A lead not yet settled, as the recovery sweep sees it. */
export interface UnsettledLead {
  status: 'new' | 'distributing';
  createdAt: Date;
  distributionStartedAt: Date | null;
  /** How long the campaign's round rings (its distribution's natural end). */
  ringTimeoutSeconds: number;
  /** A Distribute All offer of the lead is open: it lives in the database and expires there. */
  offerOpen: boolean;
}

/**
 * How long a lead may stay `new` before the recovery sweep files it: two sweeps, and at least three
 * pickups. The pickup takes leads left `new` only within this window, older ones are the sweep's
 * (so a campaign switched from `none` does not ring its old leads).
 */
export function newLeadAllowanceMs(graceMs: number, pickupMs: number): number {
  return Math.max(graceMs, 3 * pickupMs);
}

/**
 * Whether a lead is stuck: its distribution (or the handling of its failure) threw, and nothing
 * will ever move it on. A lead is `new` only for the moment between its acceptance and the start
 * of its distribution, and `distributing` at most for its round's ring time; `graceMs` (two sweeps)
 * is added so a slow but live distribution is never taken for a stuck one. A lead left `new` by
 * an instance that was stopping is distributed by the pickup of every instance (every `pickupMs`):
 * it is stuck only once two pickups had their chance too.
 */
export function isStuckLead(lead: UnsettledLead, now: Date, graceMs: number, pickupMs = 0): boolean {
  if (lead.offerOpen) return false;
  const since = lead.status === 'new' ? lead.createdAt : (lead.distributionStartedAt ?? lead.createdAt);
  const allowedMs = lead.status === 'new' ? newLeadAllowanceMs(graceMs, pickupMs) : lead.ringTimeoutSeconds * 1000 + graceMs;
  return now.getTime() - since.getTime() > allowedMs;
}

/** An agent marked on a call, as one sweep saw it. */
export interface AgentReservation {
  agentId: string;
  since: Date;
}

/**
 * Agents to free: reserved with no open call leg at this sweep AND at the previous one, under the
 * same reservation (a reservation's legs are written right after it; two sweeps apart, a
 * reservation without a leg belongs to a call that no longer exists).
 */
export function leftoverReservations(previous: AgentReservation[], current: AgentReservation[]): AgentReservation[] {
  const seen = new Set(previous.map((r) => `${r.agentId}@${r.since.getTime()}`));
  return current.filter((r) => seen.has(`${r.agentId}@${r.since.getTime()}`));
}
