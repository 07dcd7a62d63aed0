// Kuando (Plenom) Busylight Alpha and Omega: one 64-byte output report per write, laid out as
// seven 8-byte steps, three Kuando Box bytes, three pad bytes and a 16-bit big-endian checksum.
// Source: Plenom "Busylight/Kuando Box HID communication protocol specification rev. 2.2".
import type { HidReport, LightDriver, UsbModel } from '../light-driver';
import type { LightState, Rgb } from '../light-state';

export const KUANDO_MODELS: readonly UsbModel[] = [
  { vendorId: 0x27bb, productId: 0x3bca, model: 'Busylight Alpha' },
  { vendorId: 0x27bb, productId: 0x3bcb, model: 'Busylight UC' },
  { vendorId: 0x27bb, productId: 0x3bcd, model: 'Busylight Omega' },
  { vendorId: 0x27bb, productId: 0x3bce, model: 'Busylight Alpha (2nd gen)' },
  { vendorId: 0x27bb, productId: 0x3bcf, model: 'Busylight Omega (2nd gen)' },
  // The first Alphas shipped with Microchip's vendor ID.
  { vendorId: 0x04d8, productId: 0xf848, model: 'Busylight Alpha (Microchip VID)' },
];

/** One step of the light's little program (8 bytes). */
export interface KuandoStep {
  /** 0x1a = jump to step a; 0x8x = keep-alive with a timeout of x seconds. */
  cmd: number;
  repeat: number;
  /** PWM duty cycle, 0–100 (not 0–255). */
  red: number;
  green: number;
  blue: number;
  /** Tenths of a second. Both 0 = steady. */
  onTime: number;
  offTime: number;
  /** 0b c bbbb eee: c = apply the audio setting, bbbb = tone, eee = volume (000 = stop). */
  audio: number;
}

export const KUANDO_REPORT_LENGTH = 64;
const STEP_COUNT = 7;
const JUMP_TO_STEP_0 = 0x10;
/** Apply the audio setting, tone 0, volume 0: silence. The daemon never rings. */
const AUDIO_OFF = 0x80;
/** 0.5 s on, 0.5 s off. */
const BLINK_TENTHS = 5;
/** The longest keep-alive timeout the 4-bit field holds: the light goes dark 15 s after the daemon dies. */
export const KUANDO_KEEPALIVE_TIMEOUT_S = 15;
export const KUANDO_KEEPALIVE_INTERVAL_MS = 10_000;

/** Sum of bytes 0..61, as the light checks it. */
export function kuandoChecksum(report: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < 62; i++) sum += report[i] ?? 0;
  return sum & 0xffff;
}

/**
 * The 64-byte report for up to seven steps (missing steps are zero). Bytes 56–57 (Kuando Box
 * sensitivity and timeout) are 0; bytes 58–61 are 0xFF as in the spec's worked example.
 */
export function kuandoReport(steps: readonly KuandoStep[]): number[] {
  if (steps.length > STEP_COUNT) throw new RangeError(`a Kuando report holds ${STEP_COUNT} steps, got ${steps.length}`);
  const report = new Array<number>(KUANDO_REPORT_LENGTH).fill(0);
  steps.forEach((s, i) => {
    report.splice(i * 8, 8, s.cmd, s.repeat, s.red, s.green, s.blue, s.onTime, s.offTime, s.audio);
  });
  report.splice(58, 4, 0xff, 0xff, 0xff, 0xff);
  const checksum = kuandoChecksum(report);
  report[62] = checksum >> 8;
  report[63] = checksum & 0xff;
  return report;
}

/** 8-bit colour channel → the light's PWM percentage. */
export const toKuandoPwm = (channel: number): number => Math.round((channel * 100) / 255);

function jumpStep(color: Rgb, blink: boolean): KuandoStep {
  return {
    cmd: JUMP_TO_STEP_0,
    repeat: 1,
    red: toKuandoPwm(color.r),
    green: toKuandoPwm(color.g),
    blue: toKuandoPwm(color.b),
    onTime: blink ? BLINK_TENTHS : 0,
    offTime: blink ? BLINK_TENTHS : 0,
    audio: AUDIO_OFF,
  };
}

const withReportId = (report: readonly number[]): HidReport => ({ type: 'output', bytes: [0x00, ...report] });

export const kuandoDriver: LightDriver = {
  family: 'kuando',
  label: 'Kuando Busylight',
  models: KUANDO_MODELS,
  hardwareBlink: true,
  keepAliveMs: KUANDO_KEEPALIVE_INTERVAL_MS,
  encode(state: LightState): HidReport {
    switch (state.kind) {
      case 'off':
        return withReportId(kuandoReport([jumpStep({ r: 0, g: 0, b: 0 }, false)]));
      case 'solid':
        return withReportId(kuandoReport([jumpStep(state.color, false)]));
      case 'blink':
        return withReportId(kuandoReport([jumpStep(state.color, true)]));
    }
  },
  keepAlive(): HidReport {
    const step: KuandoStep = { cmd: 0x80 | KUANDO_KEEPALIVE_TIMEOUT_S, repeat: 0, red: 0, green: 0, blue: 0, onTime: 0, offTime: 0, audio: 0 };
    return withReportId(kuandoReport([step]));
  },
};
