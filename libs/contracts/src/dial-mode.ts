// Dial mode payloads shared by the REST API, the socket.io events and the dashboard
// (docs/dial-mode.md has examples). Times are ISO 8601 UTC strings.
import type { CallMode, DialButton, DialSubState } from '@leadline/domain';

export interface DialLeadView {
  entryId: string;
  prospectId: string;
  campaign: { id: string; name: string };
  mode: CallMode;
  subState: DialSubState;
  /** Unsuccessful attempts so far, and the mode's maximum. */
  attempts: number;
  maxAttempts: number;
  priority: number;
  dueAt: string;
  /** dueAt + the mode's time standard (the queue order after priority). */
  dialByAt: string;
  /** When the lead may be dialled: the first moment ≥ dueAt inside its calling window (null: never, the zones' windows don't overlap). */
  callableAt: string | null;
  lead: { name: string | null; phone: string; propertyState: string | null; leadStatusId: string | null };
  /** The borrower's time zone(s) and where they came from (property_state, area_code, unknown). */
  timeZones: string[];
  timeZoneBasis: string;
  /** The result buttons of the lead's mode (basic + enabled extras). */
  buttons: DialButton[];
  /** The operator the lead is handed to right now. */
  lockedBy: { id: string; name: string } | null;
  /** The number is on the org's do-not-call list: it is never dialled. */
  doNotCall: boolean;
  /** The state calling rule (or campaign window) that holds the lead back until callableAt, if one does. */
  callingRule: CallingRuleHoldView | null;
  lastResult: string | null;
  lastDialedAt: string | null;
  enteredAt: string;
}

/** Why a call may not go now, and when it may (docs/compliance.md). */
export interface CallingRuleHoldView {
  /** state_hours, state_day (Sunday, holiday), campaign_hours, max_calls. */
  code: string;
  /** The state whose rule it is (null: the campaign's window, or an unknown state). */
  region: string | null;
  law: string;
  reason: string;
  nextAllowedAt: string | null;
}

/** A due lead that a calling rule kept from being handed out. */
export interface DialRefusalView extends CallingRuleHoldView {
  entryId: string;
  prospectId: string;
  phone: string;
}

export interface DialCallView {
  callId: string;
  /** The operator's phone is ringing; the lead is dialled when the operator answers. */
  status: 'ringing_operator';
  to: string;
  callerId: { number: string | null; reason: string };
}

export interface DialNextView {
  /** The lead handed to you (null: nothing you may dial is due). */
  lead: DialLeadView | null;
  call: DialCallView | null;
  /**
   * The lead was handed to you but not dialled: the org's dialling policy refuses its number (the
   * reason). Record a result for it (or release it) as for any lead.
   */
  dialRefused: string | null;
  /** With no lead: when the next one of your queues becomes callable, if any. */
  nextCallableAt: string | null;
  /** Present when calling rules held back due leads on the way (each with its rule and next time). */
  refused?: DialRefusalView[];
}

export interface DialResultView {
  entryId: string;
  prospectId: string;
  button: DialButton;
  /** requeued: back in its queue (subState, dueAt); left_queue: out of dial mode (reason). */
  effect: 'requeued' | 'left_queue';
  subState: DialSubState | null;
  dueAt: string | null;
  callableAt: string | null;
  attempts: number;
  reason: 'success' | 'max_attempts' | 'wrong_number' | 'do_not_call' | null;
  /** The lead's status afterwards. */
  leadStatusId: string | null;
  /** The lead entered another call mode through its new status. */
  movedTo: { mode: CallMode } | null;
  /** operator: a button; asterisk: detected busy / no answer / failed on a call that never connected. */
  by: 'operator' | 'asterisk';
}

/** The dial-mode call's progress, to the operator it belongs to. */
export interface DialCallNotice {
  callId: string;
  entryId: string;
  prospectId: string;
  /** connected, borrower_no_answer, agent_no_answer, agent_hung_up, failed; `ended` once both legs are gone. */
  status: 'connected' | 'borrower_no_answer' | 'agent_no_answer' | 'agent_hung_up' | 'failed' | 'ended';
  /** On `ended`: the lead leg's result (busy, no_answer, completed, ...), null when it was never dialled. */
  leadResult?: string | null;
}

/** The lead the operator held went back to its queue: no activity for the configured time. */
export interface DialHoldExpiredNotice {
  entryId: string;
  prospectId: string;
  /** DIAL_MODE_HOLD_EXPIRY_MINUTES. */
  idleMinutes: number;
}

export type DialAck<T> = { ok: true; data: T } | { ok: false; code: string; message: string };
