import { Logger } from '@nestjs/common';
import { InboundCommand, InboundInput, inboundTransition, InboundOutcome, InboundState } from '@leadline/domain';
import { randomUUID } from 'node:crypto';
import { DistributionRepository } from '../distribution/distribution.repository';
import { AriLink } from '../telephony/ari/ari-link';
import { CallRunner, secondsBetween } from '../telephony/call-runner';

export interface InboundLegPlan {
  legId: string; // also the channel id
  agentId: string;
  activityId: string;
}

export interface InboundCallPlan {
  callId: string;
  callerChannelId: string;
  callerActivityId: string;
  voicemailMaxSeconds: number;
  /** Where unanswered calls are forwarded before voicemail (E.164), if anywhere. */
  fallbackNumber: string | null;
  /** The caller's number, shown to the fallback number. */
  callerE164: string | null;
  legs: InboundLegPlan[];
}

/** What the call needs from its owner. */
export interface InboundCallHost {
  trackPlayback(playbackId: string, call: InboundCall): void;
  trackRecording(name: string, call: InboundCall): void;
  trackChannel(channelId: string, call: InboundCall): void;
  ringingStopped(agentId: string, callId: string, answeredByAgent: boolean): Promise<void>;
  /** The agent's leg ended and the agent is free again in the database: push their presence. */
  agentReleased(agentId: string): Promise<void>;
  finished(call: InboundCall): void;
}

const CAUSE_RESULT: Record<number, string> = { 17: 'busy', 18: 'no_answer', 19: 'no_answer', 21: 'rejected' };
const OUTCOME_RESULT: Record<InboundOutcome, string> = { answered: 'answered', forwarded: 'forwarded', voicemail: 'voicemail', abandoned: 'abandoned', failed: 'failed' };

/** One inbound call: feeds ARI events through the pure inbound machine, one at a time. */
export class InboundCall extends CallRunner<InboundInput, InboundCommand> {
  protected readonly logger = new Logger('InboundCall');
  private readonly legs = new Map<string, InboundLegPlan & { startedAt: Date; answeredAt?: Date; hangupReason?: string }>();
  private readonly startedAt = new Date();
  private answeredAt?: Date;
  private bridgeId?: string;
  private recording?: string;
  /** Originate requests of the agent legs, so a hang-up never overtakes its own originate. */
  private readonly originating = new Map<string, Promise<unknown>>();
  /** The call to the fallback number, while there is one. */
  private forward?: { channelId: string; answered: boolean };

  constructor(
    readonly plan: InboundCallPlan,
    private state: InboundState,
    private readonly ari: AriLink,
    private readonly repo: DistributionRepository,
    private readonly host: InboundCallHost,
  ) {
    super();
    for (const leg of plan.legs) this.legs.set(leg.legId, { ...leg, startedAt: new Date() });
  }

  legOriginating(legId: string, request: Promise<unknown>): void {
    this.originating.set(legId, request);
  }

  has(channelId: string): boolean {
    return channelId === this.plan.callerChannelId || this.legs.has(channelId) || channelId === this.forward?.channelId;
  }

  protected get label(): string {
    return `call ${this.plan.callId}`;
  }

  /** Runs the commands of the initial state (nobody to ring → fallback at once). */
  begin(initial: InboundCommand[], ringTimeoutSeconds: number): void {
    if (this.plan.legs.length) this.later(ringTimeoutSeconds * 1000, () => this.feed({ type: 'ringTimeout' }));
    this.enqueue(async () => {
      for (const c of initial) await this.execute(c);
    });
  }

  channelEnded(channelId: string, cause: number): void {
    if (channelId === this.forward?.channelId) {
      const answered = this.forward.answered;
      this.forward = undefined;
      // The fallback number did not answer: voicemail. It answered and hung up: the call is over.
      if (answered) this.feed({ type: 'fallbackEnded', outcome: 'forwarded' });
      else this.enqueue(() => this.startVoicemail());
      return;
    }
    if (channelId === this.plan.callerChannelId) {
      if (this.forward) void this.ari.channels.hangup(this.forward.channelId, 'normal').catch(() => undefined);
      this.feed({ type: 'callerEnded' }, cause);
    } else if (this.legs.has(channelId)) this.feed({ type: 'legEnded', legId: channelId }, cause);
  }

