// What a number dialled on a desk phone means (docs/desk-phones.md). Pure.
import { checkDialling, DialledCategory, DiallingPolicy } from './dialling-policy.util';

/** The agent's own toggles, answered with a short prompt (the last digit: 1 = on, 0 = off). */
export type StarCode = 'log_in' | 'log_out' | 'calls_on' | 'calls_off';

export const STAR_CODES: Readonly<Record<string, StarCode>> = {
  '*11': 'log_in',
  '*10': 'log_out',
  '*21': 'calls_on',
  '*20': 'calls_off',
};

/**
 * The voicemail access number: what the Message key of a provisioned phone dials, and what anyone
 * may dial to hear their voicemails (docs/desk-phones.md).
 */
export const VOICEMAIL_CODE = '*97';

export type DeskPhoneDial =
  | { kind: 'star'; code: StarCode }
  | { kind: 'voicemail' }
  | { kind: 'unknown_star'; dialled: string }
  /** A colleague's extension (whether someone has it is the caller's business to look up). */
  | { kind: 'extension'; extension: string }
  /** Through the trunk: E.164, or 911 / an allowed N11 code as dialled. */
  | { kind: 'outside'; dial: string; category: DialledCategory; emergency: boolean }
  | { kind: 'refused'; category: DialledCategory; reason: string };

const N11_OR_911 = /^[2-9]11$/;

/**
 * Extensions are 3 to 6 digits, not starting with 0 (operator / international prefixes) and never
 * an N11 service code (211 … 911): a colleague's extension must never shadow 911 or 411.
 */
export function isValidExtension(value: string): boolean {
  return /^[1-9]\d{2,5}$/.test(value) && !N11_OR_911.test(value);
}

/** The extension the next user of an org gets: one more than the highest 4-digit one, from 1001. */
export function nextExtension(taken: readonly string[]): string {
  let next = 1001;
  for (const e of taken) if (/^\d{4}$/.test(e)) next = Math.max(next, Number(e) + 1);
  // 4-digit extensions run out at 9999: then the lowest free 5-digit one (never N11, never 0…).
  if (next > 9999) {
    const used = new Set(taken);
    for (let n = 10000; n <= 999999; n++) if (!used.has(String(n))) return String(n);
    throw new Error('no free extension left');
  }
  return String(next);
}

/** Sorts what a desk phone dialled: star code, extension, or a number the dialling policy rules on. */
export function routeDeskPhoneDial(dialled: string, policy: DiallingPolicy): DeskPhoneDial {
  const raw = dialled.trim();
  if (raw.startsWith('*')) {
    if (raw === VOICEMAIL_CODE) return { kind: 'voicemail' };
    const code = STAR_CODES[raw];
    return code ? { kind: 'star', code } : { kind: 'unknown_star', dialled: raw };
  }
  if (isValidExtension(raw)) return { kind: 'extension', extension: raw };
  const verdict = checkDialling(raw, policy);
  if (!verdict.allowed) return { kind: 'refused', category: verdict.category, reason: verdict.reason };
  return { kind: 'outside', dial: verdict.dial, category: verdict.category, emergency: verdict.category === 'emergency' };
}

/**
 * What the voicemail access number plays, as ARI media, from Asterisk's stock prompts: "You have
 * <n> messages", each message after a beep (newest first), "No more messages. Goodbye." — or "You
 * have no messages. Goodbye."
 */
export function voicemailPlaylist(recordings: readonly string[]): string[] {
  if (!recordings.length) return ['sound:vm-youhave', 'sound:vm-no', 'sound:vm-messages', 'sound:vm-goodbye'];
  return [
    'sound:vm-youhave',
    `number:${recordings.length}`,
    recordings.length === 1 ? 'sound:vm-message' : 'sound:vm-messages',
    ...recordings.flatMap((name) => ['sound:beep', `recording:${name}`]),
    'sound:vm-nomore',
    'sound:vm-goodbye',
  ];
}
