import { Injectable, OnModuleInit } from '@nestjs/common';
import type { LiveCallView } from '@leadline/contracts';
import { AuthUser } from '../auth/auth-user';
import { DomainError, ErrorCode, notFound, validationFailed } from '../common/domain-error';
import { LiveCallNotifier } from '../realtime/live-call-notifier';
import { Conversation } from '../telephony/conversation/conversation';
import { ConversationService, TransferRefusal } from '../telephony/conversation/conversation.service';
import { UserRepository } from '../users/user.repository';
import { TransferDto } from './calls.dto';
import { toLiveCallView } from './live-call.view';
import type { TransferStartedView } from '../openapi/api-views';

/**
 * Connected calls for the dashboard: the agent's own (hold, resume, blind transfer to a colleague or
 * a number) and, for managers and admins, every live call of the org. Changes are pushed over
 * socket.io as they happen (`call:live`, `call:live-ended`).
 */
@Injectable()
export class LiveCallsService implements OnModuleInit {
  constructor(
    private readonly conversations: ConversationService,
    private readonly notifier: LiveCallNotifier,
    private readonly users: UserRepository,
  ) {}

  onModuleInit(): void {
    this.conversations.onChange((c, ended) => this.push(c, ended));
  }

  /** An agent's own live calls; a manager's or admin's: every live call of the org. */
  list(me: AuthUser): LiveCallView[] {
    const calls = me.role === 'agent' ? this.conversations.callsOf(me.id) : this.conversations.callsIn(me.orgId);
    return calls.map(toLiveCallView);
  }

  hold(me: AuthUser, callId: string, held: boolean): LiveCallView {
    const { call, partyId } = this.yours(me, callId);
    call.setHeld(partyId, held);
    return toLiveCallView(call);
  }

  /** A blind transfer of the others on your call: to a colleague (`userId`) or a number (`phone`). */
  async transfer(me: AuthUser, callId: string, dto: TransferDto): Promise<TransferStartedView> {
    if ((dto.userId === undefined) === (dto.phone === undefined)) throw validationFailed([{ field: 'userId', message: 'give exactly one of userId or phone' }]);
    const { call, partyId } = this.yours(me, callId);
    const from = call.partySpec(partyId)!;
    const shown = call.firstOutside(partyId);
    let resolved;
    // What the refused row's "to" shows: the number typed, or the colleague's extension (else name).
    let destination = dto.phone ?? '';
    if (dto.userId !== undefined) {
      const user = await this.users.byId(dto.userId);
      if (!user || user.org.id !== me.orgId) throw notFound(ErrorCode.UserNotFound, 'User', dto.userId);
      destination = user.extension ?? user.name;
      resolved = await this.conversations.userTarget(user, from, shown);
    } else {
      resolved = await this.conversations.resolveTarget(me.orgId, from, destination, shown);
    }
    if ('refused' in resolved) {
      await this.conversations.recordRefusedTransfer(call.spec, from, destination, resolved.refused);
      throw refusalError(resolved);
    }
    call.transferFromDashboard(partyId, resolved);
    return { callId, transferringTo: resolved.label };
  }

  /** The live call and your party on it; someone else's call is a 404, like an unknown one. */
  private yours(me: AuthUser, callId: string): { call: Conversation; partyId: string } {
    const call = this.conversations.byCallId(callId);
    const partyId = call && call.spec.orgId === me.orgId ? call.partyOf(me.id) : null;
    if (!call || !partyId) throw notFound(ErrorCode.CallNotFound, 'Live call of yours', callId);
    return { call, partyId };
  }

  /** Pushes a change to the users on the call and to managers watching the team. */
  push(c: Conversation, ended: boolean): void {
    const userIds = [...new Set(c.spec.parties.map((p) => p.userId).concat(c.liveParties().map((p) => p.userId)).filter((id): id is string => !!id))];
    if (ended) {
      this.notifier.ended(c.spec.orgId, c.callId, userIds);
      return;
    }
    this.notifier.changed(c.spec.orgId, toLiveCallView(c), userIds);
  }
}

function refusalError(r: TransferRefusal): DomainError {
  switch (r.why) {
    case 'policy':
      return new DomainError(ErrorCode.DiallingRefused, r.refused);
    case 'unavailable':
      return new DomainError(ErrorCode.AgentUnavailable, r.refused);
    case 'invalid':
      return validationFailed([{ field: 'phone', message: r.refused }]);
    default: {
      const unreachable: never = r.why;
      return unreachable;
    }
  }
}
