// Callbacks to Local Dial Presence numbers (PRODUCT.md §4): a borrower calling one of the org's
// local presence numbers is connected to the last user who called that borrower, at that user's
// work phone. When that user cannot take it now, or nobody ever called the borrower, the call
// takes normal inbound routing (§5). Pure: the caller looks the facts up.

export interface CallbackAgent {
  id: string;
  loggedIn: boolean;
  callsOn: boolean;
  onCall: boolean;
  /** Has a work phone Leadline can ring. */
  reachable: boolean;
}

export interface CallbackInput {
  /** The dialled number is one of the org's local presence numbers. */
  didIsLocalPresence: boolean;
  /** The caller's number in E.164; null when blocked. */
  callerE164: string | null;
  /** The user of the most recent outbound call to the caller's number, if any. */
  lastCaller: CallbackAgent | null;
}

export type CallbackDecision =
  | { kind: 'last_caller'; agentId: string }
  | { kind: 'inbound_routing'; reason: 'not_local_presence' | 'anonymous_caller' | 'never_called' | 'last_caller_unavailable' };

export function routeCallback(input: CallbackInput): CallbackDecision {
  if (!input.didIsLocalPresence) return { kind: 'inbound_routing', reason: 'not_local_presence' };
  if (!input.callerE164) return { kind: 'inbound_routing', reason: 'anonymous_caller' };
  const agent = input.lastCaller;
  if (!agent) return { kind: 'inbound_routing', reason: 'never_called' };
  // Available exactly as everywhere else (PRODUCT.md §2), plus a phone we can ring.
  if (!agent.loggedIn || !agent.callsOn || agent.onCall || !agent.reachable) return { kind: 'inbound_routing', reason: 'last_caller_unavailable' };
  return { kind: 'last_caller', agentId: agent.id };
}
