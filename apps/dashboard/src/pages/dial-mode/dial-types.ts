// Dial mode as the dashboard reads it: the server's payloads (libs/contracts, docs/dial-mode.md) and
// the words people see for modes, sub-states, buttons and results.
import type { CallMode, DialButton, DialSubState, ExtraDialButton } from '@leadline/domain';
import type { DialLeadView } from '@leadline/contracts';

export type { CallMode, DialButton, DialSubState, ExtraDialButton };
export type { DialCallNotice, DialLeadView, DialNextView, DialResultView } from '@leadline/contracts';

export const CALL_MODES: CallMode[] = ['new', 'before_buyout', 're_approve', 'random'];
export const SUB_STATES: DialSubState[] = ['unprocessed', 'no_answer', 'callback_planned'];
export const EXTRA_BUTTONS: ExtraDialButton[] = ['wrong_number', 'do_not_call'];

export interface LeadStatus {
  id: string;
  campaignId: string;
  name: string;
  addToDialMode: boolean;
  callMode: CallMode | null;
  isInitial: boolean;
  position: number;
}

export interface ModeSettings {
  campaignId: string;
  mode: CallMode;
  highPriority: boolean;
  timeStandardMinutes: number;
  retryDelayMinutes: number;
  maxAttempts: number;
  exhaustedStatusId: string | null;
  extraButtons: ExtraDialButton[];
  buttons: DialButton[];
}

export interface ModeAccess {
  campaignId: string;
  mode: CallMode;
  userIds: string[];
}

export interface CallingWindow {
  campaignId: string;
  start: string;
  end: string;
  isDefault: boolean;
}

export interface OverviewRow {
  campaign: { id: string; name: string };
  modes: { mode: CallMode; total: number; counts: Record<DialSubState, number>; highPriority: boolean; operators: number }[];
}

export interface DialMe {
  scopes: { campaign: { id: string; name: string }; mode: CallMode }[];
  current: DialLeadView | null;
  callId: string | null;
}

export interface DoNotCallEntry {
  id: string;
  phone: string;
  source: string;
  note: string | null;
  createdById: string | null;
  createdAt: string;
}

export interface DoNotCallImport {
  added: number;
  alreadyListed: number;
  errors: { line: number; value: string; message: string }[];
}

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
