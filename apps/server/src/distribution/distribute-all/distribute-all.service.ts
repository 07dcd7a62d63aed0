import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { LeadClaimAck, LeadOfferSummary } from '@leadline/contracts';
import { eligibleAgents, FAILURE_REASONS } from '@leadline/domain';
import { AuthUser } from '../../auth/auth-user';
import { DomainError, ErrorCode } from '../../common/domain-error';
import { isUuid } from '../../common/uuid';
import { DbContext } from '../../database/db-context';
import { LeadEvents } from '../../events/lead-events';
import { ProspectsService } from '../../leads/prospects.service';
import { LeadNotifier } from '../../realtime/lead-notifier';
import { RealtimeGateway, SocketSession } from '../../realtime/realtime.gateway';
import { DistributionFailures } from '../distribution-failures.service';
import { DistributionContext } from '../distribution.repository';
import { toEligibilityAgent } from '../../users/eligibility.mapper';
import { LeadOfferRepository } from './lead-offer.repository';

/** How often every instance looks for offers whose time is up (a backstop for the local timer). */
export const OFFER_SWEEP_MS = 2_000;
/** Closed offers are kept this long (a late claim hears "taken", not "not offered"), then deleted. */
const CLOSED_OFFER_KEEP_MS = 24 * 3600_000;
const PRUNE_EVERY_MS = 3600_000;
/** How long a process answers later claims of a lead it saw taken without asking the database. */
const TAKEN_MEMORY_MS = 60_000;

/**
 * Distribute All: every eligible agent gets a live New Lead offer; the first claim wins (decided
 * by the guarded assignment in the database); the others see it vanish. No claim within the
 * campaign's offer timeout → lead exception.
 *
 * Offers live in the database (lead_offer), not in this process, so any server instance can hand
 * an open offer to an agent who connects to it, accept a claim for it and expire it, and a
 * restart keeps them. Expiry: the instance that made the offer sets a timer, and every instance
 * sweeps for overdue offers; both go through the guarded distributing → exception update, so
 * exactly one exception is filed, even when the offering instance died. Whoever settles the
 * prospect (claim, manager assignment, expiry) closes the offer row, guarded, and that one
 * tells the agents — through socket.io rooms, which span every instance with REDIS_URL.
 */
