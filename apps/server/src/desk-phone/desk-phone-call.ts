import { Logger } from '@nestjs/common';
import { CallerIdChoice, DeskPhoneCallCommand, DeskPhoneCallInput, DeskPhoneCallState, deskPhoneCallTransition, DeskPhoneOutcome, DeskPhonePrompt, initialDeskPhoneCallState } from '@leadline/domain';
import { randomUUID } from 'node:crypto';
import { AgentLines } from '../telephony/agent-lines';
import { AriLink } from '../telephony/ari/ari-link';
import { BorrowerDialer } from '../telephony/borrower-dialer';
import { CallLegRepository } from '../telephony/call-legs.repository';
import { CallEventHandlers, secondsBetween, StateMachineRunner, unansweredResult, unhandled } from '../telephony/call-runner';
import { ConversationService } from '../telephony/conversation/conversation.service';
import { StasisRouter } from '../telephony/stasis-router';

/** The far end of a desk-phone call. */
export type DeskPhoneCallee =
  | { kind: 'user'; userId: string; name: string; extension: string | null; endpoint: string }
  | { kind: 'number'; number: string; emergency: boolean; callerId: CallerIdChoice; prospectId: string | null };

/** What routing decided (DeskPhoneService.route). */
export type DeskPhonePlan =
  /** `media`: what the phone hears instead of the prompt's own recording (the voicemail list). */
  | { kind: 'prompt'; prompt: DeskPhonePrompt; outcome: DeskPhoneOutcome; media?: string[] }
  | {
      kind: 'dial';
      callId: string;
      orgId: string;
      caller: { userId: string; name: string; extension: string | null };
      callerActivityId: string;
      callee: DeskPhoneCallee;
    };

export interface DeskPhoneCallDeps {
  ari: AriLink;
  router: StasisRouter;
  legs: CallLegRepository;
  lines: AgentLines;
  dialer: BorrowerDialer;
  conversations: ConversationService;
}

const CALLEE_RING_SECONDS = 45;

/**
 * One call placed from a desk phone, owned in the StasisRouter from its StasisStart on. Routing
 * runs first (queued like any input); then ARI events go through the pure desk-phone machine.
 */
export class DeskPhoneCall extends StateMachineRunner<DeskPhoneCallState, DeskPhoneCallInput, DeskPhoneCallCommand> {
  protected readonly logger = new Logger('DeskPhoneCall');
  protected state: DeskPhoneCallState = initialDeskPhoneCallState();
  protected readonly machine = deskPhoneCallTransition;
  private plan?: DeskPhonePlan;
  private callee?: { channelId: string; activityId: string; startedAt: Date; answeredAt?: Date; cancelled?: boolean; closed?: boolean };
  private readonly startedAt = new Date();
  private promptPlayback?: string;
  private handedOver = false;

  constructor(
    readonly callerChannelId: string,
    readonly dialled: string,
    private readonly deps: DeskPhoneCallDeps,
  ) {
    super();
  }

  get label(): string {
    return `desk-phone call ${this.plan?.kind === 'dial' ? this.plan.callId : `on ${this.callerChannelId}`} to ${this.dialled}`;
  }

  /** Routes the call (queued first: every event of the phone is handled after it). */
  route(decide: () => Promise<DeskPhonePlan>): void {
    this.enqueue(async () => {
      let plan: DeskPhonePlan;
      try {
        plan = await decide();
      } catch (err) {
        this.logger.error(`${this.label}: routing failed: ${err instanceof Error ? err.stack : String(err)}`);
        plan = { kind: 'prompt', prompt: 'number-invalid', outcome: 'failed' };
      }
      this.plan = plan;
      await this.handle({ type: 'routed', route: plan.kind === 'prompt' ? { kind: 'prompt', prompt: plan.prompt, outcome: plan.outcome } : { kind: 'dial' } });
    });
  }

  protected readonly events: CallEventHandlers = {
    ended: (event) => {
      if (event.channelId === this.callerChannelId) this.feed({ type: 'callerEnded' }, event.cause);
      else if (event.channelId === this.callee?.channelId) this.feed({ type: 'calleeEnded', reason: reasonOf(unansweredResult(event.cause)) }, event.cause);
    },
    answered: (event) => {
      if (event.channelId === this.callee?.channelId) this.feed({ type: 'calleeAnswered' });
    },
    playbackFinished: (event) => {
      if (event.playbackId === this.promptPlayback) this.feed({ type: 'promptFinished' });
    },
  };

