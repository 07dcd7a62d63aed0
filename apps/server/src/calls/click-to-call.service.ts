import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { chooseBorrowerCallerId, clickToCallRefusal, normalizePhone } from '@leadline/domain';
import { randomUUID } from 'node:crypto';
import { AuthUser } from '../auth/auth-user';
import { DomainError, ErrorCode, notFound, validationFailed } from '../common/domain-error';
import { DistributionRepository } from '../distribution/distribution.repository';
import { agentEndpoint } from '../distribution/ring-all/ring-all.service';
import { LeadEvents } from '../events/lead-events';
import { AriLink } from '../telephony/ari/ari-link';
import { AriHttpError } from '../telephony/ari/ari-http.client';
import { ChannelReconciler } from '../telephony/channel-reconciler';
import { CallsRepository, ProspectWithOwner } from './calls.repository';
import { ClickToCallView, StartCallDto } from './calls.dto';
import { AgentFirstCallKind, AgentFirstCallObserver, ClickToCallHost, ClickToCallRun } from './click-to-call.run';

export interface Borrower {
  phone: string;
  name: string | null;
  prospectId: string | null;
}

/** An agent-first call another feature places (dial mode). */
export interface AgentFirstCallRequest {
  orgId: string;
  agentId: string;
  borrower: Borrower;
  kind: AgentFirstCallKind;
  observer?: AgentFirstCallObserver;
}

// Call-activity purpose of the agent's leg, per kind.
const AGENT_LEG_PURPOSE: Record<AgentFirstCallKind, string> = { click_to_call: 'click_to_call_agent', dial_mode: 'dial_mode_operator' };

const telephonyUnavailable = () => new DomainError(ErrorCode.TelephonyUnavailable, 'Telephony (Asterisk) is unavailable; try again shortly');

/**
 * Click-to-call: rings the agent's work phone, then the borrower with the caller ID of
 * chooseBorrowerCallerId, bridged and recorded. Routes ARI events to its calls by channel id
 * (one dispatcher per event type, our own Map). Dial mode places its calls through `place`.
 */
@Injectable()
export class ClickToCallService implements OnModuleInit, OnApplicationShutdown, ClickToCallHost {
  private readonly logger = new Logger(ClickToCallService.name);
  private readonly calls = new Set<ClickToCallRun>();
  private readonly byChannel = new Map<string, ClickToCallRun>();

  constructor(
    private readonly ari: AriLink,
    private readonly repo: CallsRepository,
    private readonly distribution: DistributionRepository,
    private readonly events: LeadEvents,
    private readonly reconciler: ChannelReconciler,
  ) {}

  onModuleInit(): void {
    this.ari.on('StasisStart', (e) => this.byChannel.get(e.channel.id)?.channelAnswered(e.channel.id));
    this.ari.on('ChannelDestroyed', (e) => {
      const call = this.byChannel.get(e.channel.id);
      if (!call) return;
      this.byChannel.delete(e.channel.id);
      call.channelEnded(e.channel.id, e.cause);
    });
    this.ari.onDown((status) => {
      for (const call of this.calls) call.feed({ type: 'linkLost', detail: `telephony link lost: ${status.lastError ?? 'unknown'}` });
    });
    this.reconciler.registerOwner((channelId) => this.byChannel.has(channelId));
  }

  async onApplicationShutdown(): Promise<void> {
    for (const call of this.calls) call.feed({ type: 'linkLost', detail: 'server shutting down' });
    await Promise.all([...this.calls].map((c) => c.settled()));
  }

  /** Places a call for the logged-in user; answers once their phone is ringing. */
  async start(me: AuthUser, dto: StartCallDto): Promise<ClickToCallView> {
    const borrower = await this.borrowerOf(me, dto);
    return this.place({ orgId: me.orgId, agentId: me.id, borrower, kind: 'click_to_call' });
  }