@Injectable()
export class DistributeAllService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(DistributeAllService.name);
  /** Expiry timers of the offers this instance made (precise; the sweep is the backstop). */
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private sweeper?: NodeJS.Timeout;
  private sweeping = false;
  private prunedAt = 0;
  /** The claim of each lead being decided now: later claims of it wait for it (see claim()). */
  private readonly claiming = new Map<string, Promise<unknown>>();
  /** Leads this process saw taken lately: the claims queued behind the winner skip the database. */
  private readonly taken = new Map<string, number>();

  constructor(
    private readonly gateway: RealtimeGateway,
    private readonly notifier: LeadNotifier,
    private readonly prospects: ProspectsService,
    private readonly failures: DistributionFailures,
    private readonly events: LeadEvents,
    private readonly db: DbContext,
    private readonly offers: LeadOfferRepository,
  ) {}

  onModuleInit(): void {
    this.gateway.onConnect((session) => this.agentConnected(session));
    this.gateway.onClaim((user, prospectId) => this.claim(user, prospectId));
    // Claimed, or assigned some other way (by a manager) while offered: the others see it taken. A
    // default agent is assigned only after the lead failed, and its event may close the offer before
    // the failure's own does: then too the offer expired.
    this.events.on('prospect.assigned', ({ prospectId, agentId, via }) =>
      this.settled(prospectId, (agents) => (via === 'default_agent' ? this.notifier.expired(agents, prospectId) : this.notifier.taken(agents.filter((id) => id !== agentId), prospectId))),
    );
    this.events.on('prospect.exception', ({ prospectId }) => this.settled(prospectId, (agents) => this.notifier.expired(agents, prospectId)));
    this.sweeper = setInterval(() => void this.sweep(), OFFER_SWEEP_MS);
    this.sweeper.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
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
    // Written before anyone hears of it: a claim arriving at any instance finds it.
    await this.offers.create({ prospectId: prospect.id, orgId: ctx.org.id, summary, eligible: ids, expiresAt });
    this.timers.set(prospect.id, setTimeout(() => void this.expire(prospect.id), campaign.offerTimeoutSeconds * 1000));
    this.notifier.offer(ids, summary);
    this.logger.log(`prospect ${prospect.id}: offered to ${ids.length} agent(s) for ${campaign.offerTimeoutSeconds}s`);
  }

  /** An eligible agent who connects (to any instance) while an offer is open gets it too. */
  private agentConnected(session: SocketSession): void {
    if (session.kind !== 'user') return;
    const { id, orgId } = session.user;
    this.offers.openIn(orgId, new Date()).then(
      (open) => {
        for (const offer of open) if (offer.eligible.includes(id)) session.send('lead:offer', offer.summary);
      },
      (err: unknown) => this.logger.error(`open offers for ${id}: ${err instanceof Error ? err.stack : String(err)}`),
    );
  }

  async claim(user: AuthUser, prospectId: unknown): Promise<LeadClaimAck> {
    if (typeof prospectId !== 'string' || !isUuid(prospectId)) return { ok: false, reason: 'invalid' };
    // Claims of one lead are decided one after another in this process: once one has won, the
    // rest are answered from memory instead of each queueing for the database (200 agents
    // pressing at once cost seconds on PostgreSQL). The guarded update stays the arbiter between
    // processes and instances.
    const mine = (this.claiming.get(prospectId) ?? Promise.resolve()).then(() => this.decideClaim(user, prospectId));
    const settled = mine.catch(() => undefined);
    this.claiming.set(prospectId, settled);
    void settled.then(() => {
      if (this.claiming.get(prospectId) === settled) this.claiming.delete(prospectId);
    });
    return mine;
  }

  private async decideClaim(user: AuthUser, prospectId: string): Promise<LeadClaimAck> {
    if (this.taken.has(prospectId)) return { ok: false, reason: 'taken' };
    const offer = await this.offers.get(prospectId);
    if (!offer || offer.orgId !== user.orgId || !offer.eligible.includes(user.id)) return { ok: false, reason: 'not_offered' };
    if (offer.closedAt || offer.expiresAt.getTime() <= Date.now()) return { ok: false, reason: 'taken' };
    try {
      // The database decides: of any number of claims, on any instance, exactly one moves the
      // prospect out of `distributing`. The others are told by the prospect.assigned listener.
      const { applicationId } = await this.db.run(() => this.prospects.assign(offer.orgId, prospectId, user.id, 'distribute_all', null));
      this.rememberTaken(prospectId);
      return { ok: true, applicationId };
    } catch (err) {
      if (err instanceof DomainError && err.code === ErrorCode.LeadAlreadyAssigned) {
        this.rememberTaken(prospectId);
        return { ok: false, reason: 'taken' };
      }
      throw err;
    }
  }

  private rememberTaken(prospectId: string): void {
    const now = Date.now();
    this.taken.set(prospectId, now);
    for (const [id, at] of this.taken) if (now - at > TAKEN_MEMORY_MS) this.taken.delete(id);
  }

  private async expire(prospectId: string): Promise<void> {
    this.timers.delete(prospectId);
    try {
      // Guarded: of the timer here and every instance's sweep, one files the exception; its
      // prospect.exception event closes the offer and tells the agents.
      if (await this.failures.fail(prospectId, FAILURE_REASONS.noAgentsClicked)) return;
      // No longer distributing: settled meanwhile, normally closing the offer itself; if that never
      // happened (the settling instance died before telling), close it now. It may also be the
      // expiry of another instance that won just now and has not closed the offer yet: a lead
      // that failed is told as expired, not taken.
      const offer = await this.offers.get(prospectId);
      if (!offer || offer.closedAt) return;
      const failed = (await this.db.run(() => this.prospects.get(offer.orgId, prospectId))).failureReason !== null;
      await this.settled(prospectId, (agents) => (failed ? this.notifier.expired(agents, prospectId) : this.notifier.taken(agents, prospectId)));
    } catch (err) {
      this.logger.error(`expiring the offer of ${prospectId} failed: ${err instanceof Error ? err.stack : String(err)}`);
    }
  }

  /** Closes the offer (guarded); only the caller that closed it tells the agents. */
  private async settled(prospectId: string, tell: (agentIds: string[]) => void): Promise<void> {
    clearTimeout(this.timers.get(prospectId));
    this.timers.delete(prospectId);
    const offer = await this.offers.get(prospectId);
    if (!offer || offer.closedAt) return;
    if (await this.offers.close(prospectId, new Date())) tell(offer.eligible);
  }

  private async sweep(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      for (const prospectId of await this.offers.due(new Date())) await this.expire(prospectId);
      if (Date.now() - this.prunedAt > PRUNE_EVERY_MS) {
        this.prunedAt = Date.now();
        await this.offers.prune(new Date(Date.now() - CLOSED_OFFER_KEEP_MS));
      }
    } catch (err) {
      this.logger.error(`offer sweep failed: ${err instanceof Error ? err.stack : String(err)}`);
    } finally {
      this.sweeping = false;
    }
  }
}
