import { Injectable, Logger } from '@nestjs/common';
import { checkDialling, clickToCallDialRefusal, clickToCallRefusal, DiallingPolicy, normalizePhone } from '@leadline/domain';
import { randomUUID } from 'node:crypto';
import { AuthUser } from '../auth/auth-user';
import { DomainError, ErrorCode, notFound, validationFailed } from '../common/domain-error';
import { diallingPolicyOf } from '../org/org.service';
import { agentEndpoint } from '../telephony/agent-endpoint';
import { AgentLines } from '../telephony/agent-lines';
import { AriLink } from '../telephony/ari/ari-link';
import { AriHttpError } from '../telephony/ari/ari-http.client';
import { BorrowerDialer } from '../telephony/borrower-dialer';
import { CallLegRepository } from '../telephony/call-legs.repository';
import { ConversationService } from '../telephony/conversation/conversation.service';
import { StasisRouter } from '../telephony/stasis-router';
import { CallsRepository, ProspectWithOwner } from './calls.repository';
import { ClickToCallView, StartCallDto } from './calls.dto';
import { AgentFirstCallKind, AgentFirstCallObserver, ClickToCallDeps, ClickToCallRun } from './click-to-call.run';

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
 * chooseBorrowerCallerId, bridged and recorded. Each call owns its channels in the StasisRouter.
 * Dial mode places its calls through `place`.
 */
@Injectable()
export class ClickToCallService {
  private readonly logger = new Logger(ClickToCallService.name);
  private readonly deps: ClickToCallDeps;

  constructor(
    private readonly ari: AriLink,
    private readonly repo: CallsRepository,
    private readonly legs: CallLegRepository,
    private readonly dialer: BorrowerDialer,
    private readonly lines: AgentLines,
    router: StasisRouter,
    conversations: ConversationService,
  ) {
    this.deps = { ari, router, legs, dialer, lines, conversations };
  }

  /** Places a call for the logged-in user; answers once their phone is ringing. */
  async start(me: AuthUser, dto: StartCallDto): Promise<ClickToCallView> {
    const policy = diallingPolicyOf(await this.repo.org(me.orgId));
    const borrower = await this.borrowerOf(me, dto, policy);
    return this.place({ orgId: me.orgId, agentId: me.id, borrower, kind: 'click_to_call' });
  }

  /**
   * Rings the agent's work phone, then the borrower; answers once the agent's phone is ringing.
   * Throws AGENT_UNAVAILABLE / TELEPHONY_UNAVAILABLE when nothing could be started.
   */
  async place(request: AgentFirstCallRequest): Promise<ClickToCallView> {
    const { borrower, orgId } = request;
    // The org's dialling policy (docs/org-settings.md): a refused number is never dialled.
    const dialRefusal = clickToCallDialRefusal(borrower.phone, diallingPolicyOf(await this.repo.org(orgId)));
    if (dialRefusal) throw new DomainError(ErrorCode.DiallingRefused, dialRefusal);
    const agent = await this.repo.user(orgId, request.agentId);
    if (!agent) throw notFound(ErrorCode.UserNotFound, 'User', request.agentId);
    const endpoint = agentEndpoint(agent);
    const refusal = clickToCallRefusal({ loggedIn: agent.loggedIn, callsOn: agent.callsOn, onCall: !!agent.onCallSince, reachable: endpoint !== null });
    if (refusal) throw new DomainError(ErrorCode.AgentUnavailable, refusal);
    if (!this.ari.status.connected) throw telephonyUnavailable();
    // Guarded like a ring-all round: never two calls for one agent.
    const now = new Date();
    if (!(await this.lines.reserveFree([agent.id], now)).length) throw new DomainError(ErrorCode.AgentUnavailable, 'You are already on a call');

    let call: ClickToCallRun;
    try {
      const org = await this.repo.org(orgId);
      const callerId = await this.dialer.callerIdFor({ orgId, borrowerPhone: borrower.phone, agentCallerId: agent.callerId ?? null, orgNumber: org.orgNumber ?? null }, now);
      const callId = randomUUID();
      await this.legs.openCall({ id: callId, orgId, kind: request.kind, prospectId: borrower.prospectId });
      const agentLegId = randomUUID();
      const agentActivityId = await this.legs.openActivity({
        orgId,
        prospectId: borrower.prospectId,
        callId,
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
          callId,
          kind: request.kind,
          orgId,
          agentId: agent.id,
          agentName: agent.name,
          agentExtension: agent.extension ?? null,
          prospectId: borrower.prospectId,
          agentEndpoint: endpoint!,
          agentLegId,
          agentActivityId,
          borrowerPhone: borrower.phone,
          borrowerName: borrower.name,
          callerId,
          observer: request.observer,
        },
        this.deps,
      );
    } catch (err) {
      // Nothing rings yet: give the agent back.
      await this.lines.release(agent.id, new Date());
      throw err;
    }
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

  /** Whom to call. An agent may call only the leads assigned to them (others: 404, as elsewhere). */
  private async borrowerOf(me: AuthUser, dto: StartCallDto, policy: DiallingPolicy): Promise<Borrower> {
    const given = [dto.applicationId, dto.prospectId, dto.phone].filter((v) => v !== undefined).length;
    if (given !== 1) throw validationFailed([{ field: 'applicationId', message: 'give exactly one of applicationId, prospectId or phone' }]);
    if (dto.phone !== undefined) {
      // The policy speaks of what was typed (411 is an N11 code, not a malformed number).
      const refusal = checkDialling(dto.phone, policy).category === 'invalid' ? null : clickToCallDialRefusal(dto.phone, policy);
      if (refusal) throw new DomainError(ErrorCode.DiallingRefused, refusal);
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
