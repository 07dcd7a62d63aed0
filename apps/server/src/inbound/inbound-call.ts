import { Logger } from '@nestjs/common';
import type { IncomingCallNotice } from '@leadline/contracts';
import { InboundCommand, InboundInput, inboundTransition, InboundOutcome, InboundState, RecordingDecision } from '@leadline/domain';
import { randomUUID } from 'node:crypto';
import { AgentLines } from '../telephony/agent-lines';
import { AriLink } from '../telephony/ari/ari-link';
import { CallLegRepository } from '../telephony/call-legs.repository';
import { CallRunner, secondsBetween, unansweredResult } from '../telephony/call-runner';
import { ConversationService } from '../telephony/conversation/conversation.service';
import { RecordingDisclosure } from '../telephony/recording-disclosure';
import { CallsPlaced } from '../telephony/calls-placed';
import { CallEvent, StasisRouter } from '../telephony/stasis-router';

export interface InboundLegPlan {
  legId: string; // also the channel id
  agentId: string;
  agentName: string;
  extension: string | null;
  endpoint: string;
  activityId: string;
  popup: IncomingCallNotice;
}

/** What routing decided for the call (InboundService.route). */
export interface InboundCallPlan {
  callId: string;
  orgId: string;
  prospectId: string | null;
  callerActivityId: string;
  /** The caller's number (E.164), or null when blocked. */
  callerE164: string | null;
  /** The caller as people see them: the lead's name, the number, or "Anonymous". */
  callerLabel: string;
  /** Shown on the agents' phones. */
  callerIdShown: string;
  /** The state to start from: agents ringing, or straight to the fallback when nobody can be rung. */
  start: { state: InboundState; commands: InboundCommand[] };
  legs: InboundLegPlan[];
  /** Writes the call's row, the caller's leg and every agent's leg (one commit; the ids above are theirs). */
  writeRows(): Promise<void>;
}

/** What the call needs besides its plan. */
export interface InboundCallDeps {
  ari: AriLink;
  router: StasisRouter;
  legs: CallLegRepository;
  lines: AgentLines;
  conversations: ConversationService;
  disclosure: RecordingDisclosure;
  /** Hangs up an agent's leg the call lets go (LegCanceller: another agent's answered it over AMI). */
  hangUpLeg(channelId: string, reason: string): Promise<boolean>;
  ringTimeoutSeconds: number;
  voicemailMaxSeconds: number;
  /** Where unanswered calls are forwarded before voicemail (E.164), if anywhere. */
  fallbackNumber: string | null;
  /** Marks an agent as rung by an inbound call (blinking red) or not any more; `announcePresence` announces it. */
  markRinging(agentId: string, ringing: boolean): void;
  /** Announces an agent's presence as it is now (pushes, BLF) when it changed. */
  announcePresence(agentId: string): Promise<void>;
  /** The incoming-call popup on the agent's dashboard. */
  popup(agentId: string, notice: IncomingCallNotice): void;
  /** The call stopped ringing this agent: hide the popup. */
  popupEnded(agentId: string, callId: string, answeredByAgent: boolean): void;
}

const OUTCOME_RESULT: Record<InboundOutcome, string> = { answered: 'answered', forwarded: 'forwarded', voicemail: 'voicemail', abandoned: 'abandoned', failed: 'failed' };

/**
 * One inbound call, owned in the StasisRouter from its StasisStart on: routing runs first (queued
 * like any input), then ARI events go through the pure inbound machine, one at a time. A caller who
 * hangs up while routing still runs is never left ringing agents for a ghost call.
 */
