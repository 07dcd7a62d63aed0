// The one place node-hid is used. node-hid is an optional dependency with a prebuilt binary that
// links libusb-1.0 on Linux: it is loaded on first use, so a machine without it still runs the
// recording transport, and a load failure is reported with what to install.
import type { HidReport } from '../light-driver';
import type { FoundDevice, LightTransport, OpenDevice } from './light-transport';

type NodeHid = typeof import('node-hid');

let loaded: Promise<NodeHid> | undefined;

/** Loads node-hid once; on Linux keeps the hidraw driver (its default), which needs no detach. */
export function loadNodeHid(): Promise<NodeHid> {
  loaded ??= import('node-hid').then(
    (hid) => {
      if (process.platform === 'linux') hid.setDriverType('hidraw');
      return hid;
    },
    (err: unknown) => {
      loaded = undefined;
      const detail = err instanceof Error ? err.message : String(err);
      throw new Error(`node-hid could not be loaded (${detail}); on Debian install libusb-1.0-0 (scripts/install-system-deps.sh)`);
    },
  );
  return loaded;
}

export class NodeHidTransport implements LightTransport {
  readonly description = 'hid';

  async enumerate(): Promise<FoundDevice[]> {
    const hid = await loadNodeHid();
    const devices = await hid.devicesAsync();
    const found: FoundDevice[] = [];
    for (const d of devices) {
      // A device node without a path cannot be opened again after a replug: skip it.
      if (!d.path) continue;
      found.push({ id: d.path, vendorId: d.vendorId, productId: d.productId, product: d.product, serialNumber: d.serialNumber });
    }
    return found;
  }

  async open(device: FoundDevice): Promise<OpenDevice> {
    const hid = await loadNodeHid();
    const handle = await hid.HIDAsync.open(device.id, { nonExclusive: true });
    // We never read, but an emitted 'error' without a listener would crash the process.
    handle.on('error', () => undefined);
    return {
      async write(report: HidReport) {
        const bytes = [...report.bytes];
        const written = report.type === 'feature' ? await handle.sendFeatureReport(bytes) : await handle.write(bytes);
        if (written < 0) throw new Error(`short write to ${device.id}`);
      },
      close: () => handle.close(),
    };
  }
}
