import { GREEN, OFF, RED, blinking, solid } from '../light-state';
import { toHex } from '../light-drivers';
import { blink1Driver, blink1FadeReport } from './blink1.driver';

// todbot/blink1 docs/blink1-hid-commands.md: feature report `{0x01, 'c', r,g,b, th,tl, n}`,
// th/tl = (fadeMillis/10) high/low byte, n = LED (0 = all).
describe('blink1FadeReport', () => {
  // The doc's own example, "fade to white (255,255,255) in 5 seconds": `{ 0x01, 'c', 0xff,0ff,0xff,
  // 0x01,0xff, 0 }`. Disagreement noted: 0x01FF ticks is 5.11 s (5 s would be 0x01F4); we encode
  // the doc's bytes from 5110 ms.
  it('reproduces the doc example', () => {
    expect(toHex(blink1FadeReport({ r: 255, g: 255, b: 255 }, 5110).bytes)).toBe('0163ffffff01ff00');
    expect(toHex(blink1FadeReport({ r: 255, g: 255, b: 255 }, 5000).bytes)).toBe('0163ffffff01f400');
  });

  it('rounds down to 10 ms ticks and caps at 0xFFFF', () => {
    expect(toHex(blink1FadeReport(RED, 19).bytes)).toBe('0163ff0000000100');
    expect(toHex(blink1FadeReport(RED, 10_000_000).bytes)).toBe('0163ff0000ffff00');
  });
});

describe('blink1Driver', () => {
  it.each([
    ['off', OFF, '016300000000' + '0a00'],
    ['solid green, 100 ms fade', solid(GREEN), '016300ff0000' + '0a00'],
    ['solid red', solid(RED), '0163ff000000' + '0a00'],
    // No hardware blink: the report is the "on" half; the daemon alternates it with off.
    ['blinking red → the on half', blinking(RED), '0163ff000000' + '0a00'],
  ])('%s', (_name, state, hex) => {
    const report = blink1Driver.encode(state);
    expect(report.type).toBe('feature');
    expect(toHex(report.bytes)).toBe(hex);
  });

  it('is blinked by the daemon', () => expect(blink1Driver.hardwareBlink).toBe(false));
});