export class InboundCall extends CallRunner<InboundInput, InboundCommand> {
  protected readonly logger = new Logger('InboundCall');
  private plan?: InboundCallPlan;
  private state?: InboundState;
  private readonly legs = new Map<string, InboundLegPlan & { startedAt: Date; answeredAt?: Date; hangupReason?: string; closed?: boolean; failed?: boolean }>();
  private readonly startedAt = new Date();
  private answeredAt?: Date;
  private bridgeId?: string;
  private recording?: string;
  /** The caller and the agent who answered were handed over to the connected call. */
  private handedOver = false;
  /** Originate requests of the agent legs, so a hang-up never overtakes its own originate. */
  private readonly originating = new Map<string, Promise<unknown>>();
  /** The agents' calls, placed by Asterisk or not ringing (ringAgents waits for them). */
  private placed?: CallsPlaced;
  /** The call to the fallback number, while there is one. */
  private forward?: { channelId: string; answered: boolean };
  private voicemailPlayback?: string;
  /** The caller hung up (known at once, before the queue gets to it). */
  private callerGone = false;
  /** Agents whose phones stopped ringing (their popup was taken down). */
  private readonly stoppedRinging = new Set<string>();
  /**
   * The caller's recording rule, applied while the agents ring: the disclosure played to them as
   * early media before anyone answers. Null when it could not be decided (the connected call then
   * decides and plays it itself).
   */
  private disclosure?: Promise<RecordingDecision | null>;

  constructor(
    readonly callerChannelId: string,
    private readonly deps: InboundCallDeps,
  ) {
    super();
  }

  get label(): string {
    return `inbound call ${this.plan?.callId ?? `on ${this.callerChannelId}`}`;
  }

  /**
   * Routes the call (queued first: every event of the caller is handled after it). The agents are
   * rung as soon as routing has reserved them; the call's rows are written while their phones ring
   * (every input waits for them). A call whose rows cannot be written is dropped: its agents' phones
   * stop ringing, they are given back, and the caller gets a failure answer.
   */
  route(decide: () => Promise<InboundCallPlan | null>): void {
    this.enqueue(async () => {
      let plan: InboundCallPlan | null;
      try {
        plan = await decide();
      } catch (err) {
        // Routing failed (the agents it reserved are given back): the caller is not left ringing in
        // our app. A failure answer lets the carrier route the call elsewhere.
        this.logger.error(`${this.label}: routing failed: ${err instanceof Error ? err.stack : String(err)}`);
        this.deps.router.release(this);
        await this.deps.ari.channels.hangup(this.callerChannelId, 'congestion');
        return;
      }
      if (!plan) {
        await this.deps.ari.channels.hangup(this.callerChannelId, 'normal');
        return;
      }
      this.plan = plan;
      this.state = plan.start.state;
      for (const leg of plan.legs) this.legs.set(leg.legId, { ...leg, startedAt: new Date() });
      if (plan.legs.length) this.later(this.deps.ringTimeoutSeconds * 1000, () => this.feed({ type: 'ringTimeout' }));
      await this.ringAgents();
      // Once Asterisk has the originates: Node writes a request to its connection a tick later, and
      // the recording rule's decision (two MikroORM reads, on a synchronous driver) runs to its end
      // without letting that tick come (docs/benchmarks.md, "Inbound: the agents' reservation by
      // their ids"). It still plays long before an agent can answer.
      if (plan.legs.length && !this.callerGone) this.disclosure = this.disclose(plan);
      try {
        await plan.writeRows();
      } catch (err) {
        this.logger.error(`${this.label}: could not write the call's rows: ${err instanceof Error ? err.stack : String(err)}`);
        await this.drop();
        return;
      }
      for (const c of plan.start.commands) await this.execute(c);
    });
  }

  /**
   * The call's rows could not be written after its agents were rung: nothing of it is kept. The
   * phones stop ringing, the agents are free again, the caller gets a failure answer (the carrier
   * may route the call elsewhere), and every later event of the call is ignored.
   */
  private async drop(): Promise<void> {
    const plan = this.plan!;
    this.state = undefined;
    this.clearTimers();
    const now = new Date();
    await Promise.all(
      plan.legs.map(async (leg) => {
        this.stoppedRinging.add(leg.agentId);
        await this.originating.get(leg.legId)?.catch(() => undefined);
        await this.deps.ari.channels.hangup(leg.legId, 'normal').catch(() => undefined);
        this.deps.popupEnded(leg.agentId, plan.callId, false);
        this.deps.markRinging(leg.agentId, false);
        await this.deps.lines.release(leg.agentId, now);
      }),
    );
    this.deps.router.release(this);
    await this.deps.ari.channels.hangup(this.callerChannelId, 'congestion').catch(() => undefined);
  }

