import { Logger } from '@nestjs/common';
import { ConversationCommand, ConversationInput, ConversationState, conversationTransition, initialConversationState, PartyRole, RecordingDecision, resumedConversationState, TransferTarget, TransferVia } from '@leadline/domain';
import { randomUUID } from 'node:crypto';
import type { LiveCallState, PhoneCallKind } from '../../database/entities';
import { CallEventHandlers, secondsBetween, StateMachineRunner, unansweredResult, unhandled } from '../call-runner';
import type { ConversationDeps } from './conversation.service';

/** One party of a connected call, as the call that set it up hands it over. */
export interface PartySpec {
  /** The party's channel, already answered. */
  channelId: string;
  role: PartyRole;
  userId: string | null;
  /** Its call-activity row (closed when the party leaves). */
  activityId: string;
  answeredAt: Date;
  /** The result its row gets when it ends (null: keep the row's result, e.g. an inbound caller's "answered"). */
  result: string | null;
  /** The party holds one of its user's call lines (AgentLines), released when it leaves. */
  holdsLine: boolean;
  /** Who it is, for people: a name, a number. */
  label: string;
  /** The party's number: E.164 for an outside party, the extension for a user. */
  number: string | null;
  /** The result its row gets instead of `result` (it handed the call on). */
  resultOverride?: string;
}

export interface ConnectSpec {
  callId: string;
  orgId: string;
  kind: PhoneCallKind;
  prospectId: string | null;
  parties: PartySpec[];
  /** Name of the bridge recording (null: not recorded, the borrower's recording rule says so). */
  recording: string | null;
  /** A 911 call: connected at once, never held back by the recording disclosure; recorded. */
  emergency?: boolean;
  /** The recording rule the call applied already (inbound: the disclosure played while agents rang); nothing is played then. */
  recordingDecision?: RecordingDecision;
  /** Told once, when the call is over. */
  onEnded?(summary: ConversationSummary): void;
}

export interface ConversationSummary {
  recording: string | null;
  /** The result each party's row was closed with, by channel id. */
  results: Map<string, string>;
}

/** A transfer target the call rings, with what its call-activity row needs. */
export interface ResolvedTarget {
  target: TransferTarget;
  /** Dial string (PJSIP/…). */
  endpoint: string;
  label: string;
  callerId: string | undefined;
  /** The target user's line, reserved for the transfer (released if it fails). */
  reservedUserId: string | null;
  fromNumber: string | null;
}

const APOLOGY_MAX_MS = 8000;
const TRANSFER_RING_SECONDS = 30;

/**
 * A connected call: the parties in one recorded mixing bridge, run by the pure conversation
 * machine. Every kind of call (ring all, inbound, click-to-call, dial mode, desk phone) hands its
 * channels over to one of these once connected, so hold, transfer and barge exist once.
 */
export class Conversation extends StateMachineRunner<ConversationState, ConversationInput, ConversationCommand> {
  protected readonly logger = new Logger('Conversation');
  protected state: ConversationState;
  protected readonly machine = conversationTransition;
  private readonly parties = new Map<string, PartySpec>();
  private readonly results = new Map<string, string>();
  private transferLeg?: { legId: string; activityId: string; startedAt: Date; resolved: ResolvedTarget; from: string; answeredAt?: Date };
  private readonly apologies = new Map<string, string>();
  /** Managers barging in (their phones are in our bridge), with what becomes of them if they take the call over. */
  private readonly bargers = new Map<string, { party: PartySpec; takenOver: () => void }>();
  private ended = false;
  /** Asterisk told us it is stopping: its channels are going, nothing is left to adopt. */
  private asteriskStopping = false;
  /** When the call was connected. */
  readonly since: Date;

  /** `resumed`: taken over from an earlier process in the state it persisted (fed `adopted` next). */
  constructor(
    readonly spec: ConnectSpec,
    readonly bridgeId: string,
    private readonly deps: ConversationDeps,
    resumed?: LiveCallState,
  ) {
    super();
    const parties = spec.parties.map((p) => ({ id: p.channelId, role: p.role, userId: p.userId }));
    this.state = resumed ? resumedConversationState({ parties: parties.map((p) => ({ ...p, up: true })), holding: resumed.holding, moh: resumed.moh, ending: resumed.ending }) : initialConversationState(parties);
    this.since = resumed ? new Date(resumed.connectedAt) : new Date();
    for (const p of spec.parties) this.parties.set(p.channelId, { ...p });
  }

