// Who may be offered a lead (PRODUCT.md §2). Pure: the caller loads agents and passes `now`-free data.

export interface EligibilityLead {
  propertyState?: string | null;
  loanPurpose?: string | null;
  loanAmount?: number | null;
  leadProvider?: string | null;
}

export interface EligibilityFilters {
  states?: readonly string[];
  loanPurposes: readonly string[];
  loanAmountMin?: number | null;
  loanAmountMax?: number | null;
  leadProviders?: readonly string[];
}

export interface EligibilityAgent {
  id: string;
  loggedIn: boolean;
  callsOn: boolean;
  onCall: boolean;
  stateLicences: readonly string[];
  filters: EligibilityFilters;
  /** null = never called: counts as the longest idle. */
  lastCallEndedAt: Date | null;
  /** Whether the agent has a work phone Leadline can ring. */
  reachable: boolean;
}

export type IneligibleReason = 'unavailable' | 'unreachable' | 'group_filter' | 'agent_filter' | 'no_licence';

// An empty filter list matches everything; a non-empty one needs the lead to carry a listed value.
function listMatches(list: readonly string[] | undefined, value: string | null | undefined): boolean {
  return !list || list.length === 0 || (!!value && list.includes(value));
}

function rangeMatches(min: number | null | undefined, max: number | null | undefined, value: number | null | undefined): boolean {
  if (min == null && max == null) return true;
  if (value == null) return false;
  return (min == null || value >= min) && (max == null || value <= max);
}

export function filtersMatch(filters: EligibilityFilters, lead: EligibilityLead): boolean {
  return (
    listMatches(filters.states, lead.propertyState) &&
    listMatches(filters.loanPurposes, lead.loanPurpose) &&
    rangeMatches(filters.loanAmountMin, filters.loanAmountMax, lead.loanAmount) &&
    listMatches(filters.leadProviders, lead.leadProvider)
  );
}

/** Why an agent is not eligible, or null when they are. */
export function ineligibility(agent: EligibilityAgent, group: EligibilityFilters, lead: EligibilityLead): IneligibleReason | null {
  if (!agent.loggedIn || !agent.callsOn || agent.onCall) return 'unavailable';
  if (!agent.reachable) return 'unreachable';
  if (!filtersMatch(group, lead)) return 'group_filter';
  if (!filtersMatch(agent.filters, lead)) return 'agent_filter';
  if (lead.propertyState && !agent.stateLicences.includes(lead.propertyState)) return 'no_licence';
  return null;
}

/** Eligible agents, longest idle first (never-called first, then oldest last call; ties by id), at most `limit`. */
export function eligibleAgents<A extends EligibilityAgent>(agents: A[], group: EligibilityFilters, lead: EligibilityLead, limit: number): A[] {
  return agents
    .filter((a) => ineligibility(a, group, lead) === null)
    .sort((a, b) => idleKey(a) - idleKey(b) || a.id.localeCompare(b.id))
    .slice(0, limit);
}

const idleKey = (a: EligibilityAgent) => (a.lastCallEndedAt ? a.lastCallEndedAt.getTime() : Number.NEGATIVE_INFINITY);
