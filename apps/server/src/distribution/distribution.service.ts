import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { FAILURE_REASONS } from '@leadline/domain';
import { LeadEvents } from '../events/lead-events';
import { RealtimeGateway } from '../realtime/realtime.gateway';
import { RedisLink } from '../realtime/redis-link';
import { AriLink } from '../telephony/ari/ari-link';
import { CallLegRepository } from '../telephony/call-legs.repository';
import { callOwner, RecoveryScope } from '../telephony/call-owner';
import { LiveCallRepository } from '../telephony/conversation/live-call.repository';
import { DistributeAllService } from './distribute-all/distribute-all.service';
import { LeadOfferRepository } from './distribute-all/lead-offer.repository';
import { DistributionFailures } from './distribution-failures.service';
import { DistributionRepository } from './distribution.repository';
import { RingAllService } from './ring-all/ring-all.service';

/** With other instances running: how often leftovers of instances that stopped are recovered. */
export const ORPHAN_SWEEP_MS = 15_000;

/**
 * Starts the campaign's distribution for every accepted prospect, and makes sure none is lost
 * across a crash: at start, interrupted distributions become Fatal error exceptions and prospects
 * accepted but never distributed are distributed now. Open Distribute All offers are not
 * interrupted by a restart: they live in the database and expire there (DistributeAllService).
 *
 * Several instances (REDIS_URL): distributions, agent reservations and call legs carry their
 * instance (CallOwner). At start an instance recovers only rows of instances that are not
 * running (its own previous life included), and every instance looks for rows of instances that
 * stopped every ORPHAN_SWEEP_MS (an instance must be missing from two rolls in a row, with Redis
 * steady meanwhile). When not every instance answers, only its own rows are touched at start and
 * nothing in the sweep.
 */
@Injectable()
export class DistributionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DistributionService.name);
  private orphanSweep?: NodeJS.Timeout;
  private sweeping = false;
  /** Owners that answered the previous sweep: an instance must miss two in a row to count as stopped. */
  private previouslyLive: string[] = [];

  constructor(
    private readonly repo: DistributionRepository,
    private readonly ringAll: RingAllService,
    private readonly distributeAll: DistributeAllService,
    private readonly events: LeadEvents,
    private readonly ari: AriLink,
    private readonly failures: DistributionFailures,
    private readonly offers: LeadOfferRepository,
    private readonly gateway: RealtimeGateway,
    private readonly redis: RedisLink,
    private readonly legs: CallLegRepository,
    private readonly liveCalls: LiveCallRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const roll = this.gateway.instancesAtStart;
    const scope: RecoveryScope = !roll.complete ? { only: [this.repo.owner] } : roll.instances.length ? { except: roll.instances.map((i) => callOwner({ app: i.ariApp, url: i.ariUrl })) } : { all: true };
    // A round still distributing was ringing agents (or dialling its borrower) when the process
    // stopped: its legs are hung up at link-up as orphans, and the lead is an exception at once.
    await this.recover(scope, 'Server restarted while ringing');
    if (this.gateway.shared) {
      this.orphanSweep = setInterval(() => void this.recoverStoppedInstances(), ORPHAN_SWEEP_MS);
      this.orphanSweep.unref();
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

  onApplicationShutdown(): void {
    clearInterval(this.orphanSweep);
  }

  private async recover(scope: RecoveryScope, detail: string): Promise<void> {
    const now = new Date();
    const offered = await this.offers.openProspectIds();
    const interrupted = (await this.repo.interrupted(scope)).filter((id) => !offered.has(id));
    for (const id of interrupted) await this.failures.fail(id, FAILURE_REASONS.fatalError, detail);
    // Connected calls this instance left in Asterisk are taken over at link-up
    // (ConversationService.adopt): their rows and agents stay as they are.
    const keep = await this.liveCalls.adoptable();
    await this.liveCalls.dropOthers(scope);
    const released = await this.legs.releaseAgents(scope, keep);
    const closed = await this.legs.closeOpenActivities(now, scope, keep);
    if (interrupted.length || released || closed) this.logger.warn(`recovered (${describe(scope)}): ${interrupted.length} interrupted distribution(s) moved to lead exceptions, ${released} agent(s) freed, ${closed} call leg(s) closed`);
  }

  /** Rows of instances that no longer answer (only when every subscribed instance did). */
  private async recoverStoppedInstances(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      // Just after a Redis outage the instances resubscribe one by one, and a roll could miss a
      // live one: wait until the link has been steady for two sweeps.
      const link = this.redis.status;
      if (!link.connected || Date.now() - link.since.getTime() < 2 * ORPHAN_SWEEP_MS) return;
      const roll = await this.gateway.otherInstances();
      if (!roll.complete) return;
      const current = roll.instances.map((i) => callOwner({ app: i.ariApp, url: i.ariUrl }));
      const live = [this.repo.owner, ...current, ...this.previouslyLive];
      this.previouslyLive = current;
      await this.recover({ except: live }, 'the server instance running it stopped');
    } catch (err) {
      this.logger.error(`recovery of stopped instances failed: ${err instanceof Error ? err.stack : String(err)}`);
    } finally {
      this.sweeping = false;
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

function describe(scope: RecoveryScope): string {
  if ('all' in scope) return 'no other instance running';
  if ('only' in scope) return `own rows of ${scope.only.join(', ')}`;
  return `rows of instances other than ${scope.except.join(', ') || 'none'}`;
}
