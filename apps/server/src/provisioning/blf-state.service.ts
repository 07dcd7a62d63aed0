import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { blfDeviceName, blfDeviceState, PresenceState } from '@leadline/domain';
import { LeadEvents } from '../events/lead-events';
import { PresenceService } from '../presence/presence.service';
import { AriLink } from '../telephony/ari/ari-link';
import { PhoneRepository } from './phone.repository';

/** Device-state requests to Asterisk at once: a burst (200 agents' calls taken over at a link-up) must not swamp its ARI. */
const SENDERS = 4;

/**
 * Keeps each user's BLF device state in Asterisk (`Stasis:ext-<extension>`, watched by the hints of
 * asterisk-config/extensions.conf) equal to their presence: set on every presence change, and for
 * everyone at every ARI link-up (Asterisk forgets nothing across a server restart, but a restarted
 * Asterisk starts empty). States wait in a queue that keeps only the latest per extension and is
 * sent SENDERS at a time, one request per extension at a time (so a newer state never races an
 * older one to Asterisk): a burst of changes costs one request per extension, never a flood.
 */
@Injectable()
export class BlfStateService implements OnApplicationBootstrap {
  private readonly logger = new Logger(BlfStateService.name);
  /** Extension → the state still to send (the latest one). */
  private readonly pending = new Map<string, PresenceState>();
  /** Extensions with a request on its way: their next state waits for it (never two racing). */
  private readonly inFlight = new Set<string>();
  /** Senders running, and who waits for them all to finish. */
  private active = 0;
  private readonly idle: (() => void)[] = [];
  private failed = 0;

  constructor(
    private readonly ari: AriLink,
    private readonly events: LeadEvents,
    private readonly presence: PresenceService,
    private readonly phones: PhoneRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.events.on('presence.changed', ({ extension, state }) => this.changed(extension, state));
    this.ari.onUp(() => this.resync());
  }

  /** Every user of every org. */
  async resync(): Promise<void> {
    const team = await this.phones.team();
    for (const orgId of new Set(team.map((u) => u.orgId))) {
      const presence = new Map((await this.presence.orgPresence(orgId)).map((p) => [p.userId, p.state]));
      for (const user of team.filter((u) => u.orgId === orgId)) {
        const state = presence.get(user.id);
        if (state) this.queue(user.extension, state);
      }
    }
    const failedBefore = this.failed;
    await this.send();
    this.logger.log(`BLF states set for ${team.length} extension(s)${this.failed > failedBefore ? `; ${this.failed - failedBefore} request(s) failed` : ''}`);
  }

  private async changed(extension: string | null, state: PresenceState): Promise<void> {
    if (extension) this.queue(extension, state);
    await this.send();
  }

  private queue(extension: string, state: PresenceState): void {
    this.pending.delete(extension); // re-inserted last: sent after the ones waiting longer
    this.pending.set(extension, state);
  }

  /** Sends what is queued (up to SENDERS requests at once); resolves once nothing is queued or on its way. */
  private send(): Promise<void> {
    while (this.active < SENDERS && this.ready() !== undefined) {
      this.active++;
      void this.sender();
    }
    if (this.active === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** The longest-waiting extension with no request on its way. */
  private ready(): string | undefined {
    for (const extension of this.pending.keys()) if (!this.inFlight.has(extension)) return extension;
    return undefined;
  }

  private async sender(): Promise<void> {
    try {
      for (let extension = this.ready(); extension !== undefined; extension = this.ready()) {
        const state = this.pending.get(extension)!;
        this.pending.delete(extension);
        this.inFlight.add(extension);
        try {
          // In the background: a light may change a moment late, a call's setup must not (AriPriority).
          await this.ari.deviceStates.set(blfDeviceName(extension), blfDeviceState(state), 'background');
        } catch (err) {
          this.failed++;
          this.logger.warn(`BLF state of extension ${extension} not set: ${err instanceof Error ? err.message : String(err)}`);
        } finally {
          this.inFlight.delete(extension);
        }
      }
    } finally {
      this.active--;
      if (this.active === 0) this.idle.splice(0).forEach((resolve) => resolve());
    }
  }
}
