import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AriLink } from './ari/ari-link';

/**
 * On every ARI link-up, channels left in our Stasis app that no call service owns (left by a
 * crash, or by a link drop that ended their calls on our side) are hung up.
 */
@Injectable()
export class ChannelReconciler implements OnApplicationBootstrap {
  private readonly logger = new Logger(ChannelReconciler.name);
  private readonly owners: ((channelId: string) => boolean)[] = [];

  constructor(private readonly ari: AriLink) {}

  /** A call service tells which channels are its own. */
  registerOwner(owns: (channelId: string) => boolean): void {
    this.owners.push(owns);
  }

  onApplicationBootstrap(): void {
    this.ari.onUp(async () => {
      await this.reconcile();
    });
  }

  async reconcile(): Promise<number> {
    const app = await this.ari.asterisk.application(this.ari.app);
    const orphans = app.channel_ids.filter((id) => !this.owners.some((owns) => owns(id)));
    for (const id of orphans) await this.ari.channels.hangup(id, 'normal');
    if (orphans.length) this.logger.warn(`hung up ${orphans.length} channel(s) left in Stasis app ${this.ari.app}`);
    return orphans.length;
  }
}
