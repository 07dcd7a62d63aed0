// Every supported light plugged into this PC, all showing the same state. Lights come and go:
// enumeration is polled, a light whose write fails is dropped (and enumeration re-run at once),
// and a light that appears — new or plugged back — is opened and sent the current state.
// No I/O of its own: the transport (node-hid, a recording file, WebHID) does it; shared by the
// desk daemon and the dashboard tab.
import type { HidReport, LightDriver, UsbModel } from './light-driver';
import { matchLight, toHex, vidPid } from './light-drivers';
import type { LightLog } from './light-log';
import { LightState, OFF, describeLightState } from './light-state';
import { TimerHandle, Timers, systemTimers } from './timers';
import type { FoundDevice, LightTransport, OpenDevice } from './transport/light-transport';

export interface LightFleetTiming {
  /** Enumeration poll. */
  pollMs: number;
  /** Half-period of the timer blink for lights without hardware blink. */
  blinkMs: number;
  /** How long stop() waits for a light to take the final "off". */
  stopWriteMs: number;
}

export const DEFAULT_FLEET_TIMING: LightFleetTiming = { pollMs: 2_000, blinkMs: 500, stopWriteMs: 1_000 };

export interface AttachedLightInfo {
  id: string;
  family: LightDriver['family'];
  model: string;
  usb: string;
}

interface AttachedLight {
  device: FoundDevice;
  driver: LightDriver;
  model: UsbModel;
  handle: OpenDevice;
  /** Writes to one light are serialized, so reports never interleave. */
  queue: Promise<void>;
  keepAlive?: TimerHandle;
}

