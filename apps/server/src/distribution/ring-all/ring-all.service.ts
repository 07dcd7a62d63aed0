import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { eligibleAgents, FAILURE_REASONS, onePerPhone } from '@leadline/domain';
import { randomUUID } from 'node:crypto';
import { DomainError, ErrorCode } from '../../common/domain-error';
import { DbContext } from '../../database/db-context';
import { LeadEvents } from '../../events/lead-events';
import { User } from '../../database/entities';
import { ProspectsService } from '../../leads/prospects.service';
import { AriLink } from '../../telephony/ari/ari-link';
import { isShutdownHangup } from '../../telephony/ari/ari.types';
import { ChannelReconciler } from '../../telephony/channel-reconciler';
import { DistributionFailures } from '../distribution-failures.service';
import { DistributionContext, DistributionRepository } from '../distribution.repository';
import { toEligibilityAgent } from '../eligibility.mapper';
import { PlaybackKind, RingAllRouter, RingAllRun } from './ring-all.run';

export const RING_ALL_MAX_AGENTS = 10;

/** The dial string of an agent's work phone, or null when Leadline cannot ring it. */
export function agentEndpoint(user: Pick<User, 'workPhoneType' | 'workPhone' | 'sipUsername'>): string | null {
  switch (user.workPhoneType) {
    case 'sip_desk':
    case 'static_ip':
      return user.sipUsername ? `PJSIP/${user.sipUsername}` : null;
    case 'external':
      return user.workPhone ? `PJSIP/${user.workPhone}@trunk` : null;
    case null:
    case undefined:
      return null;
    default: {
      const unreachable: never = user.workPhoneType;
      return unreachable;
    }
  }
}

/**
 * Starts ring-all rounds and routes ARI events to them by channel id and playback id (one
 * dispatcher per event type; no per-channel listeners that never get released).
 */
@Injectable()
export class RingAllService implements OnModuleInit, OnApplicationShutdown, RingAllRouter {
  private readonly logger = new Logger(RingAllService.name);
  private readonly runs = new Set<RingAllRun>();
  private readonly byChannel = new Map<string, RingAllRun>();
  private readonly byPlayback = new Map<string, { run: RingAllRun; legId: string | 'borrower'; kind: PlaybackKind }>();

  constructor(
    private readonly ari: AriLink,
    private readonly repo: DistributionRepository,
    private readonly prospects: ProspectsService,
    private readonly db: DbContext,
    private readonly failures: DistributionFailures,
    private readonly events: LeadEvents,
    private readonly reconciler: ChannelReconciler,
  ) {}

  onModuleInit(): void {
    this.ari.on('StasisStart', (e) => {
      const run = this.byChannel.get(e.channel.id);
      if (!run) return;
      if (e.channel.id === run.borrowerChannelId) run.feed({ type: 'borrowerAnswered' });
      else run.feed({ type: 'legAnswered', legId: e.channel.id });
    });
    this.ari.on('ChannelDtmfReceived', (e) => {
      this.byChannel.get(e.channel.id)?.feed({ type: 'digit', legId: e.channel.id, digit: e.digit });
    });
    this.ari.on('ChannelHangupRequest', (e) => {
      if (isShutdownHangup(e)) this.byChannel.get(e.channel.id)?.asteriskShuttingDown(e.channel.id);
    });
    this.ari.on('ChannelDestroyed', (e) => {
      const run = this.byChannel.get(e.channel.id);
      if (!run) return;
      this.byChannel.delete(e.channel.id);
      run.channelEnded(e.channel.id, e.cause);
    });
    this.ari.on('PlaybackFinished', (e) => {
      const tracked = this.byPlayback.get(e.playback.id);
      if (!tracked) return;
      this.byPlayback.delete(e.playback.id);
      tracked.run.playbackFinished(tracked.legId, tracked.kind);
    });
    this.ari.onDown((status) => {
      // Asterisk keeps no events for us while we are away: every round in flight ends as Fatal error.
      for (const run of this.runs) run.feed({ type: 'linkLost', detail: `telephony link lost: ${status.lastError ?? 'unknown'}` });
    });
    this.reconciler.registerOwner((channelId) => this.byChannel.has(channelId));
  }

  async onApplicationShutdown(): Promise<void> {
    for (const run of this.runs) run.feed({ type: 'linkLost', detail: 'server shutting down' });
    await Promise.all([...this.runs].map((r) => r.settled()));
  }

