import { eligibleAgents, EligibilityAgent, InboundRoute, normalizePhone, routeCallback, routeInbound } from '@leadline/domain';
import { toEligibilityAgent } from '../users/eligibility.mapper';
import type { CallbackRepository } from '../local-presence/callback.repository';
import { agentEndpoint } from '../telephony/agent-endpoint';
import type { InboundAgent, InboundRepository, MatchedLead } from './inbound.repository';

export type PickedAgent = EligibilityAgent & { user: InboundAgent };

export interface InboundLookupDeps {
  inbound: InboundRepository;
  callbacks: CallbackRepository;
  /** INBOUND_MAX_AGENTS: how many agents a call rings at most. */
  maxAgents: number;
  log: (line: string) => void;
}

export interface InboundPick {
  orgId: string;
  lead: MatchedLead | null;
  /** The agents to ring, in order (not reserved yet). */
  picked: PickedAgent[];
  /** Why these agents, for the log. */
  basis: string;
}

/** The eligibility view of an inbound candidate: licensing is the whole filter (no campaign, no group filters). */
function candidate(u: InboundAgent): PickedAgent {
  return { id: u.id, loggedIn: u.loggedIn, callsOn: u.callsOn, onCall: !!u.onCallSince, stateLicences: u.stateLicences, filters: { loanPurposes: [] }, lastCallEndedAt: u.lastCallEndedAt ?? null, reachable: agentEndpoint(u) !== null, user: u };
}

/**
 * The lookup of an inbound call, as InboundService runs it on every call (and bench/inbound
 * measures it): the org, the caller's lead, PRODUCT.md §5's licensing rule, the available agents
 * licensed for the state, and a callback to a local presence number ringing only the borrower's
 * last caller. Reads only; null when there is no org.
 */
export async function lookUpInbound(deps: InboundLookupDeps, did: string, callerE164: string | null): Promise<InboundPick | null> {
  const orgId = await deps.inbound.orgId();
  if (!orgId) return null;
  const lead = callerE164 ? await deps.inbound.matchLead(orgId, callerE164) : null;
  const route: InboundRoute = routeInbound({ callerE164, lead: lead ? { propertyState: lead.state } : null });
  // The query applies the licence; eligibleAgents re-checks the same rules on the few rows it returns.
  const licenceState = route.licensing === 'state' ? route.state : null;
  const candidates = (await deps.inbound.available(orgId, licenceState, deps.maxAgents)).map(candidate);
  // A callback to a local presence number rings only the borrower's last caller, when available.
  const callback = await callbackAgent(deps, orgId, did, callerE164);
  const picked = callback ? [callback] : eligibleAgents(candidates, { loanPurposes: [] }, { propertyState: licenceState }, deps.maxAgents);
  return { orgId, lead, picked, basis: callback ? 'callback to the last caller' : route.licensing === 'state' ? `state ${route.state} (${route.basis})` : route.basis };
}

/** The borrower's last caller when the DID is a local presence number and they are available (PRODUCT.md §4). */
async function callbackAgent(deps: InboundLookupDeps, orgId: string, did: string, callerE164: string | null): Promise<PickedAgent | null> {
  const didE164 = normalizePhone(did);
  const didIsLocalPresence = !!didE164 && (await deps.inbound.isLocalPresenceNumber(orgId, didE164));
  const last = didIsLocalPresence && callerE164 ? await deps.callbacks.lastCaller(orgId, callerE164) : null;
  const agent = last ? toEligibilityAgent(last, agentEndpoint(last) !== null) : null;
  const decision = routeCallback({ didIsLocalPresence, callerE164, lastCaller: agent });
  if (decision.kind === 'last_caller') return { ...agent!, user: last! };
  if (didIsLocalPresence) deps.log(`callback to ${didE164} from ${callerE164 ?? 'anonymous'}: ${decision.reason}; normal inbound routing`);
  return null;
}
