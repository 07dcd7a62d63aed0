// A light family's protocol: pure functions from a LightState to the exact HID report bytes.
// Every report starts with its report ID, as node-hid expects (0x00 for devices without numbered
// reports, so Windows accepts the write too).
import type { LightState } from './light-state';

export type LightFamily = 'kuando' | 'embrava' | 'luxafor' | 'blink1';

export const LIGHT_FAMILIES: readonly LightFamily[] = ['kuando', 'embrava', 'luxafor', 'blink1'];

/** One USB product a driver speaks to. */
export interface UsbModel {
  vendorId: number;
  productId: number;
  model: string;
}

/** `output` goes through write(), `feature` through sendFeatureReport(). */
export interface HidReport {
  type: 'output' | 'feature';
  bytes: readonly number[];
}

export interface LightDriver {
  family: LightFamily;
  /** Vendor's name for the family, for logs and `--list`. */
  label: string;
  models: readonly UsbModel[];
  /** True when the light blinks by itself; otherwise the daemon blinks it with a timer. */
  hardwareBlink: boolean;
  /** How often keepAlive() must be written while the light is attached, or null if never. */
  keepAliveMs: number | null;
  /**
   * The report that shows `state`. For a `blink` state on a light without hardware blink this is
   * the "on" half (the solid colour); the daemon alternates it with `off`.
   */
  encode(state: LightState): HidReport;
  /** The report that keeps the light from going dark by itself, or null. */
  keepAlive(): HidReport | null;
}
