import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { FAILURE_REASONS } from '@leadline/domain';
import { LeadEvents } from '../events/lead-events';
import { RealtimeGateway } from '../realtime/realtime.gateway';
import { AriLink } from '../telephony/ari/ari-link';
import { DistributeAllService } from './distribute-all/distribute-all.service';
import { LeadOfferRepository } from './distribute-all/lead-offer.repository';
import { DistributionFailures } from './distribution-failures.service';
import { DistributionRepository } from './distribution.repository';
import { RingAllService } from './ring-all/ring-all.service';

/**
 * Starts the campaign's distribution for every accepted prospect, and makes sure none is lost
 * across a crash: at start, interrupted distributions become Fatal error exceptions and prospects
 * accepted but never distributed are distributed now. Open Distribute All offers are not
 * interrupted by a restart: they live in the database and expire there (DistributeAllService).
 *
 * Several instances (REDIS_URL): the crash recovery assumes no other process is distributing.
 * When another instance answers at start, this one leaves `distributing` prospects, reserved
 * agents and open call legs alone (they may be that instance's live rounds) — see docs/scale-out.md.
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
    private readonly offers: LeadOfferRepository,
    private readonly gateway: RealtimeGateway,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const others = this.gateway.instancesAtStart;
    if (others.length) {
      this.logger.warn(`${others.length} other instance(s) running: skipping the crash recovery of distributions, agents and call legs (it could end their live rounds)`);
    } else {
      await this.recover();
    }
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

  private async recover(): Promise<void> {
    const now = new Date();
    const offered = await this.offers.openProspectIds();
    const interrupted = (await this.repo.interrupted()).filter((id) => !offered.has(id));
    for (const id of interrupted) await this.failures.fail(id, FAILURE_REASONS.fatalError, 'the server stopped during the distribution');
    const released = await this.repo.releaseAllAgents();
    await this.repo.closeOpenActivities(now);
    if (interrupted.length || released) this.logger.warn(`recovered after a stop: ${interrupted.length} interrupted distribution(s) moved to lead exceptions, ${released} agent(s) freed`);
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
