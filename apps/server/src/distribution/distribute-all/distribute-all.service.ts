import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { LeadClaimAck, LeadOfferSummary } from '@leadline/contracts';
import { eligibleAgents, FAILURE_REASONS } from '@leadline/domain';
import { AuthUser } from '../../auth/auth-user';
import { DomainError, ErrorCode } from '../../common/domain-error';
import { DbContext } from '../../database/db-context';
import { LeadEvents } from '../../events/lead-events';
import { ProspectsService } from '../../leads/prospects.service';
import { LeadNotifier } from '../../realtime/lead-notifier';
import { RealtimeGateway, SocketSession } from '../../realtime/realtime.gateway';
import { DistributionFailures } from '../distribution-failures.service';
import { DistributionContext } from '../distribution.repository';
import { toEligibilityAgent } from '../eligibility.mapper';
import { isUuid } from '../../common/uuid';

interface OpenOffer {
  orgId: string;
  summary: LeadOfferSummary;
  eligible: Set<string>;
  timer: NodeJS.Timeout;
}

const CLOSED_MEMORY_MS = 10 * 60_000;

/**
 * Distribute All: every eligible agent gets a live New Lead offer; the first claim wins (decided
 * by the guarded assignment in the database); the others see it vanish. No claim within the
 * campaign's offer timeout → lead exception. Open offers live in memory: a restart turns them into
 * Fatal error exceptions (see DistributionService), never lost leads.
 */
@Injectable()
export class DistributeAllService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(DistributeAllService.name);
  private readonly offers = new Map<string, OpenOffer>();
  /** Recently closed offers, so a late claim hears "taken" rather than "not offered". */
  private readonly closed = new Map<string, number>();
  /** The claim of each lead being decided now: later claims of it wait for it (see claim()). */
  private readonly claiming = new Map<string, Promise<unknown>>();

  constructor(
    private readonly gateway: RealtimeGateway,
    private readonly notifier: LeadNotifier,
    private readonly prospects: ProspectsService,
    private readonly failures: DistributionFailures,
    private readonly events: LeadEvents,
    private readonly db: DbContext,
  ) {}

  onModuleInit(): void {
    this.gateway.onConnect((session) => this.agentConnected(session));
    this.gateway.onClaim((user, prospectId) => this.claim(user, prospectId));
    // Assigned some other way (by a manager) while offered: withdraw the offer.
    this.events.on('prospect.assigned', ({ prospectId, agentId }) => {
      const offer = this.offers.get(prospectId);
      if (offer) this.close(prospectId, offer, (others) => this.notifier.taken(others.filter((id) => id !== agentId), prospectId));
    });
  }

  onApplicationShutdown(): void {
    for (const offer of this.offers.values()) clearTimeout(offer.timer);
  }

  async start(ctx: DistributionContext): Promise<void> {
    const { prospect, campaign } = ctx;
    const group = campaign.distributionGroup;
    const lead = { propertyState: prospect.propertyState, loanPurpose: prospect.loanPurpose, loanAmount: prospect.loanAmount, leadProvider: prospect.leadProvider };
    const filters = { states: group?.filterStates ?? [], loanPurposes: group?.filterLoanPurposes ?? [], loanAmountMin: group?.filterLoanAmountMin, loanAmountMax: group?.filterLoanAmountMax };
    // Offers need no phone: every available agent who matches may click.
    const eligible = eligibleAgents(ctx.members.map((u) => toEligibilityAgent(u, true)), filters, lead, Number.MAX_SAFE_INTEGER);
    if (!eligible.length) {
      await this.failures.fail(prospect.id, FAILURE_REASONS.noAvailableAgents);
      return;
    }
    const expiresAt = new Date(Date.now() + campaign.offerTimeoutSeconds * 1000);
    const summary: LeadOfferSummary = {
      prospectId: prospect.id,
      name: [prospect.firstName, prospect.lastName].filter(Boolean).join(' '),
      state: prospect.propertyState ?? null,
      loanPurpose: prospect.loanPurpose ?? null,
      loanAmount: prospect.loanAmount ?? null,
      campaign: { id: campaign.id, name: campaign.name },
      leadProvider: prospect.leadProvider ?? null,
      expiresAt: expiresAt.toISOString(),
    };
    const ids = eligible.map((a) => a.id);
    const timer = setTimeout(() => void this.expire(prospect.id), campaign.offerTimeoutSeconds * 1000);
    this.offers.set(prospect.id, { orgId: ctx.org.id, summary, eligible: new Set(ids), timer });
    this.notifier.offer(ids, summary);
    this.logger.log(`prospect ${prospect.id}: offered to ${ids.length} agent(s) for ${campaign.offerTimeoutSeconds}s`);
  }

  /** An eligible agent who connects while an offer is open gets it too (on that socket). */
  private agentConnected(session: SocketSession): void {
    if (session.kind !== 'user') return;
    for (const offer of this.offers.values()) if (offer.eligible.has(session.user.id)) session.send('lead:offer', offer.summary);
  }

  async claim(user: AuthUser, prospectId: unknown): Promise<LeadClaimAck> {
    if (typeof prospectId !== 'string' || !isUuid(prospectId)) return { ok: false, reason: 'invalid' };
    // Claims of one lead are decided one after another in this process: once one has won, the
    // offer is closed and the rest are answered from memory instead of each queueing for the
    // database (200 agents pressing at once cost seconds on PostgreSQL). The guarded update stays
    // the arbiter between processes.
    const mine = (this.claiming.get(prospectId) ?? Promise.resolve()).then(() => this.decideClaim(user, prospectId));
    const settled = mine.catch(() => undefined);
    this.claiming.set(prospectId, settled);
    void settled.then(() => {
      if (this.claiming.get(prospectId) === settled) this.claiming.delete(prospectId);
    });
    return mine;
  }

  private async decideClaim(user: AuthUser, prospectId: string): Promise<LeadClaimAck> {
    const offer = this.offers.get(prospectId);
    if (!offer) return { ok: false, reason: this.closed.has(prospectId) ? 'taken' : 'not_offered' };
    if (!offer.eligible.has(user.id) || offer.orgId !== user.orgId) return { ok: false, reason: 'not_offered' };
    try {
      const { applicationId } = await this.db.run(() => this.prospects.assign(offer.orgId, prospectId, user.id, 'distribute_all', null));
      this.close(prospectId, offer, (others) => this.notifier.taken(others.filter((id) => id !== user.id), prospectId));
      return { ok: true, applicationId };
    } catch (err) {
      if (err instanceof DomainError && err.code === ErrorCode.LeadAlreadyAssigned) return { ok: false, reason: 'taken' };
      throw err;
    }
  }


  private async expire(prospectId: string): Promise<void> {
    const offer = this.offers.get(prospectId);
    if (!offer) return;
    this.close(prospectId, offer, (agents) => this.notifier.expired(agents, prospectId));
    await this.failures.fail(prospectId, FAILURE_REASONS.noAgentsClicked);
  }

  private close(prospectId: string, offer: OpenOffer, tell: (agentIds: string[]) => void): void {
    if (this.offers.get(prospectId) !== offer) return;
    clearTimeout(offer.timer);
    this.offers.delete(prospectId);
    const now = Date.now();
    this.closed.set(prospectId, now);
    for (const [id, at] of this.closed) if (now - at > CLOSED_MEMORY_MS) this.closed.delete(id);
    tell([...offer.eligible]);
  }
}