  /** Rings the eligible agents of a prospect already moved to `distributing`. */
  async start(ctx: DistributionContext): Promise<void> {
    const { prospect, campaign, org } = ctx;
    if (!this.ari.status.connected) {
      await this.failures.fail(prospect.id, FAILURE_REASONS.fatalError, 'telephony link down when the lead arrived');
      return;
    }
    const borrowerPhone = prospect.mobilePhone ?? prospect.homePhone ?? prospect.workPhone;
    const group = campaign.distributionGroup;
    const candidates = ctx.members.map((u) => ({ ...toEligibilityAgent(u, agentEndpoint(u) !== null), user: u }));
    const lead = { propertyState: prospect.propertyState, loanPurpose: prospect.loanPurpose, loanAmount: prospect.loanAmount, leadProvider: prospect.leadProvider };
    const filters = { states: group?.filterStates ?? [], loanPurposes: group?.filterLoanPurposes ?? [], loanAmountMin: group?.filterLoanAmountMin, loanAmountMax: group?.filterLoanAmountMax };
    // Two agents sharing one work phone: that phone is rung once, for the longest idle of them.
    const picked = onePerPhone(eligibleAgents(candidates, filters, lead, Number.MAX_SAFE_INTEGER), (a) => a.user).slice(0, RING_ALL_MAX_AGENTS);
    const reserved = new Set(await this.repo.reserveAgents(picked.map((a) => a.id), new Date()));
    const agents = picked.filter((a) => reserved.has(a.id));
    for (const id of reserved) this.agentChanged(id);
    if (!agents.length || !borrowerPhone) {
      await this.failures.fail(prospect.id, FAILURE_REASONS.noAvailableAgents, borrowerPhone ? null : 'the lead has no phone to connect');
      this.logger.log(`prospect ${prospect.id}: no available agents (${candidates.length} in the group)`);
      return;
    }
    let run: RingAllRun;
    try {
      // One commit for every leg's row: the rows exist before any event of theirs can arrive.
      const planned = agents.map((a) => ({ legId: randomUUID(), agentId: a.id, endpoint: agentEndpoint(a.user)! }));
      const activityIds = await this.repo.openActivities(
        planned.map((l) => ({
          orgId: org.id,
          prospectId: prospect.id,
          direction: 'outbound' as const,
          purpose: 'ring_all_agent',
          fromNumber: org.callerId ?? null,
          toNumber: l.endpoint,
          userId: l.agentId,
          channelId: l.legId,
          callerIdReason: org.callerId ? 'org_caller_id' : 'none',
        })),
      );
      const legs = planned.map((l, i) => ({ ...l, activityId: activityIds[i] }));
      run = new RingAllRun(
        {
          runId: randomUUID(),
          orgId: org.id,
          prospectId: prospect.id,
          borrowerPhone,
          agentCallerId: new Map(agents.map((a) => [a.id, a.user.callerId ?? null])),
          orgNumber: org.orgNumber ?? null,
          orgCallerId: org.callerId ?? null,
          ringTimeoutSeconds: campaign.ringTimeoutSeconds,
          legs,
        },
        this.ari,
        this.repo,
        (agentId) => this.claim(org.id, prospect.id, agentId),
        (reason, detail) => this.failures.fail(prospect.id, reason, detail),
        this,
      );
    } catch (err) {
      // Nothing rings yet: give the agents back before the failure is filed.
      for (const a of agents) await this.repo.releaseAgent(a.id, new Date());
      for (const a of agents) this.agentChanged(a.id);
      throw err;
    }
    this.runs.add(run);
    this.logger.log(`prospect ${prospect.id}: ringing ${agents.length} agent(s) for ${campaign.ringTimeoutSeconds}s`);
    await run.start();
  }

  trackChannel(channelId: string, run: RingAllRun): void {
    this.byChannel.set(channelId, run);
  }

  trackPlayback(playbackId: string, run: RingAllRun, legId: string | 'borrower', kind: PlaybackKind): void {
    this.byPlayback.set(playbackId, { run, legId, kind });
  }

  agentChanged(agentId: string): void {
    this.events.emit('agent.changed', { userId: agentId });
  }

  finished(run: RingAllRun): void {
    this.runs.delete(run);
    for (const [id, r] of this.byChannel) if (r === run) this.byChannel.delete(id);
    for (const [id, p] of this.byPlayback) if (p.run === run) this.byPlayback.delete(id);
  }

  private async claim(orgId: string, prospectId: string, agentId: string): Promise<boolean> {
    try {
      await this.db.run(() => this.prospects.assign(orgId, prospectId, agentId, 'ring_all', null));
      return true;
    } catch (err) {
      if (err instanceof DomainError && err.code === ErrorCode.LeadAlreadyAssigned) return false;
      throw err;
    }
  }
}
