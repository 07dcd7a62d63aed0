import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { blfDeviceName, blfDeviceState } from '@leadline/domain';
import { LeadEvents } from '../events/lead-events';
import { PresenceService } from '../presence/presence.service';
import { AriLink } from '../telephony/ari/ari-link';
import { PhoneRepository } from './phone.repository';

/**
 * Keeps each user's BLF device state in Asterisk (`Stasis:ext-<extension>`, watched by the hints of
 * asterisk-config/extensions.conf) equal to their presence: set on every presence change, and for
 * everyone at every ARI link-up (Asterisk forgets nothing across a server restart, but a restarted
 * Asterisk starts empty).
 */
@Injectable()
export class BlfStateService implements OnApplicationBootstrap {
  private readonly logger = new Logger(BlfStateService.name);

  constructor(
    private readonly ari: AriLink,
    private readonly events: LeadEvents,
    private readonly presence: PresenceService,
    private readonly phones: PhoneRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.events.on('presence.changed', ({ userId, orgId }) => this.push(orgId, userId));
    this.ari.onUp(() => this.resync());
  }

  /** Every user of every org. */
  async resync(): Promise<void> {
    const orgs = new Set((await this.phones.team()).map((u) => u.orgId));
    for (const orgId of orgs) await this.push(orgId);
  }

  /** The device states of an org's users (or of one of them) from their presence. */
  private async push(orgId: string, onlyUserId?: string): Promise<void> {
    const team = (await this.phones.team(orgId)).filter((u) => !onlyUserId || u.id === onlyUserId);
    if (!team.length) return;
    const presence = new Map((await this.presence.orgPresence(orgId)).map((p) => [p.userId, p.state]));
    let failed = 0;
    for (const user of team) {
      const state = presence.get(user.id);
      if (!state) continue;
      try {
        await this.ari.deviceStates.set(blfDeviceName(user.extension), blfDeviceState(state));
      } catch (err) {
        failed++;
        this.logger.warn(`BLF state of extension ${user.extension} not set: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    if (!onlyUserId) this.logger.log(`BLF states set for ${team.length - failed} of ${team.length} extension(s)`);
  }
}
