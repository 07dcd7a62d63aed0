import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { FAILURE_REASONS } from '@leadline/domain';
import { LeadEvents } from '../events/lead-events';
import { AriLink } from '../telephony/ari/ari-link';
import { DistributeAllService } from './distribute-all/distribute-all.service';
import { DistributionFailures } from './distribution-failures.service';
import { DistributionRepository } from './distribution.repository';
import { RingAllService } from './ring-all/ring-all.service';

/**
 * Starts the campaign's distribution for every accepted prospect, and makes sure none is lost
 * across a crash: at start, interrupted distributions become Fatal error exceptions and prospects
 * accepted but never distributed are distributed now.
 */
@Injectable()
export class DistributionService implements OnApplicationBootstrap {
  private readonly logger = new Logger(DistributionService.name);

  constructor(
    private readonly repo: DistributionRepository,
    private readonly ringAll: RingAllService,
    private readonly distributeAll: DistributeAllService,
    private readonly events: LeadEvents,
    private readonly ari: AriLink,
    private readonly failures: DistributionFailures,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const now = new Date();
    const interrupted = await this.repo.interrupted();
    for (const id of interrupted) await this.failures.fail(id, FAILURE_REASONS.fatalError, 'the server stopped during the distribution');
    const released = await this.repo.releaseAllAgents();
    await this.repo.closeOpenActivities(now);
    if (interrupted.length || released) this.logger.warn(`recovered after a stop: ${interrupted.length} interrupted distribution(s) moved to lead exceptions, ${released} agent(s) freed`);
    // A `none` campaign's lead stays unassigned: no read at all on that hot path.
    this.events.on('prospect.accepted', ({ prospectId, distributionType }) => (distributionType === 'none' ? undefined : this.distribute(prospectId)));
    // Leads accepted just before a crash are distributed once the telephony link is up (or fail
    // clearly if it does not come up).
    const pending = await this.repo.awaitingDistribution();
    if (pending.length) {
      this.logger.warn(`${pending.length} accepted lead(s) were never distributed; distributing them now`);
      void this.ari
        .waitUntilUp(30_000)
        .catch(() => undefined)
        .then(async () => {
          for (const id of pending) await this.distribute(id);
        });
    }
  }

  async distribute(prospectId: string): Promise<void> {
    // One read gives the campaign, its group and members; then the guarded start.
    const ctx = await this.repo.context(prospectId);
    if (!ctx || ctx.campaign.distributionType === 'none' || ctx.prospect.status !== 'new') return;
    if (!(await this.repo.begin(prospectId))) return; // already started or assigned
    const type = ctx.campaign.distributionType;
    try {
      switch (type) {
        case 'ring_all':
          await this.ringAll.start(ctx);
          return;
        case 'distribute_all':
          await this.distributeAll.start(ctx);
          return;
        default: {
          const unreachable: never = type;
          throw new Error(`unknown distribution type ${String(unreachable)}`);
        }
      }
    } catch (err) {
      this.logger.error(`distribution of ${prospectId} failed: ${err instanceof Error ? err.stack : String(err)}`);
      await this.failures.fail(prospectId, FAILURE_REASONS.fatalError, err instanceof Error ? err.message : String(err));
    }
  }
}
