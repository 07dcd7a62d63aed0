import { Injectable, Logger } from '@nestjs/common';
import { eligibleAgents, FAILURE_REASONS, onePerPhone } from '@leadline/domain';
import { randomUUID } from 'node:crypto';
import { DomainError, ErrorCode } from '../../common/domain-error';
import { waitAtMost } from '../../common/wait-at-most';
import { DbContext } from '../../database/db-context';
import { ProspectsService } from '../../leads/prospects.service';
import { agentEndpoint } from '../../telephony/agent-endpoint';
import { AgentLines } from '../../telephony/agent-lines';
import { AriLink } from '../../telephony/ari/ari-link';
import { BorrowerDialer } from '../../telephony/borrower-dialer';
import { CallLegRepository } from '../../telephony/call-legs.repository';
import { ConversationService } from '../../telephony/conversation/conversation.service';
import { LegCanceller } from '../../telephony/leg-canceller';
import { StasisRouter } from '../../telephony/stasis-router';
import { DistributionFailures } from '../distribution-failures.service';
import { DistributionContext, DistributionRepository } from '../distribution.repository';
import { toEligibilityAgent } from '../../users/eligibility.mapper';
import { RingAllDeps, RingAllRun } from './ring-all.run';

export const RING_ALL_MAX_AGENTS = 10;

/**
 * Starts ring-all rounds: picks and reserves the agents, writes the round's call and legs, and
 * hands the round to a RingAllRun, which owns its channels in the StasisRouter.
 */
@Injectable()
export class RingAllService {
  private readonly logger = new Logger(RingAllService.name);
  /** Rounds of this process not over yet (graceful stop waits for them). */
  private readonly running = new Set<RingAllRun>();

  constructor(
    private readonly ari: AriLink,
    private readonly router: StasisRouter,
    private readonly repo: DistributionRepository,
    private readonly legs: CallLegRepository,
    private readonly dialer: BorrowerDialer,
    private readonly prospects: ProspectsService,
    private readonly db: DbContext,
    private readonly failures: DistributionFailures,
    private readonly lines: AgentLines,
    private readonly conversations: ConversationService,
    private readonly canceller: LegCanceller,
  ) {}

  /**
   * Rings the eligible agents of a `new` prospect. The guarded new → distributing and the agents'
   * reservation are one commit (DistributionRepository.beginWith); nothing happens when another
   * caller started (or finished) the lead first. A lead that cannot be rung at all is filed from
   * `new`.
   */
  async start(ctx: DistributionContext): Promise<void> {
    const { prospect, campaign, org } = ctx;
    if (!this.ari.status.connected) {
      await this.failures.fail(prospect.id, FAILURE_REASONS.fatalError, 'telephony link down when the lead arrived', ['new']);
      return;
    }
    const borrowerPhone = prospect.mobilePhone ?? prospect.homePhone ?? prospect.workPhone;
    if (!borrowerPhone) {
      await this.failures.fail(prospect.id, FAILURE_REASONS.noAvailableAgents, 'the lead has no phone to connect', ['new']);
      return;
    }
    const group = campaign.distributionGroup;
    const candidates = ctx.members.map((u) => ({ ...toEligibilityAgent(u, agentEndpoint(u) !== null), user: u }));
    const lead = { propertyState: prospect.propertyState, loanPurpose: prospect.loanPurpose, loanAmount: prospect.loanAmount, leadProvider: prospect.leadProvider };
    const filters = { states: group?.filterStates ?? [], loanPurposes: group?.filterLoanPurposes ?? [], loanAmountMin: group?.filterLoanAmountMin, loanAmountMax: group?.filterLoanAmountMax };
    // Two agents sharing one work phone: that phone is rung once, for the longest idle of them.
    const picked = onePerPhone(eligibleAgents(candidates, filters, lead, Number.MAX_SAFE_INTEGER), (a) => a.user).slice(0, RING_ALL_MAX_AGENTS);
    const reservedIds = await this.repo.beginWith(prospect.id, (tx) => this.legs.reserveAgents(picked.map((a) => a.id), new Date(), tx));
    if (!reservedIds) return; // already started or assigned
    // Their presence is announced once their INVITEs are out (below), not while they go out.
    this.lines.hold(reservedIds);
    const reserved = new Set(reservedIds);
    const agents = picked.filter((a) => reserved.has(a.id));
    if (!agents.length) {
      await this.failures.fail(prospect.id, FAILURE_REASONS.noAvailableAgents, null);
      this.logger.log(`prospect ${prospect.id}: no available agents (${candidates.length} in the group)`);
      return;
    }
    const runId = randomUUID();
    const legs = agents.map((a) => ({ legId: randomUUID(), activityId: randomUUID(), agentId: a.id, agentName: a.user.name, extension: a.user.extension ?? null, endpoint: agentEndpoint(a.user)! }));
    const run = new RingAllRun(
      {
        runId,
        orgId: org.id,
        prospectId: prospect.id,
        borrowerPhone,
        agentCallerId: new Map(agents.map((a) => [a.id, a.user.callerId ?? null])),
        orgNumber: org.orgNumber ?? null,
        orgCallerId: org.callerId ?? null,
        ringTimeoutSeconds: campaign.ringTimeoutSeconds,
        legs,
      },
      this.depsFor(org.id, prospect.id),
    );
    // One commit for the call's row and every leg's, written while the phones are being rung (the
    // round's inputs wait for it: RingAllRun.start).
    const writeRows = () =>
      this.legs.openCall(
        { id: runId, orgId: org.id, kind: 'ring_all', prospectId: prospect.id },
        legs.map((l) => ({
          id: l.activityId,
          orgId: org.id,
          prospectId: prospect.id,
          callId: runId,
          direction: 'outbound' as const,
          purpose: 'ring_all_agent',
          fromNumber: org.callerId ?? null,
          toNumber: l.endpoint,
          userId: l.agentId,
          channelId: l.legId,
          callerIdReason: org.callerId ? 'org_caller_id' : 'none',
        })),
      );
    this.logger.log(`prospect ${prospect.id}: ringing ${agents.length} agent(s) for ${campaign.ringTimeoutSeconds}s`);
    this.running.add(run);
    void run.finished.then(() => this.running.delete(run));
    try {
      await run.start(writeRows);
    } finally {
      this.lines.announce(agents.map((a) => a.id));
    }
  }

  /** How many rounds of this process are still ringing (or connecting their winner). */
  get runningRounds(): number {
    return this.running.size;
  }

  /** Resolves once every round running now is over, or `timeoutMs` passed; the number left. */
  async whenIdle(timeoutMs: number): Promise<number> {
    await waitAtMost(Promise.all([...this.running].map((r) => r.finished)), timeoutMs);
    return this.running.size;
  }

  private depsFor(orgId: string, prospectId: string): RingAllDeps {
    return {
      ari: this.ari,
      router: this.router,
      repo: this.repo,
      legs: this.legs,
      dialer: this.dialer,
      claim: (agentId) => this.claim(orgId, prospectId, agentId),
      hangUpLeg: (channelId, reason) => this.canceller.hangUp(channelId, reason),
      fail: (reason, detail) => this.failures.fail(prospectId, reason, detail),
      lines: this.lines,
      conversations: this.conversations,
    };
  }

  private async claim(orgId: string, prospectId: string, agentId: string): Promise<boolean> {
    try {
      await this.db.run(() => this.prospects.claimRingAll(orgId, prospectId, agentId, new Date()));
      return true;
    } catch (err) {
      if (err instanceof DomainError && err.code === ErrorCode.LeadAlreadyAssigned) return false;
      throw err;
    }
  }
}