  /** What the next process needs to take the call over (LiveCall): the live parties, hold, whether it is ending. */
  snapshot(): LiveCallState {
    return {
      orgId: this.spec.orgId,
      kind: this.spec.kind,
      prospectId: this.spec.prospectId,
      recording: this.spec.recording,
      emergency: this.spec.emergency ?? false,
      connectedAt: this.since.toISOString(),
      parties: this.state.parties
        .filter((p) => p.up)
        .map((p) => {
          const q = this.parties.get(p.id)!;
          return { channelId: q.channelId, role: q.role, userId: q.userId, activityId: q.activityId, answeredAt: q.answeredAt.toISOString(), result: q.result, resultOverride: q.resultOverride ?? null, holdsLine: q.holdsLine, label: q.label, number: q.number };
        }),
      holding: [...this.state.holding],
      moh: [...this.state.moh],
      ending: this.state.ending,
    };
  }

  /** Fewer than two parties are left (the rest are being hung up), or over. */
  get isEnding(): boolean {
    return this.state.ending || this.ended;
  }

  /** Over (or left to another process): nothing about it is persisted any more. */
  get isOver(): boolean {
    return this.ended;
  }

  get label(): string {
    return `${this.spec.kind} call ${this.spec.callId}`;
  }

  /** A party of the call (live or not). */
  partySpec(partyId: string): PartySpec | undefined {
    return this.parties.get(partyId);
  }

  get callId(): string {
    return this.spec.callId;
  }

  /** Live parties (tests, the dashboard and monitoring look at who is on the call). */
  liveParties(): (PartySpec & { held: boolean })[] {
    return this.state.parties.filter((p) => p.up).map((p) => ({ ...this.parties.get(p.id)!, held: this.state.moh.includes(p.id) }));
  }

  get isHeld(): boolean {
    return this.state.holding.length > 0;
  }

  get pendingTransfer(): { target: string } | null {
    return this.transferLeg ? { target: this.transferLeg.resolved.label } : null;
  }

  /** The live party of a user on this call, if any. */
  partyOf(userId: string): string | null {
    return this.state.parties.find((p) => p.up && p.userId === userId)?.id ?? null;
  }

  protected readonly events: CallEventHandlers = {
    ended: (event) => {
      if (this.parties.has(event.channelId)) this.feed({ type: 'partyEnded', partyId: event.channelId }, event.cause);
      else if (this.transferLeg?.legId === event.channelId && !this.transferLeg.answeredAt) this.feed({ type: 'transferFailed', legId: event.channelId }, event.cause);
    },
    answered: (event) => {
      if (this.transferLeg?.legId === event.channelId) this.feed({ type: 'transferAnswered', legId: event.channelId, userId: this.transferLeg.resolved.reservedUserId });
    },
    hold: (event) => {
      if (this.parties.has(event.channelId)) this.feed({ type: 'hold', partyId: event.channelId });
    },
    unhold: (event) => {
      if (this.parties.has(event.channelId)) this.feed({ type: 'resume', partyId: event.channelId });
    },
    transferRequested: (event) => {
      if (this.parties.has(event.channelId)) this.enqueue(() => this.phoneTransfer(event.channelId, event.destination, event.replaces));
    },
    shuttingDown: () => {
      this.asteriskStopping = true;
    },
    playbackFinished: (event) => {
      const channelId = this.apologies.get(event.playbackId);
      if (channelId) void this.deps.ari.channels.hangup(channelId, 'normal').catch(() => undefined);
    },
  };

  linkLost(): void {
    this.feed({ type: 'linkLost' });
  }

  /**
   * The link dropped or the server stops, but Asterisk keeps the call: it is left, persisted, to
   * the next link-up's adoption (its rows stay open, its agents on a call). Unless Asterisk itself
   * is stopping (its channels are being hung up): then it ends here as interrupted.
   */
  leave(): void {
    if (this.asteriskStopping) return this.linkLost();
    this.enqueue(async () => {
      if (this.ended) return;
      this.ended = true;
      this.clearTimers();
      // A transfer that was ringing is not adopted: its leg is hung up at link-up as an orphan.
      const leg = this.transferLeg;
      this.transferLeg = undefined;
      if (leg) {
        await this.deps.legs.updateActivity(leg.activityId, { endedAt: new Date(), result: 'interrupted' });
        if (leg.resolved.reservedUserId) await this.deps.lines.release(leg.resolved.reservedUserId, new Date());
      }
      for (const p of this.state.parties.filter((q) => q.up)) {
        const party = this.parties.get(p.id)!;
        if (party.holdsLine && party.userId) this.deps.lines.detach(party.userId);
      }
      await this.deps.left(this);
    });
  }

