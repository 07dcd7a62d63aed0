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
import { LiveCall } from '../../database/entities';
import { ConnectSpec, Conversation, PartySpec, ResolvedTarget } from './conversation';
import { LiveCallRepository } from './live-call.repository';

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
  /** Resolves once its persisted state is gone. */
  finished(conversation: Conversation): Promise<void>;
  /** Left, persisted, to the next link-up's adoption (Conversation.leave); resolves once its last snapshot is written. */
  left(conversation: Conversation): Promise<void>;
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
  /** Per live call: its persisted snapshot (as JSON) and the chain of its writes, kept in order. */
  private readonly persisted = new Map<Conversation, { json: string; writes: Promise<void> }>();

  constructor(
    private readonly ari: AriLink,
    private readonly router: StasisRouter,
    private readonly legs: CallLegRepository,
    private readonly lines: AgentLines,
    private readonly users: UserRepository,
    private readonly dialer: BorrowerDialer,
    private readonly disclosure: RecordingDisclosure,
    private readonly liveCalls: LiveCallRepository,
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
      changed: (c) => {
        this.persist(c);
        this.emit(c, false);
      },
      finished: async (c) => {
        this.live.delete(c);
        const dropped = this.unpersist(c);
        this.emit(c, true);
        await dropped;
      },
      left: async (c) => {
        this.live.delete(c);
        const writes = this.persisted.get(c)?.writes;
        this.persisted.delete(c);
        this.emit(c, true);
        await writes;
      },
    };
    router.onLinkUp(() => this.adopt());
  }

  /**
   * Takes over the connected calls this instance left in its Stasis app (a restart, a link blip):
   * each is rebuilt in its persisted state and claims its bridge and channels; parties whose
   * channels are gone are closed, and a call without its bridge or with fewer than two parties
   * left ends (the router hangs up what nothing claims). Runs at link-up, before the orphans go.
   */
  async adopt(): Promise<void> {
    const rows = (await this.liveCalls.mine()).filter((r) => !this.byCallId(r.callId));
    if (!rows.length) return;
    // Claimed before Asterisk is asked what it still holds: a hang-up meanwhile reaches the call.
    const calls = rows.map((r) => this.resume(r));
    const app = await this.ari.asterisk.application(this.ari.app);
    const channels = new Set(app.channel_ids);
    const bridges = new Set(app.bridge_ids);
    let kept = 0;
    for (const c of calls) {
      // A call whose bridge is gone is not put together again: its channels go as orphans.
      const bridged = bridges.has(c.bridgeId);
      if (!bridged) this.router.release(c);
      const gone = c.liveParties().filter((p) => !bridged || !channels.has(p.channelId));
      if (gone.length < c.liveParties().length - 1) kept++;
      c.feed({ type: 'adopted', gone: gone.map((p) => p.channelId) });
      this.emit(c, false);
    }
    this.logger.warn(`took over ${rows.length} connected call(s) left in Stasis app ${this.ari.app}: ${kept} still connected`);
  }

  private resume(row: LiveCall): Conversation {
    const s = row.state;
    const spec: ConnectSpec = {
      callId: row.callId,
      orgId: s.orgId,
      kind: s.kind,
      prospectId: s.prospectId,
      recording: s.recording,
      emergency: s.emergency,
      parties: s.parties.map((p) => ({ ...p, answeredAt: new Date(p.answeredAt), resultOverride: p.resultOverride ?? undefined })),
    };
    const c = new Conversation(spec, row.bridgeId, this.deps, s);
    c.takeOver();
    this.router.claimBridge(row.bridgeId, c);
    for (const p of spec.parties) this.router.claimAdopted(p.channelId, c);
    this.live.add(c);
    this.persisted.set(c, { json: JSON.stringify(c.snapshot()), writes: Promise.resolve() });
    return c;
  }

  /** Writes the call's snapshot when it changed, after the writes before it (never on the call's own path). */
  private persist(c: Conversation): void {
    if (c.isOver) return;
    const json = JSON.stringify(c.snapshot());
    const entry = this.persisted.get(c) ?? { json: '', writes: Promise.resolve() };
    if (entry.json === json) return;
    entry.json = json;
    const state = JSON.parse(json) as ReturnType<Conversation['snapshot']>;
    entry.writes = entry.writes.then(() => this.liveCalls.save(c.callId, c.bridgeId, state)).catch((err: unknown) => this.logger.error(`${c.label}: could not persist it: ${err instanceof Error ? err.message : String(err)}`));
    this.persisted.set(c, entry);
  }

  private unpersist(c: Conversation): Promise<void> {
    const entry = this.persisted.get(c);
    this.persisted.delete(c);
    return (entry?.writes ?? Promise.resolve())
      .then(() => this.liveCalls.delete(c.callId))
      .catch((err: unknown) => this.logger.error(`${c.label}: could not drop its persisted state: ${err instanceof Error ? err.message : String(err)}`));
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
    // After the bridge is up: the call does not wait for this write.
    this.persist(conversation);
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