  onCallEvent(event: CallEvent): void {
    switch (event.type) {
      case 'answered':
        if (this.legs.has(event.channelId)) this.feed({ type: 'legAnswered', legId: event.channelId });
        else if (event.channelId === this.forward?.channelId) this.forwardAnswered(event.channelId);
        return;
      case 'dialing':
        return this.placed?.settle(event.channelId);
      case 'ended':
        this.placed?.settle(event.channelId);
        return this.channelEnded(event.channelId, event.cause);
      case 'playbackFinished':
        if (event.playbackId === this.voicemailPlayback) this.enqueue(() => this.recordVoicemail());
        return;
      case 'recordingFinished':
        if (event.name === this.recording && this.state?.caller === 'fallback') this.feed({ type: 'fallbackEnded', outcome: 'voicemail' });
        return;
      case 'dtmf':
      case 'shuttingDown':
      case 'hold':
      case 'unhold':
      case 'transferRequested':
        return;
      default: {
        const unreachable: never = event;
        throw new Error(`unknown event ${JSON.stringify(unreachable)}`);
      }
    }
  }

  linkLost(): void {
    this.feed({ type: 'linkLost' });
  }

  private channelEnded(channelId: string, cause: number): void {
    if (channelId === this.forward?.channelId) {
      const answered = this.forward.answered;
      this.forward = undefined;
      // The fallback number did not answer: voicemail. It answered and hung up: the call is over.
      if (answered) this.feed({ type: 'fallbackEnded', outcome: 'forwarded' });
      else this.enqueue(() => this.startVoicemail());
      return;
    }
    if (channelId === this.callerChannelId) {
      this.callerGone = true;
      if (this.forward) void this.deps.ari.channels.hangup(this.forward.channelId, 'normal').catch(() => undefined);
      this.feed({ type: 'callerEnded' }, cause);
    } else if (this.legs.has(channelId)) this.feed({ type: 'legEnded', legId: channelId }, cause);
  }

