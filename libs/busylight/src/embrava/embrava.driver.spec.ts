import { BLUE, GREEN, OFF, RED, blinking, solid } from '../light-state';
import { toHex } from '../light-drivers';
import { embravaDriver } from './embrava.driver';

// Layout `00 R B G F S V FF 22` from JnyJny/busylight docs/hardware/devices/embrava.md ("the order of
// green and blue is swapped, RBG"; first byte constant 0, footer 0xFF22) and the bit positions of
// busylight/lights/embrava/_blynclight.py: off = bit 32 (F & 0x01), dim = 0x02, flash = 0x04,
// speed = bits 35–37 (slow 0x08, medium 0x10, fast 0x20).
// Disagreement noted: JnyJny/busylight_core's newer _blynclight.py puts off/dim/flash one bit higher
// (bits 17–19 of a 24-bit word); the hardware-tested original and shared/BUSYLIGHT.md agree on the
// layout above, so we follow them.
describe('embravaDriver', () => {
  it.each([
    ['off', OFF, '000000000100' + '00ff22'],
    ['solid green (G is the 4th byte)', solid(GREEN), '000000ff0000' + '00ff22'],
    ['solid red', solid(RED), '00ff00000000' + '00ff22'],
    ['solid blue (B is the 3rd byte)', solid(BLUE), '0000ff000000' + '00ff22'],
    // The doc's "purple" example: red 0xff, blue 0xff, green 0.
    ['purple, as in the doc', solid({ r: 0xff, g: 0, b: 0xff }), '00ffff000000' + '00ff22'],
    ['blinking red: flash 0x04 | medium 0x10', blinking(RED), '00ff00001400' + '00ff22'],
  ])('%s', (_name, state, hex) => {
    const report = embravaDriver.encode(state);
    expect(report.type).toBe('output');
    expect(toHex(report.bytes)).toBe(hex);
  });

  it('blinks in hardware and needs no keep-alive', () => {
    expect(embravaDriver.hardwareBlink).toBe(true);
    expect(embravaDriver.keepAliveMs).toBeNull();
    expect(embravaDriver.keepAlive()).toBeNull();
  });
});
