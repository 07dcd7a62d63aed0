// Presence from the server in, one light state out to every light on this PC: the desk daemon's
// core, and the dashboard tab's when it drives a light over WebHID.
import type { Presence } from '@leadline/contracts';
import type { LightLog } from './light-log';
import { LightState, OFF, describeLightState, sameLightState } from './light-state';
import { LightStatus, LightStatusEvent, OFFLINE_GRACE_MS, initialLightStatus, nextDeadline, nextLightStatus, shownLight } from './presence-light.util';
import { TimerHandle, Timers, systemTimers } from './timers';

export interface PresenceEvents {
  presence(presence: Presence): void;
  connected(): void;
  disconnected(reason: string): void;
}

/** The link to the server: the daemon's own socket, or the dashboard tab's. */
export interface PresenceSource {
  start(events: PresenceEvents): void;
  stop(): void;
}

/** What PresenceLights needs from the lights (LightFleet). */
export interface LightOutput {
  start(): Promise<void>;
  show(state: LightState): void;
  stop(): Promise<void>;
}

export interface PresenceLightsOptions {
  graceMs?: number;
  timers?: Timers;
  /** Called with every state the lights are told to show. */
  onShow?: (state: LightState) => void;
}

export class PresenceLights {
  private status: LightStatus;
  private shown?: LightState;
  private deadlineTimer?: TimerHandle;
  private readonly graceMs: number;
  private readonly timers: Timers;

  constructor(
    private readonly source: PresenceSource,
    private readonly lights: LightOutput,
    private readonly log: LightLog,
    private readonly options: PresenceLightsOptions = {},
  ) {
    this.graceMs = options.graceMs ?? OFFLINE_GRACE_MS;
    this.timers = options.timers ?? systemTimers;
    this.status = initialLightStatus(Date.now());
  }

  async start(): Promise<void> {
    this.status = initialLightStatus(Date.now());
    this.render();
    await this.lights.start();
    this.source.start({
      presence: (presence) => this.apply({ type: 'presence', presence }),
      connected: () => undefined, // the light changes when the first presence arrives
      disconnected: () => this.apply({ type: 'disconnected', at: Date.now() }),
    });
    this.armDeadline();
  }

  /** Leaves every light off. */
  async stop(): Promise<void> {
    this.timers.clearTimeout(this.deadlineTimer);
    this.source.stop();
    await this.lights.stop();
    this.shown = OFF;
    this.options.onShow?.(OFF);
  }

  private apply(event: LightStatusEvent): void {
    this.status = nextLightStatus(this.status, event);
    this.render();
    this.armDeadline();
  }

  /** Re-renders when the offline grace runs out, so the light leaves green without any event. */
  private armDeadline(): void {
    this.timers.clearTimeout(this.deadlineTimer);
    const deadline = nextDeadline(this.status, this.graceMs);
    if (deadline === null) return;
    this.deadlineTimer = this.timers.setTimeout(() => this.render(), Math.max(0, deadline - Date.now()));
  }

  private render(): void {
    const next = shownLight(this.status, Date.now(), this.graceMs);
    if (this.shown && sameLightState(this.shown, next)) return;
    this.log.info({ light: describeLightState(next), reason: this.status.presence?.reason ?? null, live: this.status.downSince === null }, 'light');
    this.shown = next;
    this.lights.show(next);
    this.options.onShow?.(next);
  }
}
