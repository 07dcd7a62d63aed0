// Luxafor Flag (also Orb and Mute, same USB ID): 8-byte output reports after the 0x00 report ID.
// Solid `01 LED R G B 00 00 00`, strobe `03 LED R G B SPEED 00 REPEAT` (REPEAT 0 = until the next
// command). Sources: facelessuser/pyluxa4 pyluxa4/usb.py; docs.rs `luxafor` crate's USB table.
import type { HidReport, LightDriver, UsbModel } from '../light-driver';
import type { LightState, Rgb } from '../light-state';

export const LUXAFOR_MODELS: readonly UsbModel[] = [{ vendorId: 0x04d8, productId: 0xf372, model: 'Luxafor Flag' }];

const MODE_STATIC = 0x01;
const MODE_STROBE = 0x03;
const ALL_LEDS = 0xff;
/** Strobe speed byte. The tables give no unit; 20 is what we ship until someone times a real Flag. */
export const LUXAFOR_STROBE_SPEED = 20;
const REPEAT_FOREVER = 0;

const staticColor = (c: Rgb): HidReport => ({ type: 'output', bytes: [0x00, MODE_STATIC, ALL_LEDS, c.r, c.g, c.b, 0, 0, 0] });

export const luxaforDriver: LightDriver = {
  family: 'luxafor',
  label: 'Luxafor Flag',
  models: LUXAFOR_MODELS,
  hardwareBlink: true,
  keepAliveMs: null,
  encode(state: LightState): HidReport {
    switch (state.kind) {
      case 'off':
        return staticColor({ r: 0, g: 0, b: 0 });
      case 'solid':
        return staticColor(state.color);
      case 'blink': {
        const c = state.color;
        return { type: 'output', bytes: [0x00, MODE_STROBE, ALL_LEDS, c.r, c.g, c.b, LUXAFOR_STROBE_SPEED, 0, REPEAT_FOREVER] };
      }
    }
  },
  keepAlive: () => null,
};
