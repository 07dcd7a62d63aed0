// An in-memory LightTransport for the fleet's unit tests: lights can be plugged and unplugged,
// and every report written is kept per light.
import type { HidReport } from '../src/light-driver';
import { toHex } from '../src/light-drivers';
import type { LightLog } from '../src/light-log';
import type { FoundDevice, LightTransport, OpenDevice } from '../src/transport/light-transport';

export interface MemoryLight extends FoundDevice {
  plugged: boolean;
  /** Hex of every report written, oldest first. */
  writes: string[];
  opens: number;
}

export class MemoryLightTransport implements LightTransport {
  readonly description = 'memory';
  readonly lights = new Map<string, MemoryLight>();

  plug(id: string, vendorId: number, productId: number): MemoryLight {
    const existing = this.lights.get(id);
    if (existing) {
      existing.plugged = true;
      return existing;
    }
    const light: MemoryLight = { id, vendorId, productId, plugged: true, writes: [], opens: 0 };
    this.lights.set(id, light);
    return light;
  }

  unplug(id: string): void {
    this.lights.get(id)!.plugged = false;
  }

  async enumerate(): Promise<FoundDevice[]> {
    return [...this.lights.values()].filter((l) => l.plugged).map(({ id, vendorId, productId }) => ({ id, vendorId, productId }));
  }

  async open(device: FoundDevice): Promise<OpenDevice> {
    const light = this.lights.get(device.id);
    if (!light?.plugged) throw new Error('no such device');
    light.opens++;
    return {
      write: async (report: HidReport) => {
        if (!light.plugged) throw new Error('device unplugged');
        light.writes.push(toHex(report.bytes));
      },
      close: async () => undefined,
    };
  }
}

const quiet = () => undefined;
export const silentLogger = (): LightLog => ({ debug: quiet, info: quiet, warn: quiet, error: quiet });
