// The presence the dashboard tab already receives (AgentLiveProvider's `presence` push and the
// socket's connection state), handed to PresenceLights as its PresenceSource. It remembers the
// latest of both, so lights that start later still get the current presence at once.
import type { PresenceEvents, PresenceSource } from '@leadline/busylight';
import type { Presence } from '@leadline/contracts';

export class TabPresenceSource implements PresenceSource {
  private events?: PresenceEvents;
  private latest: Presence | null = null;
  private live = false;

  start(events: PresenceEvents): void {
    this.events = events;
    if (this.live && this.latest) events.presence(this.latest);
    else events.disconnected('not connected');
  }

  stop(): void {
    this.events = undefined;
  }

  /** A presence the server pushed on the live connection. */
  presence(presence: Presence): void {
    this.latest = presence;
    this.live = true;
    this.events?.presence(presence);
  }

  /** The tab's socket is down (or never came up). */
  disconnected(reason: string): void {
    this.live = false;
    this.events?.disconnected(reason);
  }
}
