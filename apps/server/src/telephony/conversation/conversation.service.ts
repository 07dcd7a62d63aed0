import { Injectable, Logger } from '@nestjs/common';
import { routeDeskPhoneDial } from '@leadline/domain';
import { randomUUID } from 'node:crypto';
import { diallingPolicyOf } from '../../org/org.service';
import { User } from '../../database/entities';
import { UserRepository } from '../../users/user.repository';
import { agentEndpoint } from '../agent-endpoint';
import { AgentLines } from '../agent-lines';
import { AriLink } from '../ari/ari-link';
import { BorrowerDialer } from '../borrower-dialer';
import { callerIdHeader } from '../caller-id-header.util';
import { CallLegRepository } from '../call-legs.repository';
import { RecordingDisclosure } from '../recording-disclosure';
import { StasisRouter } from '../stasis-router';
import { ConnectSpec, Conversation, PartySpec, ResolvedTarget } from './conversation';

/** Why a transfer cannot go where it was asked to: the dialling policy, nobody there to take it, or nonsense. */
export interface TransferRefusal {
  refused: string;
  why: 'policy' | 'unavailable' | 'invalid';
}

/** What a Conversation needs from the rest of the server. */
export interface ConversationDeps {
  ari: AriLink;
  router: StasisRouter;
  legs: CallLegRepository;
  lines: AgentLines;
  /** A transfer destination dialled on a phone (extension or number), checked and reserved. */
  resolveTarget(orgId: string, from: PartySpec, destination: string, shown: PartySpec | null): Promise<ResolvedTarget | TransferRefusal>;
  takeTransfers(channelId: string): Promise<void>;
  recordRefusedTransfer(spec: ConnectSpec, from: PartySpec, destination: string, reason: string): Promise<void>;
  /** Attended transfer: the agent's other call whose dialog the REFER's Replaces names. */
  findConsultation(userId: string, fromChannelId: string, replaces: { callId: string; channelId: string | null }): Promise<{ conversation: Conversation; channelId: string } | null>;
  /** Something about the call changed (who is on it, hold, transfer). */
  changed(conversation: Conversation): void;
  finished(conversation: Conversation): void;
}

/**
 * Connected calls: every kind of call hands its answered channels to `connect`, which bridges and
 * records them and gives them to a Conversation (their owner in the router from then on). Keeps
 * the live ones, for the dashboard's hold and transfer and for managers' monitoring.
 */
@Injectable()
export class ConversationService {
  private readonly logger = new Logger(ConversationService.name);
  private readonly live = new Set<Conversation>();
  private readonly listeners = new Set<(c: Conversation, ended: boolean) => void>();
  private readonly deps: ConversationDeps;

  constructor(
    private readonly ari: AriLink,
    private readonly router: StasisRouter,
    private readonly legs: CallLegRepository,
    private readonly lines: AgentLines,
    private readonly users: UserRepository,
    private readonly dialer: BorrowerDialer,
    private readonly disclosure: RecordingDisclosure,
  ) {
    this.deps = {
      ari,
      router,
      legs,
      lines,
      resolveTarget: (orgId, from, destination, shown) => this.resolveTarget(orgId, from, destination, shown),
      takeTransfers: (channelId) => this.takeTransfers(channelId),
      recordRefusedTransfer: (spec, from, destination, reason) => this.recordRefusedTransfer(spec, from, destination, reason),
      findConsultation: (userId, from, replaces) => this.findConsultation(userId, from, replaces),
      changed: (c) => this.emit(c, false),
      finished: (c) => {
        this.live.delete(c);
        this.emit(c, true);
      },
    };
  }

