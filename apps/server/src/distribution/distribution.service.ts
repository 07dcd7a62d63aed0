import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { FAILURE_REASONS, newLeadAllowanceMs } from '@leadline/domain';
import { PeriodicTask } from '../common/periodic-task';
import { waitAtMost } from '../common/wait-at-most';
import { AppConfig } from '../config/app-config';
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
 * How often every instance looks for leads left `new` (accepted by an instance that was stopping,
 * or whose distribution threw before it started), and how old such a lead must be: younger ones
 * are still being started by the instance that accepted them.
 */
export const PICKUP_MS = 5_000;
const PICKUP_BATCH = 200;

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
 *
 * Graceful stop (SIGTERM, main.ts): stopTakingRounds() — no round starts any more (accepted leads
 * stay `new`), the rounds already ringing may end within the grace. Leads left `new` are picked up
 * by every instance every PICKUP_MS (the guarded `begin` decides who), and by the next process at
 * its start.
 */
@Injectable()
export class DistributionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DistributionService.name);
  private orphanSweep?: NodeJS.Timeout;
  private sweeping = false;
  /** Owners that answered the previous sweep: an instance must miss two in a row to count as stopped. */
  private previouslyLive: string[] = [];
  /** Set by a graceful stop: no new round from now on. */
  private stopping = false;
  /** distribute() calls between their first read and their round's start (a stop waits for them). */
  private readonly starting = new Set<Promise<void>>();
  private readonly pickup = new PeriodicTask('pickup of leads left new', this.logger, () => this.pickUpLeftLeads());

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
    private readonly config: AppConfig,
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
    this.pickup.start(PICKUP_MS);
    // Leads accepted just before a stop or a crash (whatever their age: the process was away) are
    // distributed once the telephony link is up, or fail clearly if it does not come up.
    const left = await this.repo.awaitingDistribution({ before: new Date() });
    if (left.length) {
      this.logger.warn(`${left.length} accepted lead(s) were never distributed; distributing them once the telephony link is up`);
      void this.ari
        .waitUntilUp(30_000)
        .catch(() => undefined)
        .then(() => this.distributeLeft(left));
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.orphanSweep);
    await this.pickup.stop();
  }

  /**
   * Graceful stop: from now on no round starts on this instance (a lead accepted meanwhile is
   * stored `new` and answered 2xx as always; another instance, or the next process, distributes
   * it). Waits up to `graceMs` for the rounds already started to end; returns how many did not.
   */
  async stopTakingRounds(graceMs: number): Promise<number> {
    this.stopping = true;
    const deadline = Date.now() + graceMs;
    // Rounds whose start is in flight register once started: wait for those starts first.
    await waitAtMost(Promise.all([...this.starting]), graceMs);
    return this.ringAll.whenIdle(Math.max(0, deadline - Date.now()));
  }

  /** Rounds of this instance still running (the graceful stop's log line). */
  get runningRounds(): number {
    return this.ringAll.runningRounds;
  }

  /**
   * Distributes leads left `new` for at least PICKUP_MS (their own instance was stopping, or their
   * distribution threw before it began), up to the age at which the recovery sweep files them
   * instead (so a campaign switched from `none` does not ring its old leads). `begin` is a guarded
   * update: with several instances each lead starts once. Skipped while the telephony link is down
   * (another instance, a later pass, or at last the recovery sweep takes them).
   */
  private async pickUpLeftLeads(): Promise<void> {
    if (this.stopping || !this.ari.status.connected) return;
    const now = Date.now();
    const allowanceMs = newLeadAllowanceMs(2 * this.config.recovery.sweepSeconds * 1000, PICKUP_MS);
    const left = await this.repo.awaitingDistribution({ before: new Date(now - PICKUP_MS), after: new Date(now - allowanceMs) }, PICKUP_BATCH);
    if (!left.length) return;
    this.logger.warn(`${left.length} accepted lead(s) left undistributed by the instance that accepted them; distributing them now`);
    await this.distributeLeft(left);
  }

  private async distributeLeft(ids: string[]): Promise<void> {
    for (const id of ids) {
      if (this.stopping) return;
      await this.distribute(id).catch((err: unknown) => this.logger.error(`distribution of ${id} failed: ${err instanceof Error ? err.stack : String(err)}`));
    }
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
    // Stopping: the lead stays `new` for another instance or the next process.
    if (this.stopping) return;
    const started = this.startRound(prospectId);
    this.starting.add(started);
    try {
      await started;
    } finally {
      this.starting.delete(started);
    }
  }

  private async startRound(prospectId: string): Promise<void> {
    // One read gives the campaign, its group and members; then the guarded start.
    const ctx = await this.repo.context(prospectId);
    if (!ctx || ctx.campaign.distributionType === 'none' || ctx.prospect.status !== 'new') return;
    const type = ctx.campaign.distributionType;
    try {
      switch (type) {
        case 'ring_all':
          // Moves the lead to distributing itself, in the commit that reserves its agents.
          await this.ringAll.start(ctx);
          return;
        case 'distribute_all':
          if (!(await this.repo.begin(prospectId))) return; // already started or assigned
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
