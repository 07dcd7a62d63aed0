// An agent's presence (PRODUCT.md §6), derived from four facts. Pure: `now` is passed in.

export type PresenceState = 'available' | 'unavailable' | 'ringing';
export type PresenceReason = 'available' | 'logged_out' | 'calls_off' | 'on_call' | 'inbound_ringing';

export interface PresenceInputs {
  loggedIn: boolean;
  callsOn: boolean;
  onCall: boolean;
  /** An inbound call is ringing this agent right now. */
  inboundRinging: boolean;
}

export interface DerivedPresence {
  state: PresenceState;
  color: 'green' | 'red';
  blink: boolean;
  reason: PresenceReason;
}

export interface PresenceSnapshot extends DerivedPresence {
  since: Date;
}

export function derivePresence(i: PresenceInputs): DerivedPresence {
  // Red wins: logged out, calls off, or on a call — in that order of explanation.
  if (!i.loggedIn) return { state: 'unavailable', color: 'red', blink: false, reason: 'logged_out' };
  if (!i.callsOn) return { state: 'unavailable', color: 'red', blink: false, reason: 'calls_off' };
  if (i.onCall) return { state: 'unavailable', color: 'red', blink: false, reason: 'on_call' };
  if (i.inboundRinging) return { state: 'ringing', color: 'red', blink: true, reason: 'inbound_ringing' };
  return { state: 'available', color: 'green', blink: false, reason: 'available' };
}

/**
 * The next snapshot: `since` moves only when the visible presence (state, colour, blink) changes,
 * so a change of reason between two reds doesn't look like a new state. `changed` says whether to push.
 */
export function nextPresence(previous: PresenceSnapshot | undefined, inputs: PresenceInputs, now: Date): { snapshot: PresenceSnapshot; changed: boolean } {
  const derived = derivePresence(inputs);
  if (!previous) return { snapshot: { ...derived, since: now }, changed: true };
  const sameLook = previous.state === derived.state && previous.color === derived.color && previous.blink === derived.blink;
  if (sameLook && previous.reason === derived.reason) return { snapshot: previous, changed: false };
  return { snapshot: { ...derived, since: sameLook ? previous.since : now }, changed: true };
}
