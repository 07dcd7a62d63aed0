// WebHID replaced at the browser boundary (no USB exists here): an init script gives every page a
// navigator.hid whose devices record each sendReport / sendFeatureReport and report it to the test
// through a binding, so the exact bytes the dashboard sends are checked — even those sent while a
// tab closes. Devices can be pre-permitted (the browser remembered them), offered in the picker,
// unplugged and plugged back (a new HIDDevice object, as Chrome does).
import type { BrowserContext, Page } from 'playwright-core';

export interface FakeHidSpec {
  vendorId: number;
  productId: number;
  productName: string;
  /** The browser remembers this site's permission for it (getDevices() finds it at once). */
  permitted: boolean;
}

export interface HidCall {
  /** The tab that sent it. */
  page: Page;
  /** Epoch ms in the page. */
  t: number;
  device: string;
  call: 'open' | 'close' | 'sendReport' | 'sendFeatureReport';
  reportId?: number;
  /** The report's data (after the report ID), lower-case hex. */
  hex?: string;
}

export interface FakeHid {
  calls: HidCall[];
  /** The filters passed to requestDevice, per call. */
  requests: { vendorId: number; productId: number }[][];
}

/** Installs the fake on every page of `context` (before any page script runs). */
export async function installFakeHid(context: BrowserContext, devices: FakeHidSpec[]): Promise<FakeHid> {
  const hid: FakeHid = { calls: [], requests: [] };
  await context.exposeBinding('__hidRecord', ({ page }, entry: Omit<HidCall, 'page'> | { requested: FakeHid['requests'][number] }) => {
    if ('requested' in entry) hid.requests.push(entry.requested);
    else hid.calls.push({ page, ...entry });
  });
  await context.addInitScript(fakeHidScript, devices);
  return hid;
}

/** What the page scripts below use of the page's globals (the tests compile without the DOM library). */
interface PageGlobals {
  Navigator: { prototype: object };
  __hidRecord(entry: unknown): Promise<void>;
  __fakeHid: { setPlugged(name: string, plugged: boolean): void };
}
type Bytes = ArrayBuffer | ArrayBufferView;

/**
 * Removes navigator.hid from every page of `context`: as in Firefox or Safari, or (`insecure`) as
 * Chrome does for a page served over plain http:// from another machine.
 */
export async function withoutWebHid(context: BrowserContext, why: 'browser' | 'insecure' = 'browser'): Promise<void> {
  await context.addInitScript((insecure) => {
    delete ((globalThis as unknown as PageGlobals).Navigator.prototype as Record<string, unknown>).hid;
    if (insecure) Object.defineProperty(globalThis, 'isSecureContext', { configurable: true, get: () => false });
  }, why === 'insecure');
}

/**
 * What Chrome does to a tab hidden for a while (intensive wake-up throttling): the page's own
 * timers of a second or more wake up at most once a minute. Dedicated workers are spared.
 */
export async function throttlePageTimers(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const g = globalThis as unknown as Record<'setTimeout' | 'setInterval', (fn: () => void, ms?: number) => unknown>;
    for (const name of ['setTimeout', 'setInterval'] as const) {
      const original = g[name].bind(globalThis);
      g[name] = (fn, ms = 0) => original(fn, ms >= 1_000 ? Math.max(ms, 60_000) : ms);
    }
  });
}

/** Pulls a device out (`plugged: false`) or plugs it back in, with the browser's connect/disconnect event. */
export const setPlugged = (page: Page, productName: string, plugged: boolean) =>
  page.evaluate(([name, on]) => (globalThis as unknown as PageGlobals).__fakeHid.setPlugged(name as string, on as boolean), [productName, plugged] as const);

/** Runs in the page: keep it self-contained (it is serialised). */
function fakeHidScript(specs: FakeHidSpec[]): void {
  type Spec = FakeHidSpec & { plugged: boolean; object: unknown };
  const w = globalThis as unknown as PageGlobals;
  const hex = (data: Bytes) => Array.from(data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength), (b) => b.toString(16).padStart(2, '0')).join('');
  const record = (entry: Record<string, unknown>) => void w.__hidRecord({ t: Date.now(), ...entry });
  const devices: Spec[] = specs.map((s) => ({ ...s, plugged: true, object: null }));
  const hid = new EventTarget();

  const deviceObject = (spec: Spec) => {
    let opened = false;
    const gone = () => new DOMException('The device was disconnected.', 'NotFoundError');
    const device = {
      vendorId: spec.vendorId,
      productId: spec.productId,
      productName: spec.productName,
      collections: [],
      get opened() {
        return opened;
      },
      async open() {
        if (!spec.plugged || spec.object !== device) throw gone();
        opened = true;
        record({ device: spec.productName, call: 'open' });
      },
      async close() {
        opened = false;
        record({ device: spec.productName, call: 'close' });
      },
      async forget() {
        opened = false;
        spec.permitted = false;
      },
      async sendReport(reportId: number, data: Bytes) {
        if (!opened || !spec.plugged || spec.object !== device) throw gone();
        record({ device: spec.productName, call: 'sendReport', reportId, hex: hex(data) });
      },
      async sendFeatureReport(reportId: number, data: Bytes) {
        if (!opened || !spec.plugged || spec.object !== device) throw gone();
        record({ device: spec.productName, call: 'sendFeatureReport', reportId, hex: hex(data) });
      },
    };
    return device;
  };
  const objectOf = (spec: Spec) => (spec.object ??= deviceObject(spec));

  Object.assign(hid, {
    async getDevices() {
      return devices.filter((d) => d.permitted && d.plugged).map(objectOf);
    },
    // The agent picks every offered light that matches (here: those not yet permitted).
    async requestDevice(options: { filters: { vendorId: number; productId: number }[] }) {
      void w.__hidRecord({ requested: options.filters });
      const picked = devices.filter((d) => !d.permitted && d.plugged && options.filters.some((f) => f.vendorId === d.vendorId && f.productId === d.productId));
      for (const d of picked) d.permitted = true;
      return picked.map(objectOf);
    },
  });
  w.__fakeHid = {
    setPlugged(name: string, plugged: boolean) {
      const spec = devices.find((d) => d.productName === name)!;
      const device = spec.object;
      spec.plugged = plugged;
      if (!plugged) spec.object = null; // a replug is a new HIDDevice
      const event = new Event(plugged ? 'connect' : 'disconnect') as Event & { device: unknown };
      event.device = plugged ? objectOf(spec) : device;
      hid.dispatchEvent(event);
    },
  };
  Object.defineProperty(w.Navigator.prototype, 'hid', { configurable: true, get: () => hid });
}
