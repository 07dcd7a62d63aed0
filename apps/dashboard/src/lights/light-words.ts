// What a light shows, in the words and colour swatch the light card uses.
import { BLUE, GREEN, LightState, RED, blinking, sameLightState, solid } from '@leadline/busylight';

export interface LightWords {
  words: string;
  /** A `.light` CSS colour class, or 'off'. */
  swatch: 'green' | 'red' | 'blue' | 'off';
  blink: boolean;
}

const KNOWN: [LightState, LightWords][] = [
  [solid(GREEN), { words: 'green (available)', swatch: 'green', blink: false }],
  [solid(RED), { words: 'red (not available)', swatch: 'red', blink: false }],
  [blinking(RED), { words: 'blinking red (a call is ringing)', swatch: 'red', blink: true }],
  [solid(BLUE), { words: 'blue (no connection to the server)', swatch: 'blue', blink: false }],
];

export function lightWords(state: LightState | null): LightWords {
  if (!state || state.kind === 'off') return { words: 'off', swatch: 'off', blink: false };
  return KNOWN.find(([known]) => sameLightState(known, state))?.[1] ?? { words: state.kind === 'blink' ? 'blinking' : 'on', swatch: 'off', blink: state.kind === 'blink' };
}