  linkLost(): void {
    this.feed({ type: 'linkLost' });
  }

  protected async bookkeeping(input: DeskPhoneCallInput, cause?: number): Promise<void> {
    const now = new Date();
    switch (input.type) {
      case 'calleeAnswered':
        if (!this.callee || this.state.callee !== 'ringing') return;
        this.callee.answeredAt = now;
        if (this.callee.activityId) await this.deps.legs.updateActivity(this.callee.activityId, { answeredAt: now, result: 'answered', ringSeconds: secondsBetween(this.callee.startedAt, now) });
        return;
      case 'calleeEnded':
        if (this.callee && !this.callee.closed && this.state.callee !== 'ended') await this.closeCallee(now, this.callee.cancelled ? 'cancelled' : unansweredResult(cause));
        return;
      case 'linkLost':
        if (this.callee && !this.callee.closed && this.state.callee !== 'ended' && this.state.callee !== 'none') await this.closeCallee(now, 'interrupted');
        return;
      case 'routed':
      case 'callerEnded':
      case 'promptFinished':
      case 'handedOver':
        return;
      default:
        return unhandled('input', input);
    }
  }

  private async closeCallee(now: Date, result: string): Promise<void> {
    const callee = this.callee!;
    callee.closed = true;
    if (callee.activityId) {
      await this.deps.legs.updateActivity(callee.activityId, {
        endedAt: now,
        result,
        ...(callee.answeredAt ? { talkSeconds: secondsBetween(callee.answeredAt, now) } : { ringSeconds: secondsBetween(callee.startedAt, now) }),
      });
    }
    const plan = this.plan;
    if (plan?.kind === 'dial' && plan.callee.kind === 'user') await this.deps.lines.release(plan.callee.userId, now);
  }

  protected async run(command: DeskPhoneCallCommand): Promise<void> {
    const ari = this.deps.ari;
    switch (command.type) {
      case 'answerAndPlay':
        await ari.channels.answer(this.callerChannelId);
        this.promptPlayback = randomUUID();
        await ari.channels.play(this.callerChannelId, this.promptPlayback, this.plan?.kind === 'prompt' && this.plan.media ? this.plan.media.join(',') : `sound:leadline/${command.prompt}`);
        return;
      case 'ringback':
        await ari.channels.ring(this.callerChannelId);
        return;
      case 'dialCallee':
        return this.dialCallee();
      case 'connect':
        return this.connect();
      case 'hangupCaller':
        await ari.channels.hangup(this.callerChannelId, command.reason === 'failed' ? 'congestion' : command.reason);
        return;
      case 'hangupCallee':
        if (!this.callee) return;
        if (!this.callee.answeredAt) this.callee.cancelled = true;
        await ari.channels.hangup(this.callee.channelId, 'normal');
        return;
      case 'recordOutcome':
        if (this.plan?.kind === 'dial') await this.deps.legs.updateActivity(this.plan.callerActivityId, { result: command.outcome === 'connected' ? 'answered' : command.outcome });
        this.logger.log(`${this.label}: ${command.outcome}`);
        return;
      case 'finish':
        return this.finish();
      default:
        return unhandled('command', command);
    }
  }

  protected override commandFailed(command: DeskPhoneCallCommand, err: unknown): void {
    super.commandFailed(command, err);
    // A prompt that cannot be played must not leave the phone in silence.
    if (command.type === 'answerAndPlay') void this.deps.ari.channels.hangup(this.callerChannelId, 'normal').catch(() => undefined);
    // Not bridged: both would hear nothing. End the call.
    if (command.type === 'connect') void this.deps.ari.channels.hangup(this.callerChannelId, 'normal').catch(() => undefined);
  }

