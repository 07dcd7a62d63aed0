// Calls and monitoring in the words the dashboard shows.
import type { LiveCallParty, MonitorMode } from '@leadline/contracts';

/** "Jane Borrower +15125550142" and the others on the call, joined. */
export function callPartiesWords(parties: LiveCallParty[]): string {
  if (!parties.length) return 'nobody yet';
  return parties.map((p) => (p.number && p.number !== p.name ? `${p.name} ${p.number}` : p.name)).join(', ');
}

const MODE_WORDS: Record<MonitorMode, string> = { listen: 'is listening to', whisper: 'is whispering on', barge: 'has joined' };

export function monitorWords(mode: MonitorMode): string {
  return MODE_WORDS[mode];
}

export const MODE_LABELS: Record<MonitorMode, string> = { listen: 'Listen', whisper: 'Whisper', barge: 'Barge' };