  /** Taken over by this process: its agents hold their lines again (first in its queue, before any event). */
  takeOver(): void {
    this.enqueue(async () => {
      const now = new Date();
      for (const p of this.liveParties()) if (p.holdsLine && p.userId) await this.deps.lines.adopt(p.userId, now);
    });
  }

  /** Hold or resume for a party (the dashboard's buttons). */
  setHeld(partyId: string, held: boolean): void {
    this.feed({ type: held ? 'hold' : 'resume', partyId });
  }

  /** A blind transfer the dashboard asked for (the target is already resolved and reserved). */
  transferFromDashboard(from: string, resolved: ResolvedTarget): void {
    this.enqueue(() => this.startTransfer(from, 'dashboard', resolved));
  }

  /**
   * Attended transfer, the other side: every party but `keep` leaves this call for another bridge
   * (they are taken out of ours, not hung up); `keep` — the agent's consultation leg — is then
   * hung up here and the call ends. Resolves with the parties handed over.
   */
  giveAway(keep: string): Promise<PartySpec[]> {
    return new Promise((resolve) => {
      this.enqueue(async () => {
        const leaving = this.state.parties.filter((p) => p.up && p.id !== keep).map((p) => this.parties.get(p.id)!);
        for (const p of leaving) await this.deps.ari.bridges.removeChannel(this.bridgeId, p.channelId).catch(() => undefined);
        this.parties.get(keep)!.resultOverride = 'transferred';
        await this.handle({ type: 'partiesLeft', partyIds: leaving.map((p) => p.channelId) });
        resolve(leaving);
      });
    });
  }

  /**
   * A manager's phone barges into the bridge. Not a party: the call ends as without them — unless
   * the agent leaves them alone with the borrower, then `party` joins the call and `takenOver` is told.
   */
  bargeIn(party: PartySpec, takenOver: () => void): void {
    this.bargers.set(party.channelId, { party, takenOver });
    this.feed({ type: 'bargeIn', party: { id: party.channelId, role: party.role, userId: party.userId } });
  }

  /** The manager's phone left the bridge (another mode, stop, hung up). */
  bargeOut(channelId: string): void {
    this.bargers.delete(channelId);
    this.feed({ type: 'bargeOut', partyId: channelId });
  }

  protected override afterInput(): void {
    this.deps.changed(this);
  }

  // Call activity and agent lines for the events themselves.
  protected async bookkeeping(input: ConversationInput, cause?: number): Promise<void> {
    const now = new Date();
    switch (input.type) {
      case 'partyEnded':
        if (this.state.parties.find((p) => p.id === input.partyId)?.up) await this.closeParty(input.partyId, now);
        return;
      case 'transferFailed': {
        const leg = this.transferLeg;
        if (!leg || leg.legId !== input.legId) return;
        this.transferLeg = undefined;
        await this.deps.legs.updateActivity(leg.activityId, { endedAt: now, result: leg.answeredAt ? 'completed' : unansweredResult(cause), ringSeconds: secondsBetween(leg.startedAt, now) });
        if (leg.resolved.reservedUserId) await this.deps.lines.release(leg.resolved.reservedUserId, now);
        this.logger.log(`${this.label}: transfer to ${leg.resolved.label} failed (cause ${cause ?? 'none'})`);
        return;
      }
      case 'transferAnswered': {
        const leg = this.transferLeg;
        if (!leg || leg.legId !== input.legId) return;
        leg.answeredAt = now;
        this.parties.set(leg.legId, {
          channelId: leg.legId,
          role: leg.resolved.target.kind === 'user' ? 'agent' : 'outside',
          userId: leg.resolved.reservedUserId,
          activityId: leg.activityId,
          answeredAt: now,
          result: 'completed',
          holdsLine: leg.resolved.reservedUserId !== null,
          label: leg.resolved.label,
          number: leg.resolved.target.kind === 'number' ? leg.resolved.target.number : null,
        });
        this.transferLeg = undefined;
        await this.deps.legs.updateActivity(leg.activityId, { answeredAt: now, result: 'answered', ringSeconds: secondsBetween(leg.startedAt, now) });
        return;
      }
      case 'linkLost':
        for (const p of this.state.parties.filter((q) => q.up)) await this.closeParty(p.id, now, 'interrupted');
        if (this.transferLeg) {
          await this.deps.legs.updateActivity(this.transferLeg.activityId, { endedAt: now, result: 'interrupted' });
          if (this.transferLeg.resolved.reservedUserId) await this.deps.lines.release(this.transferLeg.resolved.reservedUserId, now);
        }
        return;
      case 'adopted':
        // Hung up while no process watched: closed now, with what can be known.
        for (const id of input.gone) if (this.state.parties.find((p) => p.id === id)?.up) await this.closeParty(id, now);
        return;
      case 'hold':
      case 'resume':
      case 'transfer':
      case 'transferRefused':
      case 'partiesJoined':
      case 'partiesLeft':
      case 'bargeIn':
      case 'bargeOut':
        return;
      default:
        return unhandled('input', input);
    }
  }

