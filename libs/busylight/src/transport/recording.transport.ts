// A transport for machines without USB lights (and for tests): simulated lights whose every
// report is appended to a JSON-lines file instead of going to USB.
//
// Unplug/replug: while the control file `<log>.unplugged` exists, the simulated lights whose ids
// it lists (one per line; an empty file means all of them) are missing from enumeration and
// every write to them fails, as a pulled USB cable would. Delete the file to plug them back.
import { appendFile, readFile } from 'node:fs/promises';
import type { HidReport, LightFamily } from '../light-driver';
import { LIGHT_FAMILIES } from '../light-driver';
import { driverFor, toHex, vidPid } from '../light-drivers';
import type { FoundDevice, LightTransport, OpenDevice } from './light-transport';

/** One line of the recording. */
export type RecordedEvent =
  | { t: string; event: 'open' | 'close'; device: string; usb: string }
  | { t: string; event: 'write'; device: string; usb: string; report: HidReport['type']; hex: string };

/**
 * `kuando,embrava` or `27bb:3bcd,04d8:f372` → simulated lights `sim-0`, `sim-1`, … A family name
 * stands for its first model.
 */
export function parseSimulatedDevices(spec: string): FoundDevice[] {
  return spec
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)
    .map((item, i) => {
      const pair = /^([0-9a-f]{4}):([0-9a-f]{4})$/.exec(item);
      if (pair) return { id: `sim-${i}`, vendorId: parseInt(pair[1]!, 16), productId: parseInt(pair[2]!, 16), product: `simulated ${item}` };
      if (!(LIGHT_FAMILIES as readonly string[]).includes(item)) throw new Error(`unknown simulated light "${item}": use a family (${LIGHT_FAMILIES.join(', ')}) or vid:pid`);
      const model = driverFor(item as LightFamily).models[0]!;
      return { id: `sim-${i}`, vendorId: model.vendorId, productId: model.productId, product: `simulated ${model.model}` };
    });
}

export class RecordingTransport implements LightTransport {
  readonly description: string;
  readonly controlPath: string;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly logPath: string,
    private readonly devices: readonly FoundDevice[],
    private readonly now: () => Date = () => new Date(),
  ) {
    this.description = `file:${logPath}`;
    this.controlPath = `${logPath}.unplugged`;
  }

  async enumerate(): Promise<FoundDevice[]> {
    const unplugged = await this.unplugged();
    return this.devices.filter((d) => !unplugged(d.id));
  }

  async open(device: FoundDevice): Promise<OpenDevice> {
    const usb = vidPid(device.vendorId, device.productId);
    await this.inTurn(async () => {
      await this.assertPlugged(device.id);
      await this.append({ t: this.now().toISOString(), event: 'open', device: device.id, usb });
    });
    return {
      write: (report: HidReport) =>
        this.inTurn(async () => {
          await this.assertPlugged(device.id);
          await this.append({ t: this.now().toISOString(), event: 'write', device: device.id, usb, report: report.type, hex: toHex(report.bytes) });
        }),
      close: () => this.inTurn(() => this.append({ t: this.now().toISOString(), event: 'close', device: device.id, usb })),
    };
  }

  private async assertPlugged(id: string): Promise<void> {
    if ((await this.unplugged())(id)) throw new Error(`${id} is unplugged (simulated)`);
  }

  private async unplugged(): Promise<(id: string) => boolean> {
    let text: string;
    try {
      text = await readFile(this.controlPath, 'utf8');
    } catch {
      return () => false;
    }
    const ids = text.split(/\s+/).filter(Boolean);
    return ids.length === 0 ? () => true : (id) => ids.includes(id);
  }

  /**
   * Opens, writes and closes run one at a time, each with its plug check, so lines land in the
   * order the calls were made (two lights written together used to race on the plug check).
   */
  private inTurn(step: () => Promise<void>): Promise<void> {
    const next = this.queue.then(step);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private append(event: RecordedEvent): Promise<void> {
    return appendFile(this.logPath, `${JSON.stringify(event)}\n`);
  }
}

/** Reads a recording back (for tests and for people looking at what the daemon sent). */
export async function readRecording(logPath: string): Promise<RecordedEvent[]> {
  let text: string;
  try {
    text = await readFile(logPath, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as RecordedEvent);
}