export class LightFleet {
  private readonly attached = new Map<string, AttachedLight>();
  /** Ids that failed to open, with when we last said so (to log once a minute, not every poll). */
  private readonly openFailures = new Map<string, number>();
  /** Lights being let go (release()): enumeration leaves them alone. */
  private readonly releasing = new Set<string>();
  private state: LightState = OFF;
  private blinkOn = true;
  private pollTimer?: TimerHandle;
  private blinkTimer?: TimerHandle;
  private polling?: Promise<void>;
  private stopped = false;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly transport: LightTransport,
    private readonly drivers: readonly LightDriver[],
    private readonly log: LightLog,
    private readonly timing: LightFleetTiming = DEFAULT_FLEET_TIMING,
    private readonly timers: Timers = systemTimers,
  ) {}

  /** Starts polling; resolves after the first enumeration. */
  async start(): Promise<void> {
    this.pollTimer = this.timers.setInterval(() => void this.poll(), this.timing.pollMs);
    await this.poll();
  }

  show(state: LightState): void {
    this.state = state;
    this.blinkOn = true;
    this.timers.clearInterval(this.blinkTimer);
    this.blinkTimer = undefined;
    if (state.kind === 'blink') {
      this.blinkTimer = this.timers.setInterval(() => this.blinkTick(), this.timing.blinkMs);
    }
    for (const light of this.attached.values()) this.send(light, this.reportFor(light));
  }

  /** Calls `listener` whenever a light is attached or detached; returns the unsubscribe. */
  onLightsChanged(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  lights(): AttachedLightInfo[] {
    return [...this.attached.values()].map((l) => ({ id: l.device.id, family: l.driver.family, model: l.model.model, usb: vidPid(l.device.vendorId, l.device.productId) }));
  }

  /** Enumerates now (single flight: a poll already running is shared). */
  poll(): Promise<void> {
    this.polling ??= this.enumerate().finally(() => (this.polling = undefined));
    return this.polling;
  }

  /**
   * Turns one light off and lets it go, then runs `forget` (the dashboard revokes the browser's
   * permission there), so polling does not pick it up again.
   */
  async release(id: string, forget: () => Promise<void>): Promise<void> {
    const light = this.attached.get(id);
    this.releasing.add(id);
    try {
      if (light) {
        this.timers.clearInterval(light.keepAlive);
        this.send(light, light.driver.encode(OFF));
        await this.settled(light);
        this.detach(light, 'released');
        await light.queue;
      }
      await forget();
    } finally {
      this.releasing.delete(id);
    }
  }

  /** Turns every light off, closes them and stops all timers. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timers.clearInterval(this.pollTimer);
    this.timers.clearInterval(this.blinkTimer);
    await this.polling;
    this.state = OFF;
    await Promise.all(
      [...this.attached.values()].map(async (light) => {
        this.timers.clearInterval(light.keepAlive);
        this.send(light, light.driver.encode(OFF));
        await this.settled(light);
        await light.handle.close().catch(() => undefined);
      }),
    );
    const hadLights = this.attached.size > 0;
    this.attached.clear();
    if (hadLights) this.changed();
  }

  private async enumerate(): Promise<void> {
    if (this.stopped) return;
    let found: FoundDevice[];
    try {
      found = await this.transport.enumerate();
    } catch (err) {
      this.log.error({ err }, 'cannot enumerate lights');
      return;
    }
    const present = new Set(found.map((d) => d.id));
    for (const light of [...this.attached.values()]) {
      if (!present.has(light.device.id)) this.detach(light, 'no longer enumerated');
    }
    for (const device of found) {
      if (this.stopped || this.attached.has(device.id) || this.releasing.has(device.id)) continue;
      const match = matchLight(device.vendorId, device.productId, this.drivers);
      if (match) await this.attach(device, match.driver, match.model);
    }
  }

  private async attach(device: FoundDevice, driver: LightDriver, model: UsbModel): Promise<void> {
    let handle: OpenDevice;
    try {
      handle = await this.transport.open(device);
    } catch (err) {
      const last = this.openFailures.get(device.id);
      if (last === undefined || Date.now() - last > 60_000) {
        this.openFailures.set(device.id, Date.now());
        this.log.warn({ err, device: device.id, model: model.model }, 'cannot open light (on Linux: the udev rules in hardware/)');
      }
      return;
    }
    this.openFailures.delete(device.id);
    if (this.stopped) {
      await handle.close().catch(() => undefined);
      return;
    }
    const light: AttachedLight = { device, driver, model, handle, queue: Promise.resolve() };
    this.attached.set(device.id, light);
    this.log.info({ device: device.id, model: model.model, usb: vidPid(device.vendorId, device.productId), state: describeLightState(this.state) }, 'light attached');
    this.changed();
    if (driver.keepAliveMs !== null) {
      light.keepAlive = this.timers.setInterval(() => {
        const report = driver.keepAlive();
        if (report) this.send(light, report);
      }, driver.keepAliveMs);
    }
    this.send(light, this.reportFor(light));
  }

  private detach(light: AttachedLight, why: string): void {
    if (this.attached.get(light.device.id) !== light) return;
    this.attached.delete(light.device.id);
    this.timers.clearInterval(light.keepAlive);
    this.log.warn({ device: light.device.id, model: light.model.model, why }, 'light detached');
    light.queue = light.queue.then(() => light.handle.close()).catch(() => undefined);
    this.changed();
  }

  /** Waits for a light's queued writes, at most stopWriteMs. */
  private async settled(light: AttachedLight): Promise<void> {
    let timer: TimerHandle;
    await Promise.race([light.queue, new Promise((resolve) => (timer = this.timers.setTimeout(() => resolve(undefined), this.timing.stopWriteMs)))]);
    this.timers.clearTimeout(timer);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  private reportFor(light: AttachedLight): HidReport {
    const timerBlinkOff = this.state.kind === 'blink' && !light.driver.hardwareBlink && !this.blinkOn;
    return light.driver.encode(timerBlinkOff ? OFF : this.state);
  }

  private blinkTick(): void {
    this.blinkOn = !this.blinkOn;
    for (const light of this.attached.values()) {
      if (!light.driver.hardwareBlink) this.send(light, this.reportFor(light));
    }
  }

  /** Queues a report for one light; never rejects (a failed write detaches the light). */
  private send(light: AttachedLight, report: HidReport): void {
    const write = light.queue.then(async () => {
      if (this.attached.get(light.device.id) !== light) return;
      this.log.debug({ device: light.device.id, hex: toHex(report.bytes) }, 'report');
      await light.handle.write(report);
    });
    light.queue = write.catch((err: unknown) => {
      // Unplugged (or wedged): drop it and look again at once, so a replug is picked up quickly.
      this.log.debug({ err, device: light.device.id }, 'write failed');
      this.detach(light, 'write failed');
      if (!this.stopped) void this.poll();
    });
  }
}
