// How the daemon reaches lights: the real node-hid transport, or the recording transport that
// writes every report to a file (for machines without USB lights, and for tests).
import type { HidReport } from '../light-driver';

/** A HID device seen during enumeration. `id` is stable while it stays plugged in (its path). */
export interface FoundDevice {
  id: string;
  vendorId: number;
  productId: number;
  product?: string;
  serialNumber?: string;
}

export interface OpenDevice {
  /** Rejects when the device is gone (unplugged) or refuses the report. */
  write(report: HidReport): Promise<void>;
  close(): Promise<void>;
}

export interface LightTransport {
  /** `hid` or `file:<path>`, for logs. */
  readonly description: string;
  enumerate(): Promise<FoundDevice[]>;
  open(device: FoundDevice): Promise<OpenDevice>;
}