  /**
   * Rings the agent's work phone, then the borrower; answers once the agent's phone is ringing.
   * Throws AGENT_UNAVAILABLE / TELEPHONY_UNAVAILABLE when nothing could be started.
   */
  async place(request: AgentFirstCallRequest): Promise<ClickToCallView> {
    const { borrower, orgId } = request;
    const agent = await this.repo.user(orgId, request.agentId);
    if (!agent) throw notFound(ErrorCode.UserNotFound, 'User', request.agentId);
    const endpoint = agentEndpoint(agent);
    const refusal = clickToCallRefusal({ loggedIn: agent.loggedIn, callsOn: agent.callsOn, onCall: !!agent.onCallSince, reachable: endpoint !== null });
    if (refusal) throw new DomainError(ErrorCode.AgentUnavailable, refusal);
    if (!this.ari.status.connected) throw telephonyUnavailable();
    // Guarded like a ring-all round: never two calls for one agent.
    const now = new Date();
    if (!(await this.distribution.reserveAgents([agent.id], now)).length) throw new DomainError(ErrorCode.AgentUnavailable, 'You are already on a call');
    this.agentChanged(agent.id);

    let call: ClickToCallRun;
    try {
      const org = await this.repo.org(orgId);
      const callerId = chooseBorrowerCallerId({
        borrowerPhone: borrower.phone,
        localPresence: await this.distribution.localPresence(orgId, now),
        agentCallerId: agent.callerId ?? null,
        orgNumber: org.orgNumber ?? null,
      });
      const agentLegId = randomUUID();
      const agentActivityId = await this.distribution.openActivity({
        orgId,
        prospectId: borrower.prospectId,
        direction: 'outbound',
        purpose: AGENT_LEG_PURPOSE[request.kind],
        fromNumber: borrower.phone,
        toNumber: endpoint,
        userId: agent.id,
        channelId: agentLegId,
        callerIdReason: 'borrower_number',
      });
      call = new ClickToCallRun(
        {
          callId: randomUUID(),
          kind: request.kind,
          orgId,
          agentId: agent.id,
          prospectId: borrower.prospectId,
          agentEndpoint: endpoint!,
          agentLegId,
          agentActivityId,
          borrowerPhone: borrower.phone,
          borrowerName: borrower.name,
          callerId,
          observer: request.observer,
        },
        this.ari,
        this.distribution,
        this,
      );
    } catch (err) {
      // Nothing rings yet: give the agent back.
      await this.distribution.releaseAgent(agent.id, new Date());
      this.agentChanged(agent.id);
      throw err;
    }
    this.calls.add(call);
    try {
      await call.start();
    } catch (err) {
      // The call has ended itself (agent released, legs closed as failed).
      this.logger.warn(`${request.kind} by ${agent.id}: could not ring ${endpoint}: ${err instanceof Error ? err.message : String(err)}`);
      if (err instanceof AriHttpError) throw new DomainError(ErrorCode.AgentUnavailable, 'Your work phone could not be rung (a desk phone must be registered); check it and try again');
      throw telephonyUnavailable();
    }
    this.logger.log(`${request.kind} ${call.plan.callId}: ringing ${agent.id} at ${endpoint} to call ${borrower.phone}`);
    return { callId: call.plan.callId, status: 'ringing_agent', to: borrower.phone, prospectId: borrower.prospectId, callerId: { number: call.plan.callerId.number, reason: call.plan.callerId.reason } };
  }

  trackChannel(channelId: string, call: ClickToCallRun): void {
    this.byChannel.set(channelId, call);
  }

  finished(call: ClickToCallRun): void {
    this.calls.delete(call);
    for (const [id, c] of this.byChannel) if (c === call) this.byChannel.delete(id);
    call.plan.observer?.finished?.(call.summary());
  }

  agentChanged(agentId: string): void {
    this.events.emit('agent.changed', { userId: agentId });
  }

  /** Whom to call. An agent may call only the leads assigned to them (others: 404, as elsewhere). */
  private async borrowerOf(me: AuthUser, dto: StartCallDto): Promise<Borrower> {
    const given = [dto.applicationId, dto.prospectId, dto.phone].filter((v) => v !== undefined).length;
    if (given !== 1) throw validationFailed([{ field: 'applicationId', message: 'give exactly one of applicationId, prospectId or phone' }]);
    if (dto.phone !== undefined) {
      const phone = normalizePhone(dto.phone);
      if (!phone) throw validationFailed([{ field: 'phone', message: 'must be a valid phone number' }]);
      const match = await this.repo.prospectByPhone(me.orgId, phone);
      const visible = match && (me.role !== 'agent' || match.primaryAgentId === me.id);
      return { phone, name: visible ? nameOf(match) : null, prospectId: visible ? match.prospect.id : null };
    }
    const found = dto.applicationId ? await this.repo.application(me.orgId, dto.applicationId) : await this.repo.prospect(me.orgId, dto.prospectId!);
    if (!found || (me.role === 'agent' && found.primaryAgentId !== me.id)) {
      throw dto.applicationId ? notFound(ErrorCode.ApplicationNotFound, 'Application', dto.applicationId) : notFound(ErrorCode.ProspectNotFound, 'Prospect', dto.prospectId!);
    }
    const p = found.prospect;
    const phone = p.mobilePhone ?? p.homePhone ?? p.workPhone;
    if (!phone) throw new DomainError(ErrorCode.Conflict, 'This lead has no phone number to call');
    return { phone, name: nameOf(found), prospectId: p.id };
  }
}

function nameOf({ prospect }: ProspectWithOwner): string | null {
  return [prospect.firstName, prospect.lastName].filter(Boolean).join(' ') || null;
}