  private async closeParty(partyId: string, now: Date, forced?: string): Promise<void> {
    const p = this.parties.get(partyId);
    if (!p) return;
    const result = forced ?? p.resultOverride ?? p.result;
    this.results.set(partyId, result ?? 'completed');
    await this.deps.legs.updateActivity(p.activityId, {
      endedAt: now,
      talkSeconds: secondsBetween(p.answeredAt, now),
      recording: this.spec.recording,
      ...(result ? { result } : {}),
    });
    if (p.holdsLine && p.userId) await this.deps.lines.release(p.userId, now);
  }

  protected async run(command: ConversationCommand): Promise<void> {
    const ari = this.deps.ari;
    switch (command.type) {
      case 'startMoh':
        // Music to the party, and nobody in the bridge hears them meanwhile.
        await ari.channels.startMoh(command.partyId);
        await ari.channels.mute(command.partyId, 'in');
        return;
      case 'stopMoh':
        await ari.channels.stopMoh(command.partyId);
        await ari.channels.unmute(command.partyId, 'in');
        return;
      case 'dialTransfer':
        return this.dialTransfer();
      case 'cancelTransfer':
        await ari.channels.hangup(command.legId, 'normal');
        return;
      case 'joinBridge':
        await this.deps.takeTransfers(command.partyId);
        await ari.bridges.addChannels(this.bridgeId, [command.partyId]);
        return;
      case 'transferProgress':
        await ari.channels.transferProgress(command.partyId, command.state === 'progress' ? 'channel_progress' : command.state === 'answered' ? 'channel_answered' : 'channel_declined');
        return;
      case 'transferred': {
        const from = this.parties.get(command.from);
        const to = this.parties.get(command.to);
        if (from) from.resultOverride = 'transferred';
        // The agent hung up while the target rang: their row is closed already, and was handed on after all.
        if (from && this.results.has(command.from)) {
          this.results.set(command.from, 'transferred');
          await this.deps.legs.updateActivity(from.activityId, { result: 'transferred' });
        }
        this.logger.log(`${this.label}: transferred from ${from?.label ?? command.from} to ${to?.label ?? command.to}`);
        return;
      }
      case 'hangup':
        await ari.channels.hangup(command.partyId, 'normal');
        return;
      case 'apologiseAndHangup': {
        const playbackId = randomUUID();
        this.apologies.set(playbackId, command.partyId);
        this.later(APOLOGY_MAX_MS, () => void ari.channels.hangup(command.partyId, 'normal').catch(() => undefined));
        await ari.channels.play(command.partyId, playbackId, 'sound:leadline/transfer-failed');
        return;
      }
      case 'takenOver':
        return this.handToBarger(command.partyId);
      case 'finish':
        return this.finish();
      default:
        return unhandled('command', command);
    }
  }

  protected override commandFailed(command: ConversationCommand, err: unknown): void {
    super.commandFailed(command, err);
    // A target that answered but cannot join: let it go rather than leave it talking to nobody.
    if (command.type === 'joinBridge') void this.deps.ari.channels.hangup(command.partyId, 'normal').catch(() => undefined);
  }

  /** REFER from a party's phone: an extension, a number, or (Replaces) the agent's other call. */
  private async phoneTransfer(from: string, destination: string | null, replaces: { callId: string; channelId: string | null } | null): Promise<void> {
    const party = this.parties.get(from)!;
    // Only a user's phone hands a call on: a borrower's side (the carrier) never picks where it goes.
    if (party.role !== 'agent' || !party.userId) {
      this.logger.warn(`${this.label}: REFER from ${party.label} (not a user's phone) declined`);
      return this.handle({ type: 'transferRefused', from, via: 'phone' });
    }
    if (replaces) return this.attendedTransfer(from, replaces);
    const resolved = destination ? await this.deps.resolveTarget(this.spec.orgId, party, destination, this.firstOutside(from)) : { refused: 'the REFER named no destination' };
    if ('refused' in resolved) {
      this.logger.warn(`${this.label}: transfer by ${party.label} to ${destination ?? '?'} refused: ${resolved.refused}`);
      await this.deps.recordRefusedTransfer(this.spec, party, destination ?? '', resolved.refused);
      return this.handle({ type: 'transferRefused', from, via: 'phone' });
    }
    return this.startTransfer(from, 'phone', resolved);
  }

