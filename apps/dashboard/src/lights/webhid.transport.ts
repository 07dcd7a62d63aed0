// The dashboard's LightTransport over WebHID (Chrome and Edge): the one file that touches
// navigator.hid. The encoders' reports start with the report ID as node-hid expects; WebHID takes
// it apart: sendReport(id, rest) for output reports, sendFeatureReport(id, rest) for feature ones.
// A device is remembered by the browser once the agent picked it (Chrome keeps the permission per
// site), so getDevices() finds it again on the next visit without a click.
import { FoundDevice, HidReport, LIGHT_DRIVERS, LightTransport, OpenDevice } from '@leadline/busylight';

// The part of the WebHID API we use (TypeScript's DOM library has no WebHID types yet).
interface HidDevice {
  readonly vendorId: number;
  readonly productId: number;
  readonly productName: string;
  readonly opened: boolean;
  open(): Promise<void>;
  close(): Promise<void>;
  forget?(): Promise<void>;
  sendReport(reportId: number, data: BufferSource): Promise<void>;
  sendFeatureReport(reportId: number, data: BufferSource): Promise<void>;
}

interface Hid extends EventTarget {
  getDevices(): Promise<HidDevice[]>;
  requestDevice(options: { filters: { vendorId: number; productId: number }[] }): Promise<HidDevice[]>;
}

const hid = (): Hid | undefined => (navigator as Navigator & { hid?: Hid }).hid;

/**
 * `available`; `insecure` when the dashboard is not on https:// (or localhost): Chrome offers WebHID
 * to secure pages only; `missing` in browsers without it (Firefox, Safari).
 */
export type WebHidSupport = 'available' | 'insecure' | 'missing';

export function webHidSupport(): WebHidSupport {
  if (hid()) return 'available';
  return window.isSecureContext ? 'missing' : 'insecure';
}

/** Every supported light's USB IDs: the browser's device picker shows only these. */
export const LIGHT_FILTERS = LIGHT_DRIVERS.flatMap((d) => d.models.map((m) => ({ vendorId: m.vendorId, productId: m.productId })));

export class WebHidTransport implements LightTransport {
  readonly description = 'webhid';
  // HIDDevice objects carry no path: the browser hands out the same object for as long as the
  // device stays plugged in, and a new one after a replug — exactly the id the fleet needs.
  private readonly ids = new WeakMap<HidDevice, string>();
  private readonly byId = new Map<string, WeakRef<HidDevice>>();
  private next = 1;

  async enumerate(): Promise<FoundDevice[]> {
    const api = hid();
    if (!api) return [];
    return (await api.getDevices()).map((device) => ({ id: this.idOf(device), vendorId: device.vendorId, productId: device.productId, product: device.productName }));
  }

  async open(found: FoundDevice): Promise<OpenDevice> {
    const device = this.device(found.id);
    if (!device.opened) await device.open();
    return {
      write: async (report: HidReport) => {
        const [reportId, ...rest] = report.bytes;
        const data = Uint8Array.from(rest);
        if (report.type === 'feature') await device.sendFeatureReport(reportId ?? 0, data);
        else await device.sendReport(reportId ?? 0, data);
      },
      close: () => (device.opened ? device.close() : Promise.resolve()),
    };
  }

  /** Opens the browser's device picker (needs a click); resolves with how many lights were picked. */
  async request(): Promise<number> {
    const api = hid();
    if (!api) return 0;
    return (await api.requestDevice({ filters: LIGHT_FILTERS })).length;
  }

  /** Revokes the browser's permission for a light (it stops being found). */
  async forget(id: string): Promise<void> {
    const device = this.byId.get(id)?.deref();
    if (!device) return;
    if (device.forget) await device.forget();
    else if (device.opened) await device.close();
  }

  /** Calls `listener` when a permitted light is plugged in or pulled out; returns the unsubscribe. */
  onPlug(listener: () => void): () => void {
    const api = hid();
    if (!api) return () => undefined;
    api.addEventListener('connect', listener);
    api.addEventListener('disconnect', listener);
    return () => {
      api.removeEventListener('connect', listener);
      api.removeEventListener('disconnect', listener);
    };
  }

  private idOf(device: HidDevice): string {
    let id = this.ids.get(device);
    if (!id) {
      id = `webhid-${this.next++}`;
      this.ids.set(device, id);
      this.byId.set(id, new WeakRef(device));
    }
    return id;
  }

  private device(id: string): HidDevice {
    const device = this.byId.get(id)?.deref();
    if (!device) throw new Error(`light ${id} is gone`);
    return device;
  }
}
