import { BLUE, GREEN, OFF, RED, blinking, solid } from '../light-state';
import { toHex } from '../light-drivers';
import { KuandoStep, kuandoChecksum, kuandoDriver, kuandoReport, toKuandoPwm } from './kuando.driver';

const zeros = (n: number) => '00'.repeat(n);
const step = (cmd: number, repeat: number, red: number, green: number, blue: number, onTime: number, offTime: number, audio: number): KuandoStep => ({
  cmd,
  repeat,
  red,
  green,
  blue,
  onTime,
  offTime,
  audio,
});

describe('Kuando Busylight report', () => {
  // Self-test from Plenom's "Busylight/Kuando Box HID communication protocol specification rev. 2.2"
  // (22-05-2015, page 2, "Example (BusyLight data)"): blink blue 3×, blink red 5×, green 10 s with
  // ringtone 4 at volume 3, loop. Its checksum is 06 93 (= 1683, the sum of bytes 0..61).
  // Disagreements inside the spec, noted: step 0 says "20 % intensity" but encodes 0x33 (51, i.e.
  // 20 % of 255 rather than of the stated 0..100 range); the checksum pseudo-code's loop header is
  // written `for(i=0;i++;i<62)` and compares byte 62 twice — the worked example is what we follow.
  // The example also sets byte 58 (Kuando Box trigger time) to 0xFF, which we copy.
  it("reproduces the spec's worked example byte for byte", () => {
    const report = kuandoReport([
      step(0x11, 0x03, 0x00, 0x00, 0x33, 0x05, 0x05, 0x80),
      step(0x12, 0x05, 0x50, 0x00, 0x00, 0x0f, 0x05, 0x00),
      step(0x10, 0x02, 0x00, 0x64, 0x00, 0x32, 0x00, 0xa3),
    ]);
    expect(toHex(report)).toBe('1103000033050580' + '1205500000' + '0f0500' + '1002006400320' + '0a3' + zeros(32) + '0000ffffffff0693');
    expect(kuandoChecksum(report)).toBe(0x0693);
  });

  it('rejects more than seven steps', () => {
    expect(() => kuandoReport(new Array(8).fill(step(0x10, 1, 0, 0, 0, 0, 0, 0x80)))).toThrow(RangeError);
  });

  it.each([
    [0, 0],
    [255, 100],
    [128, 50],
    [51, 20],
  ])('scales channel %i to PWM %i', (channel, pwm) => expect(toKuandoPwm(channel)).toBe(pwm));
});

describe('kuandoDriver', () => {
  // Each report: report ID 00, step 0 = jump-to-step-0 (0x10), repeat 1 (the spec's range is
  // 1..255; porsager/busylight and JnyJny/busylight_core send 0, which the spec does not list),
  // RGB as PWM 0–100, on/off time in tenths (5/5 = 0.5 s blink), audio 0x80 = "apply: volume 0"
  // (silence, as step 0 of the spec example), steps 1–6 zero, then 00 00 FF FF FF FF and the checksum.
  // porsager/busylight lib/busylight.js ends every report in the example's constant 06 93 whatever
  // its content; we compute the checksum as the spec says.
  it.each([
    ['off', OFF, '1001000000000080', '048d'],
    ['solid green', solid(GREEN), '1001006400000080', '04f1'],
    ['solid red', solid(RED), '1001640000000080', '04f1'],
    ['solid blue (no connection)', solid(BLUE), '1001000064000080', '04f1'],
    ['blinking red', blinking(RED), '1001640000050580', '04fb'],
  ])('%s', (_name, state, step0, checksum) => {
    const report = kuandoDriver.encode(state);
    expect(report.type).toBe('output');
    expect(report.bytes).toHaveLength(65);
    expect(toHex(report.bytes)).toBe('00' + step0 + zeros(48) + '0000ffffffff' + checksum);
  });

  // Keep-alive: cmd 0b1000xxxx with xxxx = timeout in seconds (spec rev 2.2, step cmd field).
  // 0x8F = 15 s, the field's maximum; sent every 10 s.
  it('keep-alive is command 0x8F (15 s timeout) with a valid checksum', () => {
    expect(toHex(kuandoDriver.keepAlive()!.bytes)).toBe('00' + '8f00000000000000' + zeros(48) + '0000ffffffff' + '048b');
    expect(kuandoDriver.keepAliveMs).toBe(10_000);
  });

  it('blinks in hardware', () => expect(kuandoDriver.hardwareBlink).toBe(true));
});