  /**
   * Bridges the answered channels (after the recording disclosure, when the borrower's rule asks
   * for it), starts the recording (unless the rule says not to) and hands them over. Throws when the
   * bridge cannot be built (the caller then ends its call as it would have before).
   */
  async connect(asked: ConnectSpec): Promise<Conversation> {
    const spec = await this.applyRecordingRule(asked);
    const bridgeId = randomUUID();
    await this.ari.bridges.create(bridgeId, `${spec.kind}-${spec.callId}`);
    try {
      await this.ari.bridges.addChannels(bridgeId, spec.parties.map((p) => p.channelId));
      if (spec.recording) await this.ari.bridges.record(bridgeId, spec.recording);
    } catch (err) {
      await this.ari.bridges.destroy(bridgeId).catch(() => undefined);
      throw err;
    }
    // A phone's Transfer button (REFER) comes to us as ChannelTransfer instead of Asterisk's own
    // transfer through the dialplan (Asterisk 22.3+): every party, so no REFER bypasses our rules.
    await Promise.all(spec.parties.map((p) => this.takeTransfers(p.channelId)));
    const conversation = new Conversation(spec, bridgeId, this.deps);
    this.router.claimBridge(bridgeId, conversation);
    this.live.add(conversation);
    await this.legs.updateCall(spec.callId, { phase: 'connected', connectedAt: new Date(), bridgeId, recording: spec.recording });
    for (const p of spec.parties) {
      // Hung up while the bridge was built: its end went to the call that set it up.
      if (!this.router.handOver(p.channelId, conversation)) conversation.feed({ type: 'partyEnded', partyId: p.channelId });
    }
    this.emit(conversation, false);
    return conversation;
  }

  /**
   * The recording rule of the call's outside party — the borrower, the caller (docs/compliance.md):
   * the disclosure is played to them before the bridge, so the recording, started with the bridge,
   * holds nothing from before its end; "do not record" drops the recording. Written on their leg.
   */
  private async applyRecordingRule(spec: ConnectSpec): Promise<ConnectSpec> {
    const outside = spec.parties.filter((p) => p.role === 'outside');
    if (!outside.length || spec.emergency) return spec;
    // An inbound call plays the disclosure to the caller while the agents ring: applied already.
    const decision = spec.recordingDecision ?? (await this.disclosure.apply(await this.disclosure.decide(spec.orgId, spec.prospectId, outside[0].number), outside.map((p) => p.channelId)));
    for (const p of outside) {
      await this.legs.updateActivity(p.activityId, { recordingRule: decision.rule, recordingRuleState: decision.state, recordingRuleStateFrom: decision.stateFrom });
    }
    return decision.rule === 'not_recorded' ? { ...spec, recording: null } : spec;
  }

  /** REFERs on this channel become ChannelTransfer events for the app (a channel gone: nothing to do). */
  async takeTransfers(channelId: string): Promise<void> {
    await this.ari.channels.setVariable(channelId, 'PJSIP_TRANSFER_HANDLING()', 'ari-only').catch((err: unknown) => {
      this.logger.debug(`transfer handling of ${channelId}: ${err instanceof Error ? err.message : String(err)}`);
    });
  }

  /** Live calls a user is on. */
  callsOf(userId: string): Conversation[] {
    return [...this.live].filter((c) => c.partyOf(userId) !== null);
  }

  /** Every live call of an org. */
  callsIn(orgId: string): Conversation[] {
    return [...this.live].filter((c) => c.spec.orgId === orgId);
  }

  byCallId(callId: string): Conversation | undefined {
    return [...this.live].find((c) => c.callId === callId);
  }

  /** Told about every change of a live call, and once when it is over. */
  onChange(listener: (c: Conversation, ended: boolean) => void): void {
    this.listeners.add(listener);
  }

