import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { chooseEmergencyCallerId, classifyDialled, DeskPhoneOutcome, DeskPhonePrompt, routeDeskPhoneDial, StarCode, voicemailPlaylist } from '@leadline/domain';
import { randomUUID } from 'node:crypto';
import { CallsRepository } from '../calls/calls.repository';
import { DbContext } from '../database/db-context';
import { Org, User } from '../database/entities';
import { diallingPolicyOf } from '../org/org.service';
import { agentEndpoint } from '../telephony/agent-endpoint';
import { AgentLines } from '../telephony/agent-lines';
import { AriLink } from '../telephony/ari/ari-link';
import { BorrowerDialer } from '../telephony/borrower-dialer';
import { CallLegRepository } from '../telephony/call-legs.repository';
import { ConversationService } from '../telephony/conversation/conversation.service';
import { StasisEntryCall, StasisRouter } from '../telephony/stasis-router';
import { UserRepository } from '../users/user.repository';
import { UsersService } from '../users/users.service';
import { DeskPhoneCall, DeskPhoneCallDeps, DeskPhoneCallee, DeskPhonePlan } from './desk-phone-call';
import { VoicemailRepository } from './voicemail.repository';

// What each star code sets, and what the phone hears back.
const STAR: Record<StarCode, { toggles: { loggedIn?: boolean; callsOn?: boolean }; prompt: DeskPhonePrompt }> = {
  log_in: { toggles: { loggedIn: true }, prompt: 'logged-in' },
  log_out: { toggles: { loggedIn: false }, prompt: 'logged-out' },
  calls_on: { toggles: { callsOn: true }, prompt: 'calls-on' },
  calls_off: { toggles: { callsOn: false }, prompt: 'calls-off' },
};

/**
 * Calls placed from desk phones (dialplan: Stasis(app, phone, <dialled>)): the StasisRouter hands
 * each to a new DeskPhoneCall at once; routing then decides, from what was dialled, the phone's user
 * and the org's dialling policy: a star code (the user's own toggles), a colleague's extension, a
 * number through the trunk (caller ID of §4; 911 with the office's emergency caller ID), the
 * user's voicemails, or a short prompt saying why not.
 */
@Injectable()
export class DeskPhoneService implements OnModuleInit {
  private readonly logger = new Logger(DeskPhoneService.name);
  private readonly deps: DeskPhoneCallDeps;

  constructor(
    private readonly router: StasisRouter,
    private readonly users: UserRepository,
    private readonly usersService: UsersService,
    private readonly legs: CallLegRepository,
    private readonly lines: AgentLines,
    private readonly dialer: BorrowerDialer,
    private readonly calls: CallsRepository,
    private readonly db: DbContext,
    private readonly voicemails: VoicemailRepository,
    ari: AriLink,
    conversations: ConversationService,
  ) {
    this.deps = { ari, router, legs, lines, dialer, conversations };
  }

  onModuleInit(): void {
    this.router.onEntry('phone', (entry) => {
      const call = new DeskPhoneCall(entry.channel.id, entry.dialled, this.deps);
      // Routing reads through request-scoped services (users, leads): a unit of work of its own.
      call.route(() => this.db.run(() => this.route(entry)));
      return call;
    });
  }

  /** Where a desk-phone call goes; rows are written and lines reserved for calls that ring. */
  async route(entry: StasisEntryCall): Promise<DeskPhonePlan> {
    const dialled = entry.dialled;
    // 911 goes out first and asks questions later: a database that does not answer must not stop it.
    if (classifyDialled(dialled).category === 'emergency') return this.emergency(entry).catch((err: unknown) => this.emergencyWithoutDatabase(err));
    const user = await this.users.bySipUsername(entry.endpoint);
    if (!user) {
      this.logger.warn(`desk phone ${entry.endpoint} dialled ${dialled} but no user has it`);
      return { kind: 'prompt', prompt: 'not-linked', outcome: 'invalid' };
    }
    const org = await this.legs.org(user.org.id);
    const route = routeDeskPhoneDial(dialled, diallingPolicyOf(org));
    switch (route.kind) {
      case 'star': {
        const star = STAR[route.code];
        await this.usersService.setToggles(org.id, user.id, star.toggles);
        this.logger.log(`${user.id} (${user.extension ?? entry.endpoint}) dialled ${dialled}: ${route.code}`);
        return { kind: 'prompt', prompt: star.prompt, outcome: 'toggled' };
      }
      case 'voicemail': {
        const messages = await this.voicemails.forUser(user, new Date());
        this.logger.log(`${user.id} (${user.extension ?? entry.endpoint}) dialled ${dialled}: ${messages.length} voicemail(s)`);
        return { kind: 'prompt', prompt: 'voicemail', outcome: 'voicemail', media: voicemailPlaylist(messages.map((m) => m.recording!)) };
      }
      case 'unknown_star':
        return { kind: 'prompt', prompt: 'code-unknown', outcome: 'invalid' };
      case 'extension':
        return this.toColleague(entry, org, user, route.extension);
      case 'outside': {
        const match = route.category === 'n11' ? null : await this.calls.prospectByPhone(org.id, route.dial);
        const callerId = await this.dialer.callerIdFor({ orgId: org.id, borrowerPhone: route.dial, agentCallerId: user.callerId ?? null, orgNumber: org.orgNumber ?? null }, new Date());
        return this.dialPlan(entry, org, user, dialled, { kind: 'number', number: route.dial, emergency: false, callerId, prospectId: match?.prospect.id ?? null });
      }
      case 'refused':
        // Never a silent channel: the phone hears why, and call activity keeps the reason.
        await this.refusedRow(entry, org, user, dialled, route.category === 'invalid' ? 'invalid' : 'refused', route.reason);
        this.logger.warn(`${user.id} (${user.extension ?? entry.endpoint}) dialled ${dialled}: refused (${route.reason})`);
        return { kind: 'prompt', prompt: route.category === 'invalid' ? 'number-invalid' : 'number-refused', outcome: route.category === 'invalid' ? 'invalid' : 'refused' };
      default: {
        const unreachable: never = route;
        return unreachable;
      }
    }
  }

