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
 * last caller. Reads only; null when there is no org. The four reads run on one pooled connection
 * (InboundRepository.together); the last caller, only read for a local presence DID, after it.
 */
export async function lookUpInbound(deps: InboundLookupDeps, did: string, callerE164: string | null): Promise<InboundPick | null> {
  const didE164 = normalizeDid(did);
  const read = await deps.inbound.together(async (reads) => {
    const orgId = await reads.orgId();
    if (!orgId) return null;
    const lead = callerE164 ? await reads.matchLead(orgId, callerE164) : null;
    const route: InboundRoute = routeInbound({ callerE164, lead: lead ? { propertyState: lead.state } : null });
    // The query applies the licence; eligibleAgents re-checks the same rules on the few rows it returns.
    const licenceState = route.licensing === 'state' ? route.state : null;
    const available = await reads.available(orgId, licenceState, deps.maxAgents);
    const didIsLocalPresence = !!didE164 && (await reads.isLocalPresenceNumber(orgId, didE164));
    return { orgId, lead, route, licenceState, available, didIsLocalPresence };
  });
  if (!read) return null;
  const { orgId, lead, route, licenceState, didIsLocalPresence } = read;
  // A callback to a local presence number rings only the borrower's last caller, when available.
  const callback = didIsLocalPresence ? await callbackAgent(deps, orgId, didE164!, callerE164) : null;
  const picked = callback ? [callback] : eligibleAgents(read.available.map(candidate), { loanPurposes: [] }, { propertyState: licenceState }, deps.maxAgents);
  return { orgId, lead, picked, basis: callback ? 'callback to the last caller' : route.licensing === 'state' ? `state ${route.state} (${route.basis})` : route.basis };
}

/** The borrower's last caller when they are available, for a call to a local presence number (PRODUCT.md §4). */
async function callbackAgent(deps: InboundLookupDeps, orgId: string, didE164: string, callerE164: string | null): Promise<PickedAgent | null> {
  const last = callerE164 ? await deps.callbacks.lastCaller(orgId, callerE164) : null;
  const agent = last ? toEligibilityAgent(last, agentEndpoint(last) !== null) : null;
  const decision = routeCallback({ didIsLocalPresence: true, callerE164, lastCaller: agent });
  if (decision.kind === 'last_caller') return { ...agent!, user: last! };
  deps.log(`callback to ${didE164} from ${callerE164 ?? 'anonymous'}: ${decision.reason}; normal inbound routing`);
  return null;
}

/**
 * The DIDs' E.164 forms: an installation's calls come in on a handful of numbers, so each is
 * parsed (libphonenumber) once. At most DID_CACHE_MAX of them; a number that is not one (a
 * carrier's odd dialled string) is parsed each time.
 */
const DID_CACHE_MAX = 1000;
const didCache = new Map<string, string>();

function normalizeDid(did: string): string | null {
  const known = didCache.get(did);
  if (known) return known;
  const e164 = normalizePhone(did) ?? null;
  if (e164 && didCache.size < DID_CACHE_MAX) didCache.set(did, e164);
  return e164;
}