  /** The fallback number answered: the caller is connected to it and the call recorded. */
  forwardAnswered(channelId: string): void {
    if (this.forward?.channelId !== channelId) return;
    this.forward.answered = true;
    this.enqueue(async () => {
      try {
        await this.ari.channels.answer(this.plan.callerChannelId);
        this.bridgeId = randomUUID();
        await this.ari.bridges.create(this.bridgeId, `inbound-fallback-${this.plan.callId}`);
        await this.ari.bridges.addChannels(this.bridgeId, [this.plan.callerChannelId, channelId]);
        this.recording = `inbound-${this.plan.callId}`;
        await this.ari.bridges.record(this.bridgeId, this.recording);
      } catch (err) {
        this.logger.warn(`call ${this.plan.callId}: forwarding failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
    this.feed({ type: 'fallbackConnected' });
  }

  playbackFinished(): void {
    // The no-agents prompt is over: record the caller's message.
    if (this.state.caller !== 'fallback') return;
    this.recording = `voicemail-${this.plan.callId}`;
    this.host.trackRecording(this.recording, this);
    this.ari.channels.record(this.plan.callerChannelId, this.recording, this.plan.voicemailMaxSeconds).catch((err: unknown) => {
      this.logger.warn(`call ${this.plan.callId}: voicemail could not start: ${err instanceof Error ? err.message : String(err)}`);
      this.recording = undefined;
      this.feed({ type: 'fallbackEnded', outcome: 'voicemail' });
    });
  }

  protected async handle(input: InboundInput, cause?: number): Promise<void> {
    this.logger.debug(`call ${this.plan.callId}: ${input.type}${'legId' in input ? ` ${input.legId}` : ''}${cause !== undefined ? ` cause ${cause}` : ''}`);
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
    for (const c of commands) await this.execute(c);
  }

  private async closeLeg(legId: string, now: Date, cause?: number): Promise<void> {
    const leg = this.legs.get(legId);
    if (!leg) return;
    const result = leg.legId === this.state.winnerLegId ? 'completed' : leg.hangupReason === 'answered_elsewhere' ? 'cancelled' : leg.answeredAt ? 'hung_up' : (CAUSE_RESULT[cause ?? 0] ?? 'no_answer');
    await this.repo.updateActivity(leg.activityId, {
      endedAt: now,
      result,
      ...(leg.answeredAt ? { answeredAt: leg.answeredAt, talkSeconds: secondsBetween(leg.answeredAt, now) } : { ringSeconds: secondsBetween(leg.startedAt, now) }),
      ...(leg.legId === this.state.winnerLegId && this.recording ? { recording: this.recording } : {}),
    });
    await this.repo.releaseAgent(leg.agentId, now);
    await this.host.agentReleased(leg.agentId);
  }

  protected async run(command: InboundCommand): Promise<void> {
    switch (command.type) {
      case 'connect': {
        const caller = this.plan.callerChannelId;
        await this.ari.channels.answer(caller);
        this.bridgeId = randomUUID();
        await this.ari.bridges.create(this.bridgeId, `inbound-${this.plan.callId}`);
        await this.ari.bridges.addChannels(this.bridgeId, [caller, command.legId]);
        this.recording = `inbound-${this.plan.callId}`;
        await this.ari.bridges.record(this.bridgeId, this.recording);
        const agentId = this.legs.get(command.legId)!.agentId;
        await this.repo.updateActivity(this.plan.callerActivityId, { answeredAt: new Date(), ringSeconds: secondsBetween(this.startedAt, new Date()) });
        await this.repo.setActivityUser(this.plan.callerActivityId, agentId);
        return;
      }
      case 'hangupLeg': {
        const leg = this.legs.get(command.legId);
        if (leg) leg.hangupReason = command.reason;
        // A hang-up that overtakes its originate finds no channel yet and would leave it ringing.
        await this.originating.get(command.legId)?.catch(() => undefined);
        await this.ari.channels.hangup(command.legId, command.reason);
        return;
      }
      case 'stopRinging': {
        const winner = this.state.winnerLegId ? this.legs.get(this.state.winnerLegId)?.agentId : undefined;
        await this.host.ringingStopped(command.agentId, this.plan.callId, winner === command.agentId);
        return;
      }
      case 'startFallback':
        if (this.plan.fallbackNumber) return this.forwardToFallback(this.plan.fallbackNumber);
        return this.startVoicemail();
      case 'hangupCaller':
        await this.ari.channels.hangup(this.plan.callerChannelId, 'normal');
        return;
      case 'recordOutcome': {
        const now = new Date();
        await this.repo.updateActivity(this.plan.callerActivityId, {
          result: OUTCOME_RESULT[command.outcome],
          ...(command.outcome === 'voicemail' && this.recording ? { recording: this.recording } : {}),
        });
        this.logger.log(`inbound call ${this.plan.callId}: ${command.outcome} at ${now.toISOString()}`);
        return;
      }
      case 'finish': {
        this.clearTimers();
        const now = new Date();
        await this.repo.updateActivity(this.plan.callerActivityId, {
          endedAt: now,
          ...(this.answeredAt ? { talkSeconds: secondsBetween(this.answeredAt, now) } : {}),
          ...(this.recording ? { recording: this.recording } : {}),
        });
        if (this.bridgeId) await this.ari.bridges.destroy(this.bridgeId);
        this.host.finished(this);
        return;
      }
      default: {
        const unreachable: never = command;
        throw new Error(`unknown command ${JSON.stringify(unreachable)}`);
      }
    }
  }

  private async forwardToFallback(number: string): Promise<void> {
    const channelId = randomUUID();
    this.forward = { channelId, answered: false };
    this.host.trackChannel(channelId, this);
    try {
      await this.ari.channels.originate({ channelId, endpoint: `PJSIP/${number}@trunk`, app: this.ari.app, appArgs: `inbound-fallback,${this.plan.callId}`, callerId: this.plan.callerE164 ?? undefined, timeoutSeconds: 30 });
    } catch (err) {
      this.logger.warn(`call ${this.plan.callId}: could not forward to ${number}: ${err instanceof Error ? err.message : String(err)}`);
      this.forward = undefined;
      await this.startVoicemail();
    }
  }

  private async startVoicemail(): Promise<void> {
    if (this.state.caller !== 'fallback') return;
    await this.ari.channels.answer(this.plan.callerChannelId);
    const playbackId = randomUUID();
    this.host.trackPlayback(playbackId, this);
    await this.ari.channels.play(this.plan.callerChannelId, playbackId, 'sound:leadline/no-agents');
  }

}

