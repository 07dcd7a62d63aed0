import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AgentReservation, FAILURE_REASONS, isStuckLead, leftoverReservations } from '@leadline/domain';
import { PeriodicTask } from '../common/periodic-task';
import { AppConfig } from '../config/app-config';
import { AgentLines } from '../telephony/agent-lines';
import { CallLegRepository } from '../telephony/call-legs.repository';
import { LeadOfferRepository } from './distribute-all/lead-offer.repository';
import { DistributionFailures } from './distribution-failures.service';
import { DistributionRepository } from './distribution.repository';
import { PICKUP_MS } from './distribution.service';

const BATCH = 200;

/**
 * Every instance, with or without Redis, every RECOVERY_SWEEP_SECONDS: leads stuck in `new` /
 * `distributing` past their deadline (their distribution, or the handling of its failure, threw)
 * become Fatal error exceptions, and agents marked on a call no open call leg explains (seen at two
 * sweeps in a row under the same reservation) are freed. Each move is one guarded update, so it
 * happens once across instances. The restart recovery (DistributionService) stays as it is: this
 * is for what goes wrong while the process keeps running.
 */
@Injectable()
export class RecoverySweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RecoverySweep.name);
  private readonly task = new PeriodicTask('recovery sweep', this.logger, () => this.pass());
  private previous: AgentReservation[] = [];

  constructor(
    private readonly config: AppConfig,
    private readonly repo: DistributionRepository,
    private readonly failures: DistributionFailures,
    private readonly offers: LeadOfferRepository,
    private readonly legs: CallLegRepository,
    private readonly lines: AgentLines,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(this.config.recovery.sweepSeconds * 1000);
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  private async pass(): Promise<void> {
    const now = new Date();
    const graceMs = 2 * this.config.recovery.sweepSeconds * 1000;
    const offered = await this.offers.openProspectIds();
    let leads = 0;
    for (const lead of await this.repo.unsettled(BATCH)) {
      if (!isStuckLead({ ...lead, offerOpen: offered.has(lead.id) }, now, graceMs, PICKUP_MS)) continue;
      const detail = lead.status === 'new' ? 'its distribution never started' : 'its distribution stopped without an outcome';
      if (await this.failures.fail(lead.id, FAILURE_REASONS.fatalError, detail, [lead.status])) leads++;
    }
    const current = await this.legs.reservationsWithoutLeg();
    let agents = 0;
    for (const r of leftoverReservations(this.previous, current)) {
      if (!(await this.legs.releaseReservation(r.agentId, r.since, now))) continue;
      this.lines.freed(r.agentId);
      agents++;
    }
    this.previous = current;
    if (leads || agents) this.logger.warn(`recovered ${leads} stuck lead(s) (now lead exceptions) and freed ${agents} agent(s) left on a call that no longer exists`);
  }
}
