import { GREEN, OFF, RED, blinking, solid } from '../light-state';
import { toHex } from '../light-drivers';
import { luxaforDriver } from './luxafor.driver';

// facelessuser/pyluxa4 pyluxa4/usb.py: report number 0, then static colour
// `[0, 1, led, r, g, b, 0, 0, 0]` and strobe `[0, 3, led, r, g, b, speed, 0, repeat]`, LED 0xFF = all,
// repeat 0 = forever ("We cannot wait when repeat is set to go on forever"). The same table is in
// shared/BUSYLIGHT.md (from the docs.rs `luxafor` crate).
// Note: JnyJny/busylight_core writes `[1, leds, r, g, b]` without the 0x00 report ID, which only
// works on Linux/macOS; we always lead with it.
describe('luxaforDriver', () => {
  it.each([
    ['off = static black', OFF, '0001ff000000000000'],
    ['solid green', solid(GREEN), '0001ff00ff00000000'],
    ['solid red', solid(RED), '0001ffff0000000000'],
    ['blinking red = strobe, speed 20, repeat 0 (forever)', blinking(RED), '0003ffff0000140000'],
  ])('%s', (_name, state, hex) => {
    const report = luxaforDriver.encode(state);
    expect(report.type).toBe('output');
    expect(toHex(report.bytes)).toBe(hex);
  });

  it('blinks in hardware and needs no keep-alive', () => {
    expect(luxaforDriver.hardwareBlink).toBe(true);
    expect(luxaforDriver.keepAlive()).toBeNull();
  });
});
