// Dial mode (PRODUCT.md §7, docs/dial-mode.md): follow-up dialing queues per campaign and call
// mode. Pure rules: queue order, what a result does to a queued lead. No clock: `now` is passed in.

export const CALL_MODES = ['new', 'before_buyout', 're_approve', 'random'] as const;
export type CallMode = (typeof CALL_MODES)[number];

export const DIAL_SUB_STATES = ['unprocessed', 'no_answer', 'callback_planned'] as const;
export type DialSubState = (typeof DIAL_SUB_STATES)[number];

/** Buttons every mode has. */
export const BASIC_DIAL_BUTTONS = ['success', 'callback', 'no_answer', 'busy', 'dropped'] as const;
/** The two buttons a mode may enable on top of the basic ones. */
export const EXTRA_DIAL_BUTTONS = ['wrong_number', 'do_not_call'] as const;
export type BasicDialButton = (typeof BASIC_DIAL_BUTTONS)[number];
export type ExtraDialButton = (typeof EXTRA_DIAL_BUTTONS)[number];
export type DialButton = BasicDialButton | ExtraDialButton;
export const DIAL_BUTTONS: readonly DialButton[] = [...BASIC_DIAL_BUTTONS, ...EXTRA_DIAL_BUTTONS];

/** Settings of one campaign × call mode. */
export interface DialModeSettings {
  /** New (unprocessed) leads of this campaign and mode outrank every other campaign's leads. */
  highPriority: boolean;
  /** Minutes operators have to dial a lead once it is due; the queue orders by due + this. */
  timeStandardMinutes: number;
  /** A no answer / busy / dropped call is tried again this many minutes later. */
  retryDelayMinutes: number;
  /** Unsuccessful attempts after which the lead leaves the queue for `exhaustedStatusId`. */
  maxAttempts: number;
  /** The lead status a lead moves to once its attempts run out (null: it keeps its status). */
  exhaustedStatusId: string | null;
  extraButtons: ExtraDialButton[];
}

export const DEFAULT_DIAL_MODE_SETTINGS: DialModeSettings = {
  highPriority: false,
  timeStandardMinutes: 5,
  retryDelayMinutes: 60,
  maxAttempts: 5,
  exhaustedStatusId: null,
  extraButtons: [],
};

const MINUTE = 60_000;

/** 1 for a high-priority mode's new leads (they outrank every other campaign's leads), else 0. */
export function dialPriority(input: { highPriority: boolean; subState: DialSubState }): number {
  return input.highPriority && input.subState === 'unprocessed' ? 1 : 0;
}

/** The moment a lead should have been dialled by: its due time plus the mode's time standard. */
export function dialBy(dueAt: Date, timeStandardMinutes: number): Date {
  return new Date(dueAt.getTime() + timeStandardMinutes * MINUTE);
}

export interface QueueOrderKey {
  id: string;
  priority: number;
  dialByAt: Date;
  dueAt: Date;
}

/**
 * The queue order: higher priority first, then the earlier dial-by time (due + time standard),
 * then the earlier due time, then the id (a stable tie-break). The SQL of the order list and of
 * "next lead" sorts by the same columns.
 */
