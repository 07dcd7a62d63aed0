import { Injectable, Logger } from '@nestjs/common';
import type { FailureReason } from '@leadline/domain';
import { DbContext } from '../database/db-context';
import { LeadEvents } from '../events/lead-events';
import { ProspectsService } from '../leads/prospects.service';
import { DistributionRepository, UnsettledStatus } from './distribution.repository';

/**
 * The one way a distribution fails: the prospect becomes a lead exception with its reason, and
 * when the campaign names a default agent, the lead goes to that agent (the reason is kept).
 */
@Injectable()
export class DistributionFailures {
  private readonly logger = new Logger(DistributionFailures.name);

  constructor(
    private readonly repo: DistributionRepository,
    private readonly prospects: ProspectsService,
    private readonly events: LeadEvents,
    private readonly db: DbContext,
  ) {}

  /** False when the prospect was no longer distributing (or in `from`): someone took it meanwhile. */
  async fail(prospectId: string, reason: FailureReason, detail: string | null = null, from: UnsettledStatus[] = ['distributing']): Promise<boolean> {
    if (!(await this.repo.fail(prospectId, reason, detail, from))) return false;
    this.logger.log(`prospect ${prospectId} → lead exception: ${reason}${detail ? ` (${detail})` : ''}`);
    this.events.emit('prospect.exception', { prospectId, reason });
    const fallback = await this.repo.defaultAgentOf(prospectId);
    if (fallback) {
      try {
        await this.db.run(() => this.prospects.assign(fallback.orgId, prospectId, fallback.agentId, 'default_agent', null));
      } catch (err) {
        this.logger.warn(`default agent assignment of ${prospectId} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return true;
  }
}
