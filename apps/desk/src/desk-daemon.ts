// The desk daemon: presence from the server in, one light state out to every light on this PC.
import { LightState, describeLightState, sameLightState } from '@leadline/busylight';
import type { Logger } from 'pino';
import { DeskEvent, DeskStatus, OFFLINE_GRACE_MS, deskLight, initialDeskStatus, nextDeadline, nextDeskStatus } from './desk-status.util';
import type { PresenceSource } from './presence-source';

/** What the daemon needs from the lights (LightFleet). */
export interface LightOutput {
  start(): Promise<void>;
  show(state: LightState): void;
  stop(): Promise<void>;
}

export class DeskDaemon {
  private status: DeskStatus;
  private shown?: LightState;
  private deadlineTimer?: NodeJS.Timeout;

  constructor(
    private readonly source: PresenceSource,
    private readonly lights: LightOutput,
    private readonly log: Logger,
    private readonly graceMs = OFFLINE_GRACE_MS,
  ) {
    this.status = initialDeskStatus(Date.now());
  }

  async start(): Promise<void> {
    this.status = initialDeskStatus(Date.now());
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
    clearTimeout(this.deadlineTimer);
    this.source.stop();
    await this.lights.stop();
  }

  private apply(event: DeskEvent): void {
    this.status = nextDeskStatus(this.status, event);
    this.render();
    this.armDeadline();
  }

  /** Re-renders when the offline grace runs out, so the light leaves green without any event. */
  private armDeadline(): void {
    clearTimeout(this.deadlineTimer);
    const deadline = nextDeadline(this.status, this.graceMs);
    if (deadline === null) return;
    this.deadlineTimer = setTimeout(() => this.render(), Math.max(0, deadline - Date.now()));
  }

  private render(): void {
    const next = deskLight(this.status, Date.now(), this.graceMs);
    if (this.shown && sameLightState(this.shown, next)) return;
    this.log.info({ light: describeLightState(next), reason: this.status.presence?.reason ?? null, live: this.status.downSince === null }, 'light');
    this.shown = next;
    this.lights.show(next);
  }
}