export function compareQueueOrder(a: QueueOrderKey, b: QueueOrderKey): number {
  return b.priority - a.priority || a.dialByAt.getTime() - b.dialByAt.getTime() || a.dueAt.getTime() - b.dueAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export interface QueuedLead {
  subState: DialSubState;
  attempts: number;
  dueAt: Date;
}

export type DialResultInput =
  | { button: 'success'; statusId: string }
  | { button: 'callback'; callbackAt: Date }
  | { button: 'no_answer' | 'busy' | 'dropped' }
  | { button: ExtraDialButton };

/** What happens to a queued lead after a result. */
export type DialResultEffect =
  | { kind: 'requeue'; subState: DialSubState; dueAt: Date; attempts: number }
  | { kind: 'leave'; reason: 'success' | 'max_attempts' | 'wrong_number' | 'do_not_call'; statusId: string | null; attempts: number; addToDoNotCall: boolean };

export type DialResultRefusal = { refused: string };

/** The buttons a mode shows. */
export function enabledButtons(settings: Pick<DialModeSettings, 'extraButtons'>): DialButton[] {
  return [...BASIC_DIAL_BUTTONS, ...EXTRA_DIAL_BUTTONS.filter((b) => settings.extraButtons.includes(b))];
}

/**
 * Applies an operator's (or Asterisk's) result to a queued lead at `now`. No answer, busy and
 * dropped count an attempt: the lead is due again after the retry delay, or leaves the queue for
 * the exhausted status once the attempts reach the maximum.
 */
export function applyDialResult(input: { lead: QueuedLead; settings: DialModeSettings; result: DialResultInput; now: Date }): DialResultEffect | DialResultRefusal {
  const { lead, settings, result, now } = input;
  if (!enabledButtons(settings).includes(result.button)) return { refused: `the ${result.button} button is not enabled in this call mode` };
  switch (result.button) {
    case 'success':
      return { kind: 'leave', reason: 'success', statusId: result.statusId, attempts: lead.attempts, addToDoNotCall: false };
    case 'callback':
      if (result.callbackAt.getTime() <= now.getTime()) return { refused: 'callbackAt must be in the future' };
      return { kind: 'requeue', subState: 'callback_planned', dueAt: result.callbackAt, attempts: lead.attempts };
    case 'no_answer':
    case 'busy':
    case 'dropped': {
      const attempts = lead.attempts + 1;
      if (attempts >= settings.maxAttempts) return { kind: 'leave', reason: 'max_attempts', statusId: settings.exhaustedStatusId, attempts, addToDoNotCall: false };
      return { kind: 'requeue', subState: 'no_answer', dueAt: new Date(now.getTime() + settings.retryDelayMinutes * MINUTE), attempts };
    }
    case 'wrong_number':
      return { kind: 'leave', reason: 'wrong_number', statusId: null, attempts: lead.attempts, addToDoNotCall: false };
    case 'do_not_call':
      return { kind: 'leave', reason: 'do_not_call', statusId: null, attempts: lead.attempts, addToDoNotCall: true };
    default: {
      const unreachable: never = result;
      throw new Error(`unknown button ${JSON.stringify(unreachable)}`);
    }
  }
}

/** How a call Asterisk ended without the lead answering maps to a button (applied without the operator). */
export function detectedDialButton(borrowerResult: string): 'no_answer' | 'busy' | 'dropped' {
  if (borrowerResult === 'busy') return 'busy';
  if (borrowerResult === 'no_answer' || borrowerResult === 'cancelled') return 'no_answer';
  return 'dropped';
}

/** What the end of a dial-mode call means for its lead. */
export type DialCallEnd =
  /** They talked, or the operator gave up while the lead's phone rang: the operator's button decides. */
  | { kind: 'await_operator' }
  /** The lead was never dialled (operator's phone not answered or failed) or the link was lost: back unchanged. */
  | { kind: 'give_back' }
  /** The lead's phone was busy, not answered or failed: applied without the operator. */
  | { kind: 'apply'; button: 'no_answer' | 'busy' | 'dropped' };

/**
 * `outcome` is the agent-first call's outcome (click-to-call machine), `borrowerResult` the lead
 * leg's call-activity result (null when it was never dialled).
 */
export function dialCallEnd(outcome: 'connected' | 'agent_no_answer' | 'agent_hung_up' | 'borrower_no_answer' | 'failed', borrowerResult: string | null): DialCallEnd {
  switch (outcome) {
    case 'connected':
    case 'agent_hung_up':
      return { kind: 'await_operator' };
    case 'agent_no_answer':
      return { kind: 'give_back' };
    case 'borrower_no_answer':
    case 'failed':
      if (borrowerResult === null || borrowerResult === 'interrupted') return { kind: 'give_back' };
      return { kind: 'apply', button: detectedDialButton(borrowerResult) };
    default: {
      const unreachable: never = outcome;
      throw new Error(`unknown outcome ${String(unreachable)}`);
    }
  }
}