  private async dialCallee(): Promise<void> {
    const plan = this.plan;
    if (plan?.kind !== 'dial') return;
    const callee = plan.callee;
    try {
      if (callee.kind === 'user') {
        const channelId = randomUUID();
        const activityId = await this.deps.legs.openActivity({
          orgId: plan.orgId,
          prospectId: null,
          callId: plan.callId,
          direction: 'outbound',
          purpose: 'internal',
          fromNumber: plan.caller.extension,
          toNumber: callee.extension,
          userId: callee.userId,
          channelId,
        });
        this.callee = { channelId, activityId, startedAt: new Date() };
        this.deps.router.claim(channelId, this);
        // The colleague's phone shows who calls, and the extension to call back.
        await this.deps.ari.channels.originate({
          channelId,
          endpoint: callee.endpoint,
          app: this.deps.ari.app,
          appArgs: `desk-callee,${plan.callId}`,
          callerId: `"${plan.caller.name.replace(/["\\]/g, '')}" <${plan.caller.extension ?? 'leadline'}>`,
          timeoutSeconds: CALLEE_RING_SECONDS,
        });
      } else {
        await this.deps.dialer.dial({
          callId: plan.callId,
          orgId: plan.orgId,
          prospectId: callee.prospectId,
          agentId: plan.caller.userId,
          borrowerPhone: callee.number,
          callerId: callee.callerId,
          appArgs: `desk-callee,${plan.callId}`,
          timeoutSeconds: CALLEE_RING_SECONDS,
          owner: this,
          purpose: callee.emergency ? 'emergency' : 'borrower',
          emergency: callee.emergency,
          onLeg: (leg) => (this.callee = leg),
        });
      }
    } catch (err) {
      this.logger.warn(`${this.label}: could not dial: ${err instanceof Error ? err.message : String(err)}`);
      this.feed({ type: 'calleeEnded', reason: 'failed' });
    }
  }

  /** Answered at both ends: bridged, recorded and handed over to the connected call. */
  private async connect(): Promise<void> {
    const plan = this.plan;
    if (plan?.kind !== 'dial' || !this.callee) return;
    const now = new Date();
    await this.deps.ari.channels.answer(this.callerChannelId);
    await this.deps.legs.updateActivity(plan.callerActivityId, { answeredAt: now, ringSeconds: secondsBetween(this.startedAt, now) });
    const callee = plan.callee;
    await this.deps.conversations.connect({
      callId: plan.callId,
      orgId: plan.orgId,
      kind: 'desk_phone',
      prospectId: callee.kind === 'number' ? callee.prospectId : null,
      recording: `desk-${plan.callId}`,
      emergency: callee.kind === 'number' && callee.emergency,
      parties: [
        { channelId: this.callerChannelId, role: 'agent', userId: plan.caller.userId, activityId: plan.callerActivityId, answeredAt: now, result: 'completed', holdsLine: true, label: plan.caller.name, number: plan.caller.extension },
        callee.kind === 'user'
          ? { channelId: this.callee.channelId, role: 'agent', userId: callee.userId, activityId: this.callee.activityId, answeredAt: this.callee.answeredAt ?? now, result: 'completed', holdsLine: true, label: callee.name, number: callee.extension }
          : { channelId: this.callee.channelId, role: 'outside', userId: null, activityId: this.callee.activityId, answeredAt: this.callee.answeredAt ?? now, result: 'completed', holdsLine: false, label: callee.number, number: callee.number },
      ],
    });
    this.handedOver = true;
    this.feed({ type: 'handedOver' });
  }

  private async finish(): Promise<void> {
    this.deps.router.release(this);
    const plan = this.plan;
    // Connected: the connected call closes the rows, the lines and the call.
    if (this.handedOver || plan?.kind !== 'dial') return;
    const now = new Date();
    await this.deps.legs.updateActivity(plan.callerActivityId, { endedAt: now, ringSeconds: secondsBetween(this.startedAt, now) });
    await this.deps.lines.release(plan.caller.userId, now);
    if (this.callee && !this.callee.closed) await this.closeCallee(now, 'cancelled');
    // Reserved for a colleague who was never rung (the dial failed before the channel existed).
    else if (!this.callee && plan.callee.kind === 'user') await this.deps.lines.release(plan.callee.userId, now);
    await this.deps.legs.updateCall(plan.callId, { phase: 'ended', endedAt: now });
  }
}

function reasonOf(result: string): 'busy' | 'no_answer' | 'failed' {
  if (result === 'busy' || result === 'rejected') return 'busy';
  if (result === 'failed') return 'failed';
  return 'no_answer';
}
