// ThingM blink(1): 8-byte feature report with report ID 1: `01 'c' R G B th tl n` — fade to RGB in
// (th << 8 | tl) ticks of 10 ms, n = LED (0 = all). No built-in blink without programming its
// pattern memory, so the daemon blinks it with a timer.
// Source: todbot/blink1 docs/blink1-hid-commands.md.
import type { HidReport, LightDriver, UsbModel } from '../light-driver';
import type { LightState, Rgb } from '../light-state';

export const BLINK1_MODELS: readonly UsbModel[] = [{ vendorId: 0x27b8, productId: 0x01ed, model: 'blink(1)' }];

const REPORT_ID = 0x01;
const FADE_TO_RGB = 0x63; // 'c'
const ALL_LEDS = 0;
/** A short fade keeps steady changes soft and still lets a 500 ms timer blink read as a blink. */
export const BLINK1_FADE_MS = 100;

/** `01 'c' R G B th tl n` for a fade of `fadeMs` (rounded down to 10 ms ticks, at most 65535 ticks). */
export function blink1FadeReport(color: Rgb, fadeMs: number, led = ALL_LEDS): HidReport {
  const ticks = Math.min(0xffff, Math.max(0, Math.floor(fadeMs / 10)));
  return { type: 'feature', bytes: [REPORT_ID, FADE_TO_RGB, color.r, color.g, color.b, ticks >> 8, ticks & 0xff, led] };
}

export const blink1Driver: LightDriver = {
  family: 'blink1',
  label: 'ThingM blink(1)',
  models: BLINK1_MODELS,
  hardwareBlink: false,
  keepAliveMs: null,
  encode(state: LightState): HidReport {
    switch (state.kind) {
      case 'off':
        return blink1FadeReport({ r: 0, g: 0, b: 0 }, BLINK1_FADE_MS);
      case 'solid':
      case 'blink':
        return blink1FadeReport(state.color, BLINK1_FADE_MS);
    }
  },
  keepAlive: () => null,
};
