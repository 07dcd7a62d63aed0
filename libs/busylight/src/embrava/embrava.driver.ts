// Embrava Blynclight (and the Plantronics-branded Status Indicator): a 9-byte output report
// `00 R B G F S V FF 22` — colour order R, B, G; F holds off / dim / flash and the flash speed.
// Source: JnyJny/busylight docs/hardware/devices/embrava.md and busylight/lights/embrava/_blynclight.py.
import type { HidReport, LightDriver, UsbModel } from '../light-driver';
import type { LightState, Rgb } from '../light-state';

export const EMBRAVA_MODELS: readonly UsbModel[] = [
  { vendorId: 0x2c0d, productId: 0x0001, model: 'Blynclight' },
  { vendorId: 0x2c0d, productId: 0x0002, model: 'Blynclight Plus' },
  { vendorId: 0x2c0d, productId: 0x000a, model: 'Blynclight Mini' },
  { vendorId: 0x2c0d, productId: 0x000c, model: 'Blynclight Plus' },
  { vendorId: 0x2c0d, productId: 0x0010, model: 'Blynclight Plus' },
  { vendorId: 0x0e53, productId: 0x2516, model: 'Blynclight' },
  { vendorId: 0x0e53, productId: 0x2517, model: 'Blynclight Mini' },
  { vendorId: 0x047f, productId: 0xd005, model: 'Plantronics Status Indicator' },
];

export const EMBRAVA_FLAG = {
  off: 0x01,
  dim: 0x02,
  flash: 0x04,
  speedSlow: 0x08,
  speedMedium: 0x10,
  speedFast: 0x20,
} as const;

function report(color: Rgb, flags: number): HidReport {
  // Sound bytes stay 0: no tune plays.
  return { type: 'output', bytes: [0x00, color.r, color.b, color.g, flags, 0x00, 0x00, 0xff, 0x22] };
}

export const embravaDriver: LightDriver = {
  family: 'embrava',
  label: 'Embrava Blynclight',
  models: EMBRAVA_MODELS,
  hardwareBlink: true,
  keepAliveMs: null,
  encode(state: LightState): HidReport {
    switch (state.kind) {
      case 'off':
        return report({ r: 0, g: 0, b: 0 }, EMBRAVA_FLAG.off);
      case 'solid':
        return report(state.color, 0x00);
      case 'blink':
        return report(state.color, EMBRAVA_FLAG.flash | EMBRAVA_FLAG.speedMedium);
    }
  },
  keepAlive: () => null,
};
