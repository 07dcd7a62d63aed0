// Dial mode words for the dashboard: the words people see for modes, sub-states, buttons and results.
// The server's payloads are in @leadline/contracts (docs/dial-mode.md).
import type { CallMode, DialButton, DialSubState, ExtraDialButton } from '@leadline/domain';

export type { CallMode, DialButton, DialSubState, ExtraDialButton };

export const CALL_MODES: CallMode[] = ['new', 'before_buyout', 're_approve', 'random'];
export const SUB_STATES: DialSubState[] = ['unprocessed', 'no_answer', 'callback_planned'];
export const EXTRA_BUTTONS: ExtraDialButton[] = ['wrong_number', 'do_not_call'];

const MODE_WORDS: Record<CallMode, string> = { new: 'New', before_buyout: 'Before buyout', re_approve: 'Re-approve', random: 'Random' };
const SUB_STATE_WORDS: Record<DialSubState, string> = { unprocessed: 'Unprocessed', no_answer: 'No answer', callback_planned: 'Planned callback' };
const BUTTON_WORDS: Record<DialButton, string> = {
  success: 'Success',
  callback: 'Callback',
  no_answer: 'No answer',
  busy: 'Busy',
  dropped: 'Dropped',
  wrong_number: 'Wrong number',
  do_not_call: 'Do not call',
};

export const modeWords = (mode: string): string => MODE_WORDS[mode as CallMode] ?? mode.replace(/_/g, ' ');
export const subStateWords = (s: string): string => SUB_STATE_WORDS[s as DialSubState] ?? s.replace(/_/g, ' ');
export const buttonWords = (b: string): string => BUTTON_WORDS[b as DialButton] ?? b.replace(/_/g, ' ');

export function formatWhen(iso: string | null): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString('en-US', { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
}

/** The time now in a zone, e.g. "11:02 AM CST". */
export function localTimeIn(zone: string, now = new Date()): string {
  try {
    return now.toLocaleTimeString('en-US', { timeZone: zone, hour: 'numeric', minute: '2-digit', timeZoneName: 'short' });
  } catch {
    return zone;
  }
}