  /** Where a transfer goes: a colleague's extension, or a number the dialling policy allows. */
  async resolveTarget(orgId: string, from: PartySpec, destination: string, shown: PartySpec | null): Promise<ResolvedTarget | TransferRefusal> {
    const org = await this.legs.org(orgId);
    const route = routeDeskPhoneDial(destination, diallingPolicyOf(org));
    switch (route.kind) {
      case 'extension': {
        const user = await this.users.byExtension(orgId, route.extension);
        if (!user) return { refused: `no user has extension ${route.extension}`, why: 'invalid' };
        return this.userTarget(user, from, shown);
      }
      case 'outside': {
        if (route.emergency) return { refused: '911 is not a transfer target: dial it from the phone', why: 'policy' };
        const from_ = from.userId ? await this.users.byId(from.userId) : null;
        const choice = await this.dialer.callerIdFor({ orgId, borrowerPhone: route.dial, agentCallerId: from_?.callerId ?? null, orgNumber: org.orgNumber ?? null }, new Date());
        return { target: { kind: 'number', number: route.dial }, endpoint: `PJSIP/${route.dial}@trunk`, label: route.dial, callerId: choice.number ?? undefined, reservedUserId: null, fromNumber: choice.number };
      }
      case 'refused':
        return { refused: route.reason, why: route.category === 'invalid' ? 'invalid' : 'policy' };
      case 'star':
      case 'voicemail':
      case 'unknown_star':
        return { refused: `${destination} is not a number or an extension`, why: 'invalid' };
      default: {
        const unreachable: never = route;
        return unreachable;
      }
    }
  }

  /** A colleague as a transfer target: they must be reachable and available, and are reserved. */
  async userTarget(user: User, from: PartySpec, shown: PartySpec | null): Promise<ResolvedTarget | TransferRefusal> {
    if (user.id === from.userId) return { refused: 'a call cannot be transferred to yourself', why: 'invalid' };
    const endpoint = agentEndpoint(user);
    if (!endpoint) return { refused: `${user.name} has no phone Leadline can ring`, why: 'unavailable' };
    if (!user.loggedIn || !user.callsOn) return { refused: `${user.name} is not taking calls`, why: 'unavailable' };
    if (!(await this.lines.reserveFree([user.id], new Date())).length) return { refused: `${user.name} is on another call`, why: 'unavailable' };
    const label = `${user.name}${user.extension ? ` (${user.extension})` : ''}`;
    // The colleague's phone shows whom they are about to talk to, and who hands the call on.
    const callerId = callerIdHeader(`${shown?.label ?? from.label} via ${from.label}`, shown?.number ?? from.number ?? 'transfer');
    return { target: { kind: 'user', userId: user.id }, endpoint, label, callerId, reservedUserId: user.id, fromNumber: null };
  }

  /** A transfer that was not made, in call activity with the reason (no channel rang). */
  async recordRefusedTransfer(spec: ConnectSpec, from: PartySpec, destination: string, reason: string): Promise<void> {
    const id = await this.legs.openActivity({
      orgId: spec.orgId,
      prospectId: spec.prospectId,
      callId: spec.callId,
      direction: 'outbound',
      purpose: 'transfer',
      fromNumber: null,
      toNumber: destination,
      userId: from.userId,
      channelId: randomUUID(),
      detail: reason,
    });
    const now = new Date();
    await this.legs.updateActivity(id, { endedAt: now, result: 'refused', ringSeconds: 0 });
  }

  private async findConsultation(userId: string, fromChannelId: string, replaces: { callId: string; channelId: string | null }): Promise<{ conversation: Conversation; channelId: string } | null> {
    for (const conversation of this.callsOf(userId)) {
      for (const p of conversation.liveParties()) {
        if (p.userId !== userId || p.channelId === fromChannelId) continue;
        if (replaces.channelId ? p.channelId === replaces.channelId : (await this.ari.channels.get(p.channelId).catch(() => null))?.protocol_id === replaces.callId) {
          return { conversation, channelId: p.channelId };
        }
      }
    }
    return null;
  }

  private emit(c: Conversation, ended: boolean): void {
    for (const l of this.listeners) {
      try {
        l(c, ended);
      } catch (err) {
        this.logger.error(`live call listener: ${err instanceof Error ? err.stack : String(err)}`);
      }
    }
  }
}