  /**
   * The caller hears the disclosure (when their rule asks for it) while the agents ring, before
   * anyone answers: played to the unanswered channel, Asterisk sends it as early media (183). Then
   * ringback again, while nobody has answered yet. Not in the queue: answers go on meanwhile, and
   * `connect` waits for it.
   */
  private async disclose(plan: InboundCallPlan): Promise<RecordingDecision | null> {
    try {
      const decided = await this.deps.disclosure.decide(plan.orgId, plan.prospectId, plan.callerE164);
      if (decided.decision.rule !== 'disclosed' || this.callerGone) return decided.decision;
      const applied = await this.deps.disclosure.apply(decided, [this.callerChannelId]);
      // In-band ringback now that the early media is up (Asterisk generates it), until connected.
      if (!this.callerGone && this.state?.winnerLegId === null && this.state.caller === 'ringing') await this.deps.ari.channels.ring(this.callerChannelId).catch(() => undefined);
      return applied;
    } catch (err) {
      this.logger.warn(`${this.label}: recording rule not decided while ringing: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    }
  }

  /** Stops the in-band ringback the disclosure left the caller with (before answering them). */
  private async stopRingback(): Promise<void> {
    if (this.disclosure) await this.deps.ari.channels.ringStop(this.callerChannelId).catch(() => undefined);
  }

  /**
   * Rings every planned agent at once (not in the queue: answers must not wait for the INVITEs).
   * Then, once Asterisk has answered the originates and placed the agents' calls (at most
   * CALLS_PLACED_WAIT_MAX_MS): the popups and the presence pushes, so as not to compete with the
   * INVITEs (docs/benchmarks.md, "Inbound: popups and presence after the originates' answers",
   * "Inbound: the agents' reservation by their ids" and "the round's writes after its INVITEs").
   * Resolves at that moment (at once when nobody is rung); the recording rule's decision and the
   * call's rows wait for it too.
   */
  private ringAgents(): Promise<void> {
    const plan = this.plan!;
    if (!plan.legs.length || this.callerGone) return Promise.resolve();
    // The caller hears ringback while the agents' phones ring. Sent first, before any early media:
    // not deferred with the rest below, where it could reach the caller while the disclosure plays
    // (disclose() rings again once the prompt has ended).
    void this.deps.ari.channels.ring(this.callerChannelId).catch(() => undefined);
    const placed = (this.placed = new CallsPlaced(plan.legs.map((l) => l.legId)));
    for (const leg of plan.legs) {
      // Marked ringing (synchronously) before the INVITE, so a fast answer can't leave the light
      // blinking; announced below.
      this.deps.markRinging(leg.agentId, true);
      this.deps.router.claim(leg.legId, this);
      const request = placed.originated(leg.legId, this.deps.ari.channels.originate({
        channelId: leg.legId,
        endpoint: leg.endpoint,
        app: this.deps.ari.app,
        appArgs: `inbound-agent,${plan.callId}`,
        callerId: plan.callerIdShown,
        timeoutSeconds: this.deps.ringTimeoutSeconds + 5,
      }));
      this.originating.set(leg.legId, request);
      request.catch((err: unknown) => {
        this.legs.get(leg.legId)!.failed = true;
        this.logger.warn(`${this.label}: could not ring ${leg.endpoint}: ${err instanceof Error ? err.message : String(err)}`);
        this.feed({ type: 'legEnded', legId: leg.legId });
      });
    }
    const answered = placed.settled();
    void answered.then(() => {
      for (const leg of plan.legs) {
        if (!this.stoppedRinging.has(leg.agentId)) this.deps.popup(leg.agentId, leg.popup);
        this.deps.announcePresence(leg.agentId).catch((err: unknown) => this.logger.warn(`${this.label}: presence of ${leg.agentId}: ${err instanceof Error ? err.message : String(err)}`));
      }
    });
    return answered;
  }

  protected async handle(input: InboundInput, cause?: number): Promise<void> {
    // Routing declined the call (or never got to plan it): nothing rings, nothing to do.
    if (!this.state || !this.plan) return;
    this.logger.debug(`${this.label}: ${input.type}${'legId' in input ? ` ${input.legId}` : ''}${cause !== undefined ? ` cause ${cause}` : ''}`);
    const now = new Date();
    if (input.type === 'legAnswered') {
      const leg = this.legs.get(input.legId);
      if (leg && !leg.answeredAt) leg.answeredAt = now;
    }
    if (input.type === 'legEnded') await this.closeLeg(input.legId, now, cause);
    const previous = this.state;
    const { state, commands } = inboundTransition(this.state, input);
    this.state = state;
    if (input.type === 'legAnswered' && previous.winnerLegId === null && state.winnerLegId === input.legId) this.answeredAt = now;
    // A connect waits for the disclosure to end: the other agents' phones stop ringing first.
    const ordered = this.disclosure ? [...commands.filter((c) => c.type !== 'connect'), ...commands.filter((c) => c.type === 'connect')] : commands;
    for (const c of ordered) await this.execute(c);
  }

  private async closeLeg(legId: string, now: Date, cause?: number): Promise<void> {
    const leg = this.legs.get(legId);
    // A connected agent's leg belongs to the connected call, which closes it.
    if (!leg || leg.closed || (this.handedOver && legId === this.state!.winnerLegId)) return;
    leg.closed = true;
    // The end of a channel whose originate failed (hung up after a timeout) may come first.
    await this.originating.get(legId)?.catch(() => undefined);
    const won = leg.legId === this.state!.winnerLegId;
    const result = won ? 'completed' : leg.failed ? 'failed' : leg.hangupReason === 'answered_elsewhere' ? 'cancelled' : leg.answeredAt ? 'hung_up' : unansweredResult(cause);
    await this.deps.legs.updateActivity(leg.activityId, {
      endedAt: now,
      result,
      ...(leg.answeredAt ? { answeredAt: leg.answeredAt, talkSeconds: secondsBetween(leg.answeredAt, now) } : { ringSeconds: secondsBetween(leg.startedAt, now) }),
      ...(won && this.recording ? { recording: this.recording } : {}),
    });
    await this.deps.lines.release(leg.agentId, now);
  }

  protected override commandFailed(command: InboundCommand, err: unknown): void {
    super.commandFailed(command, err);
    // Not bridged: end the call rather than leave the caller and the agent connected to nothing.
    if (command.type === 'connect') {
      void this.deps.ari.channels.hangup(command.legId, 'normal').catch(() => undefined);
      void this.deps.ari.channels.hangup(this.callerChannelId, 'normal').catch(() => undefined);
    }
  }

  protected async run(command: InboundCommand): Promise<void> {
    const plan = this.plan!;
    switch (command.type) {
      case 'connect': {
        const leg = this.legs.get(command.legId)!;
        // An agent who answers during the disclosure waits (in silence) until it has ended.
        const recordingDecision = (await this.disclosure) ?? undefined;
        await this.stopRingback();
        const now = new Date();
        await this.deps.ari.channels.answer(this.callerChannelId);
        await this.deps.legs.updateActivity(plan.callerActivityId, { answeredAt: now, ringSeconds: secondsBetween(this.startedAt, now) });
        await this.deps.legs.setActivityUser(plan.callerActivityId, leg.agentId);
        await this.deps.legs.updateActivity(leg.activityId, { answeredAt: leg.answeredAt ?? now, result: 'answered', ringSeconds: secondsBetween(leg.startedAt, leg.answeredAt ?? now) });
        await this.deps.conversations.connect({
          callId: plan.callId,
          orgId: plan.orgId,
          kind: 'inbound',
          prospectId: plan.prospectId,
          recording: `inbound-${plan.callId}`,
          recordingDecision,
          parties: [
            // The caller's row keeps its result ("answered"); the connected call adds the times and the recording.
            { channelId: this.callerChannelId, role: 'outside', userId: null, activityId: plan.callerActivityId, answeredAt: now, result: null, holdsLine: false, label: plan.callerLabel, number: plan.callerE164 },
            { channelId: leg.legId, role: 'agent', userId: leg.agentId, activityId: leg.activityId, answeredAt: leg.answeredAt ?? now, result: 'completed', holdsLine: true, label: leg.agentName, number: leg.extension },
          ],
        });
        this.handedOver = true;
        this.feed({ type: 'handedOver' });
        return;
      }
      case 'hangupLeg': {
        const leg = this.legs.get(command.legId);
        if (leg) leg.hangupReason = command.reason;
        const originate = this.originating.get(command.legId);
        // Never rung (the caller left while routing ran): nothing to hang up, the leg is over.
        if (!originate) return this.feed({ type: 'legEnded', legId: command.legId });
        // A hang-up that overtakes its originate finds no channel yet and would leave it ringing.
        await originate.catch(() => undefined);
        await this.deps.hangUpLeg(command.legId, command.reason);
        return;
      }
      case 'stopRinging': {
        this.stoppedRinging.add(command.agentId);
        const winner = this.state!.winnerLegId ? this.legs.get(this.state!.winnerLegId)?.agentId : undefined;
        this.deps.popupEnded(command.agentId, plan.callId, winner === command.agentId);
        this.deps.markRinging(command.agentId, false);
        await this.deps.announcePresence(command.agentId);
        return;
      }
      case 'startFallback':
        if (this.deps.fallbackNumber) return this.forwardToFallback(this.deps.fallbackNumber);
        return this.startVoicemail();
      case 'hangupCaller':
        await this.deps.ari.channels.hangup(this.callerChannelId, 'normal');
        return;
      case 'recordOutcome':
        await this.deps.legs.updateActivity(plan.callerActivityId, {
          result: OUTCOME_RESULT[command.outcome],
          ...(command.outcome === 'voicemail' && this.recording ? { recording: this.recording } : {}),
        });
        this.logger.log(`${this.label}: ${command.outcome}`);
        return;
      case 'finish': {
        this.clearTimers();
        this.deps.router.release(this);
        // A connected call lives on as the connected call, which closes the caller's row and the call.
        if (this.handedOver) return;
        const now = new Date();
        await this.deps.legs.updateActivity(plan.callerActivityId, {
          endedAt: now,
          ...(this.answeredAt ? { talkSeconds: secondsBetween(this.answeredAt, now) } : {}),
          ...(this.recording ? { recording: this.recording } : {}),
        });
        if (this.bridgeId) await this.deps.ari.bridges.destroy(this.bridgeId);
        await this.deps.legs.updateCall(plan.callId, { phase: 'ended', endedAt: now, ...(this.recording ? { recording: this.recording } : {}) });
        return;
      }
      default: {
        const unreachable: never = command;
        throw new Error(`unknown command ${JSON.stringify(unreachable)}`);
      }
    }
  }

  /** The fallback number answered: the caller is connected to it and the call recorded. */
  private forwardAnswered(channelId: string): void {
    this.forward!.answered = true;
    const plan = this.plan!;
    this.enqueue(async () => {
      try {
        await this.stopRingback();
        await this.deps.ari.channels.answer(this.callerChannelId);
        this.bridgeId = randomUUID();
        await this.deps.ari.bridges.create(this.bridgeId, `inbound-fallback-${plan.callId}`);
        await this.deps.ari.bridges.addChannels(this.bridgeId, [this.callerChannelId, channelId]);
        this.recording = `inbound-${plan.callId}`;
        await this.deps.ari.bridges.record(this.bridgeId, this.recording);
      } catch (err) {
        this.logger.warn(`${this.label}: forwarding failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
    this.feed({ type: 'fallbackConnected' });
  }

  private async forwardToFallback(number: string): Promise<void> {
    const plan = this.plan!;
    const channelId = randomUUID();
    this.forward = { channelId, answered: false };
    this.deps.router.claim(channelId, this);
    try {
      await this.deps.ari.channels.originate({ channelId, endpoint: `PJSIP/${number}@trunk`, app: this.deps.ari.app, appArgs: `inbound-fallback,${plan.callId}`, callerId: plan.callerE164 ?? undefined, timeoutSeconds: 30 });
    } catch (err) {
      this.logger.warn(`${this.label}: could not forward to ${number}: ${err instanceof Error ? err.message : String(err)}`);
      this.forward = undefined;
      await this.startVoicemail();
    }
  }

  /** Nobody answered: the no-agents prompt, then the caller's message is recorded. */
  private async startVoicemail(): Promise<void> {
    if (this.state?.caller !== 'fallback') return;
    await this.stopRingback();
    await this.deps.ari.channels.answer(this.callerChannelId);
    this.voicemailPlayback = randomUUID();
    await this.deps.ari.channels.play(this.callerChannelId, this.voicemailPlayback, 'sound:leadline/no-agents');
  }

  private async recordVoicemail(): Promise<void> {
    if (this.state?.caller !== 'fallback') return;
    this.recording = `voicemail-${this.plan!.callId}`;
    try {
      await this.deps.ari.channels.record(this.callerChannelId, this.recording, this.deps.voicemailMaxSeconds);
    } catch (err) {
      this.logger.warn(`${this.label}: voicemail could not start: ${err instanceof Error ? err.message : String(err)}`);
      this.recording = undefined;
      this.feed({ type: 'fallbackEnded', outcome: 'voicemail' });
    }
  }
}