  /** The party a transfer is for, shown to the target: the first live outside party (else any other). */
  firstOutside(except: string): PartySpec | null {
    const others = this.liveParties().filter((p) => p.channelId !== except);
    return others.find((p) => p.role === 'outside') ?? others[0] ?? null;
  }

  private async startTransfer(from: string, via: TransferVia, resolved: ResolvedTarget): Promise<void> {
    if (this.transferLeg || this.state.transfer) {
      if (resolved.reservedUserId) await this.deps.lines.release(resolved.reservedUserId, new Date());
      return this.handle({ type: 'transferRefused', from, via });
    }
    const legId = randomUUID();
    const party = this.parties.get(from)!;
    const activityId = await this.deps.legs.openActivity({
      orgId: this.spec.orgId,
      prospectId: this.spec.prospectId,
      callId: this.spec.callId,
      direction: 'outbound',
      purpose: 'transfer',
      fromNumber: resolved.fromNumber,
      toNumber: resolved.target.kind === 'number' ? resolved.target.number : resolved.endpoint,
      userId: resolved.reservedUserId ?? party.userId,
      channelId: legId,
      detail: `transferred by ${party.label} (${via === 'phone' ? 'from the phone' : 'from the dashboard'}) to ${resolved.label}`,
    });
    this.transferLeg = { legId, activityId, startedAt: new Date(), resolved, from };
    await this.handle({ type: 'transfer', from, via, target: resolved.target, legId });
  }

  private async dialTransfer(): Promise<void> {
    const leg = this.transferLeg;
    if (!leg) return;
    this.deps.router.claim(leg.legId, this);
    try {
      await this.deps.ari.channels.originate({
        channelId: leg.legId,
        endpoint: leg.resolved.endpoint,
        app: this.deps.ari.app,
        appArgs: `transfer,${this.spec.callId}`,
        callerId: leg.resolved.callerId,
        timeoutSeconds: TRANSFER_RING_SECONDS,
      });
    } catch (err) {
      this.logger.warn(`${this.label}: could not ring ${leg.resolved.label}: ${err instanceof Error ? err.message : String(err)}`);
      this.feed({ type: 'transferFailed', legId: leg.legId });
    }
  }

  private async attendedTransfer(from: string, replaces: { callId: string; channelId: string | null }): Promise<void> {
    const party = this.parties.get(from)!;
    const other = party.userId ? await this.deps.findConsultation(party.userId, from, replaces) : null;
    if (!other) {
      this.logger.warn(`${this.label}: attended transfer by ${party.label}: no call of theirs matches ${replaces.callId}`);
      return this.handle({ type: 'transferRefused', from, via: 'phone' });
    }
    const moved = await other.conversation.giveAway(other.channelId);
    if (!moved.length) return this.handle({ type: 'transferRefused', from, via: 'phone' });
    for (const p of moved) {
      this.parties.set(p.channelId, { ...p });
      this.deps.router.handOver(p.channelId, this);
      // Their row now belongs to this call; it ends as the leg ends here (e.g. completed).
      await this.deps.legs.moveActivity(p.activityId, this.spec.callId);
      await this.deps.legs.updateActivity(p.activityId, { detail: `joined by attended transfer from ${party.label}` });
    }
    this.logger.log(`${this.label}: attended transfer by ${party.label} to ${moved.map((p) => p.label).join(', ')}`);
    await this.handle({ type: 'partiesJoined', parties: moved.map((p) => ({ id: p.channelId, role: p.role, userId: p.userId, up: true })), replacing: from });
  }

  /** A barging manager became a party (the agent left them alone with the borrower). */
  private handToBarger(partyId: string): void {
    const barger = this.bargers.get(partyId);
    if (!barger) return;
    this.bargers.delete(partyId);
    this.parties.set(partyId, { ...barger.party });
    this.logger.log(`${this.label}: ${barger.party.label} took the call over`);
    // Its end now comes to us; gone already (the phone hung up meanwhile): the call ends as usual.
    if (!this.deps.router.handOver(partyId, this)) this.feed({ type: 'partyEnded', partyId });
    barger.takenOver();
  }

  private async finish(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.clearTimers();
    this.deps.router.release(this);
    await this.deps.ari.bridges.destroy(this.bridgeId).catch(() => undefined);
    await this.deps.legs.updateCall(this.spec.callId, { phase: 'ended', endedAt: new Date() });
    await this.deps.finished(this);
    this.spec.onEnded?.({ recording: this.spec.recording, results: this.results });
  }
}
