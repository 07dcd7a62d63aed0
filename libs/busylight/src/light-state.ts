// What a light should show, independent of any device: off, a steady colour, or a blinking colour.
// Colours are 8-bit RGB; each driver scales them to its own range (Kuando: PWM 0–100).

export interface Rgb {
  r: number;
  g: number;
  b: number;
}

export type LightState = { kind: 'off' } | { kind: 'solid'; color: Rgb } | { kind: 'blink'; color: Rgb };

export const BLACK: Rgb = { r: 0, g: 0, b: 0 };
export const GREEN: Rgb = { r: 0, g: 255, b: 0 };
export const RED: Rgb = { r: 255, g: 0, b: 0 };
/** The desk daemon's "no connection to the server" colour: never mistaken for green or red. */
export const BLUE: Rgb = { r: 0, g: 0, b: 255 };

export const OFF: LightState = { kind: 'off' };
export const solid = (color: Rgb): LightState => ({ kind: 'solid', color });
export const blinking = (color: Rgb): LightState => ({ kind: 'blink', color });

export function sameLightState(a: LightState, b: LightState): boolean {
  if (a.kind === 'off' || b.kind === 'off') return a.kind === b.kind;
  return a.kind === b.kind && a.color.r === b.color.r && a.color.g === b.color.g && a.color.b === b.color.b;
}

/** Human-readable, for logs: `off`, `solid #00ff00`, `blink #ff0000`. */
export function describeLightState(state: LightState): string {
  if (state.kind === 'off') return 'off';
  const hex = [state.color.r, state.color.g, state.color.b].map((v) => v.toString(16).padStart(2, '0')).join('');
  return `${state.kind} #${hex}`;
}