  private async toColleague(entry: StasisEntryCall, org: Org, caller: User, extension: string): Promise<DeskPhonePlan> {
    const callee = await this.users.byExtension(org.id, extension);
    const refuse = async (prompt: DeskPhonePrompt, outcome: DeskPhoneOutcome, reason: string): Promise<DeskPhonePlan> => {
      await this.refusedRow(entry, org, caller, extension, outcome, reason);
      return { kind: 'prompt', prompt, outcome };
    };
    if (!callee) return refuse('number-invalid', 'invalid', `no user has extension ${extension}`);
    if (callee.id === caller.id) return refuse('extension-busy', 'busy', 'that is your own extension');
    const endpoint = agentEndpoint(callee);
    // Decision (docs/desk-phones.md): a colleague who is logged out or has calls off is not
    // available for internal calls either; their presence is red for everyone.
    if (!endpoint || !callee.loggedIn || !callee.callsOn) return refuse('extension-unavailable', 'unavailable', `${callee.name} is not taking calls`);
    if (!(await this.lines.reserveFree([callee.id], new Date())).length) return refuse('extension-busy', 'busy', `${callee.name} is on another call`);
    return this.dialPlan(entry, org, caller, extension, { kind: 'user', userId: callee.id, name: callee.name, extension: callee.extension ?? null, endpoint });
  }

  /** 911: the org's emergency caller ID (else the org number), whatever the policy or the caller's state. */
  private async emergency(entry: StasisEntryCall): Promise<DeskPhonePlan> {
    const user = await this.users.bySipUsername(entry.endpoint);
    const org = user ? await this.legs.org(user.org.id) : null;
    const callerId = chooseEmergencyCallerId({ emergencyCallerId: org?.emergencyCallerId ?? null, orgNumber: org?.orgNumber ?? null });
    this.logger.warn(`911 from desk phone ${entry.endpoint} (${user?.name ?? 'no user'}), caller ID ${callerId.number ?? 'none'}`);
    if (!user || !org) return { kind: 'dial', callId: randomUUID(), orgId: '', caller: { userId: '', name: entry.endpoint, extension: null }, callerActivityId: '', callee: { kind: 'number', number: '911', emergency: true, callerId, prospectId: null } };
    return this.dialPlan(entry, org, user, '911', { kind: 'number', number: '911', emergency: true, callerId, prospectId: null });
  }

  private emergencyWithoutDatabase(err: unknown): DeskPhonePlan {
    this.logger.error(`911 from a desk phone while the database fails (${err instanceof Error ? err.message : String(err)}): dialling the trunk with its default caller ID`);
    return { kind: 'dial', callId: randomUUID(), orgId: '', caller: { userId: '', name: 'desk phone', extension: null }, callerActivityId: '', callee: { kind: 'number', number: '911', emergency: true, callerId: { number: null, reason: 'none' }, prospectId: null } };
  }

  /** A call that rings: its row, the caller's row, and one more line for the caller. */
  private async dialPlan(entry: StasisEntryCall, org: Org, caller: User, dialled: string, callee: DeskPhoneCallee): Promise<DeskPhonePlan> {
    const callId = randomUUID();
    const prospectId = callee.kind === 'number' ? callee.prospectId : null;
    await this.legs.openCall({ id: callId, orgId: org.id, kind: 'desk_phone', prospectId });
    const callerActivityId = await this.legs.openActivity({
      orgId: org.id,
      prospectId,
      callId,
      direction: 'outbound',
      purpose: 'desk_phone',
      fromNumber: caller.extension ?? null,
      toNumber: dialled,
      userId: caller.id,
      channelId: entry.channel.id,
    });
    await this.lines.acquire(caller.id, new Date());
    return { kind: 'dial', callId, orgId: org.id, caller: { userId: caller.id, name: caller.name, extension: caller.extension ?? null }, callerActivityId, callee };
  }

  /** A call that was not made, in call activity with the reason (no channel rang). */
  private async refusedRow(entry: StasisEntryCall, org: Org, caller: User, dialled: string, result: string, reason: string): Promise<void> {
    const callId = randomUUID();
    await this.legs.openCall({ id: callId, orgId: org.id, kind: 'desk_phone', prospectId: null });
    const id = await this.legs.openActivity({
      orgId: org.id,
      prospectId: null,
      callId,
      direction: 'outbound',
      purpose: 'desk_phone',
      fromNumber: caller.extension ?? null,
      toNumber: dialled,
      userId: caller.id,
      channelId: entry.channel.id,
      detail: reason,
    });
    const now = new Date();
    await this.legs.updateActivity(id, { endedAt: now, result, ringSeconds: 0 });
    await this.legs.updateCall(callId, { phase: 'ended', endedAt: now });
  }
}
