import { Logger } from '@nestjs/common';
import { CallerIdChoice, ClickToCallCommand, ClickToCallInput, ClickToCallOutcome, ClickToCallState, clickToCallTransition, initialClickToCallState } from '@leadline/domain';
import { AriLink } from '../telephony/ari/ari-link';
import { AgentLines } from '../telephony/agent-lines';
import { BorrowerDialer } from '../telephony/borrower-dialer';
import { CallLegRepository } from '../telephony/call-legs.repository';
import { CallEventHandlers, secondsBetween, StateMachineRunner, unansweredResult, unhandled } from '../telephony/call-runner';
import { ConversationService } from '../telephony/conversation/conversation.service';
import { StasisRouter } from '../telephony/stasis-router';

/** Who placed the call: a click-to-call, or dial mode handing a queued lead to an operator. */
export type AgentFirstCallKind = 'click_to_call' | 'dial_mode';

/** How the call went, once it is over. */
export interface AgentFirstCallSummary {
  callId: string;
  outcome: ClickToCallOutcome;
  /** The borrower leg's call-activity result (busy, no_answer, failed, completed, ...); null when it was never dialled. */
  borrowerResult: string | null;
  recording: string | null;
}

/** Optional listener of a call's progress (dial mode applies detected outcomes from it). */
export interface AgentFirstCallObserver {
  /** The call's outcome is known (connected as soon as the borrower answers). */
  outcome?(outcome: ClickToCallOutcome, callId: string): void;
  finished?(summary: AgentFirstCallSummary): void;
}

export interface ClickToCallPlan {
  callId: string;
  kind: AgentFirstCallKind;
  orgId: string;
  agentId: string;
  agentName: string;
  agentExtension: string | null;
  prospectId: string | null;
  /** Dial string of the agent's work phone. */
  agentEndpoint: string;
  /** Also the agent channel's id, generated before the originate. */
  agentLegId: string;
  agentActivityId: string;
  borrowerPhone: string;
  borrowerName: string | null;
  callerId: CallerIdChoice;
  observer?: AgentFirstCallObserver;
}

// Stasis args of the two legs, per kind (they name the call in Asterisk's logs).
const APP_ARGS: Record<AgentFirstCallKind, { agent: string; borrower: string }> = {
  click_to_call: { agent: 'click', borrower: 'click-borrower' },
  dial_mode: { agent: 'dial', borrower: 'dial-borrower' },
};

/** What the call needs besides its plan. */
export interface ClickToCallDeps {
  ari: AriLink;
  router: StasisRouter;
  legs: CallLegRepository;
  dialer: BorrowerDialer;
  lines: AgentLines;
  conversations: ConversationService;
}
export const AGENT_RING_SECONDS = 30;
const BORROWER_RING_SECONDS = 45;

interface Leg {
  channelId: string;
  activityId: string;
  startedAt: Date;
  answeredAt?: Date;
  /** We hung it up ourselves before it was answered. */
  cancelled?: boolean;
}

/**
 * One agent-first call (click-to-call, dial mode): feeds ARI events through the pure click-to-call machine, one at a time, and
 * carries out the commands it returns. Call activity is written here.
 */
export class ClickToCallRun extends StateMachineRunner<ClickToCallState, ClickToCallInput, ClickToCallCommand> {
  protected readonly logger = new Logger('ClickToCall');
  protected state: ClickToCallState = initialClickToCallState();
  protected readonly machine = clickToCallTransition;
  private readonly agent: Leg;
  private borrower?: Leg;
  private recording?: string;
  private borrowerResult: string | null = null;
  /** Both legs were handed over to the connected call, which tells the observer how it ended. */
  private handedOver = false;

  private readonly ari: AriLink;
  private readonly repo: CallLegRepository;

  constructor(
    readonly plan: ClickToCallPlan,
    private readonly deps: ClickToCallDeps,
  ) {
    super();
    this.ari = deps.ari;
    this.repo = deps.legs;
    this.agent = { channelId: plan.agentLegId, activityId: plan.agentActivityId, startedAt: new Date() };
  }

  /** Rings the agent's work phone; rejects (after ending the call) when Asterisk refuses to. */
  async start(): Promise<void> {
    this.deps.router.claim(this.agent.channelId, this);
    // The agent's phone shows who they are about to talk to.
    const shown = this.plan.borrowerName ? `"${this.plan.borrowerName.replace(/"/g, '')}" <${this.plan.borrowerPhone}>` : `<${this.plan.borrowerPhone}>`;
    try {
      await this.ari.channels.originate({
        channelId: this.agent.channelId,
        endpoint: this.plan.agentEndpoint,
        app: this.ari.app,
        appArgs: `${APP_ARGS[this.plan.kind].agent},${this.plan.callId}`,
        callerId: shown,
        timeoutSeconds: AGENT_RING_SECONDS,
      });
    } catch (err) {
      // A timed-out POST may still have created the channel: make sure nothing rings on.
      await this.ari.channels.hangup(this.agent.channelId).catch(() => undefined);
      this.feed({ type: 'agentEnded', failed: true });
      await this.settled();
      throw err;
    }
  }

  get label(): string {
    return `${this.plan.kind} call ${this.plan.callId}`;
  }

  /** How the call went (complete once it has finished). */
  summary(): AgentFirstCallSummary {
    return { callId: this.plan.callId, outcome: this.state.outcome ?? 'failed', borrowerResult: this.borrowerResult, recording: this.recording ?? null };
  }

  protected readonly events: CallEventHandlers = {
    answered: (event) => {
      if (event.channelId === this.agent.channelId) this.feed({ type: 'agentAnswered' });
      else if (event.channelId === this.borrower?.channelId) this.feed({ type: 'borrowerAnswered' });
    },
    ended: (event) => {
      if (event.channelId === this.agent.channelId) this.feed({ type: 'agentEnded' }, event.cause);
      else if (event.channelId === this.borrower?.channelId) this.feed({ type: 'borrowerEnded' }, event.cause);
    },
  };

  linkLost(detail: string): void {
    this.feed({ type: 'linkLost', detail });
  }

  // Call activity and presence for the events themselves.
  protected async bookkeeping(input: ClickToCallInput, cause?: number): Promise<void> {
    const now = new Date();
    switch (input.type) {
      case 'agentAnswered':
        if (this.state.agent !== 'ringing') return;
        this.agent.answeredAt = now;
        await this.repo.updateActivity(this.agent.activityId, { answeredAt: now, result: 'answered', ringSeconds: secondsBetween(this.agent.startedAt, now) });
        return;
      case 'agentEnded':
        if (this.state.agent === 'ended') return;
        await this.closeLeg(this.agent, now, input.failed ? 'failed' : undefined, cause);
        await this.deps.lines.release(this.plan.agentId, now);
        return;
      case 'borrowerAnswered':
        if (!this.borrower || this.state.borrower !== 'ringing') return;
        this.borrower.answeredAt = now;
        await this.repo.updateActivity(this.borrower.activityId, { answeredAt: now, result: 'answered', ringSeconds: secondsBetween(this.borrower.startedAt, now) });
        return;
      case 'borrowerEnded':
        if (!this.borrower || this.state.borrower === 'ended') return;
        await this.closeLeg(this.borrower, now, input.failed ? 'failed' : undefined, cause);
        return;
      case 'linkLost':
        // No events will come: close what is open now; the router hangs the channels up at the next link-up.
        if (this.state.agent !== 'ended') {
          await this.closeLeg(this.agent, now, 'interrupted');
          await this.deps.lines.release(this.plan.agentId, now);
        }
        if (this.borrower && this.state.borrower !== 'ended') await this.closeLeg(this.borrower, now, 'interrupted');
        return;
      case 'abort':
      case 'handedOver':
        return;
      default:
        return unhandled('input', input);
    }
  }

  private async closeLeg(leg: Leg, now: Date, forced?: string, cause?: number): Promise<void> {
    const result = forced ?? (leg.answeredAt ? 'completed' : leg.cancelled ? 'cancelled' : unansweredResult(cause));
    if (leg === this.borrower) this.borrowerResult = result;
    await this.repo.updateActivity(leg.activityId, {
      endedAt: now,
      result,
      ...(leg.answeredAt ? { talkSeconds: secondsBetween(leg.answeredAt, now) } : { ringSeconds: secondsBetween(leg.startedAt, now) }),
      ...(this.recording ? { recording: this.recording } : {}),
    });
  }

  protected override commandFailed(command: ClickToCallCommand, err: unknown): void {
    super.commandFailed(command, err);
    // Without a bridge the two legs can't talk: end the call rather than leave them on hold.
    if (command.type === 'connect') this.feed({ type: 'abort', detail: `could not bridge the call: ${err instanceof Error ? err.message : String(err)}` });
  }

  protected async run(command: ClickToCallCommand): Promise<void> {
    switch (command.type) {
      case 'ringback':
        // On an answered channel Asterisk plays the ringing tone in-band.
        return this.ari.channels.ring(this.agent.channelId);
      case 'dialBorrower':
        return this.dialBorrower();
      case 'connect':
        return this.connect();
      case 'hangupAgent':
        if (!this.agent.answeredAt) this.agent.cancelled = true;
        await this.ari.channels.hangup(this.agent.channelId, 'normal');
        return;
      case 'hangupBorrower':
        if (!this.borrower) return;
        if (!this.borrower.answeredAt) this.borrower.cancelled = true;
        await this.ari.channels.hangup(this.borrower.channelId, 'normal');
        return;
      case 'recordOutcome':
        return this.recordOutcome(command.outcome, command.detail);
      case 'finish':
        this.deps.router.release(this);
        // A connected call lives on as the connected call, which closes the row and tells the observer.
        if (this.handedOver) return;
        await this.repo.updateCall(this.plan.callId, { phase: 'ended', endedAt: new Date() });
        this.plan.observer?.finished?.(this.summary());
        return;
      default:
        return unhandled('command', command);
    }
  }

  private async dialBorrower(): Promise<void> {
    try {
      await this.deps.dialer.dial({
        callId: this.plan.callId,
        orgId: this.plan.orgId,
        prospectId: this.plan.prospectId,
        agentId: this.plan.agentId,
        borrowerPhone: this.plan.borrowerPhone,
        callerId: this.plan.callerId,
        appArgs: `${APP_ARGS[this.plan.kind].borrower},${this.plan.callId}`,
        timeoutSeconds: BORROWER_RING_SECONDS,
        owner: this,
        onLeg: (leg) => (this.borrower = leg),
      });
    } catch (err) {
      this.logger.warn(`call ${this.plan.callId}: could not dial ${this.plan.borrowerPhone}: ${err instanceof Error ? err.message : String(err)}`);
      this.feed({ type: 'borrowerEnded', failed: true });
    }
  }

  /** Bridged, recorded and handed over to the connected call. */
  private async connect(): Promise<void> {
    const borrower = this.borrower!;
    // The ringback must stop before the agent hears the borrower.
    await this.ari.channels.ringStop(this.agent.channelId).catch(() => undefined);
    this.recording = `click-${this.plan.callId}`;
    const conversation = await this.deps.conversations.connect({
      callId: this.plan.callId,
      orgId: this.plan.orgId,
      kind: this.plan.kind,
      prospectId: this.plan.prospectId,
      recording: this.recording,
      parties: [
        { channelId: this.agent.channelId, role: 'agent', userId: this.plan.agentId, activityId: this.agent.activityId, answeredAt: this.agent.answeredAt ?? new Date(), result: 'completed', holdsLine: true, label: this.plan.agentName, number: this.plan.agentExtension },
        { channelId: borrower.channelId, role: 'outside', userId: null, activityId: borrower.activityId, answeredAt: borrower.answeredAt ?? new Date(), result: 'completed', holdsLine: false, label: this.plan.borrowerName ?? this.plan.borrowerPhone, number: this.plan.borrowerPhone },
      ],
      onEnded: (ended) => {
        this.borrowerResult = ended.results.get(borrower.channelId) ?? 'completed';
        this.plan.observer?.finished?.(this.summary());
      },
    });
    // The borrower's recording rule may have said "do not record".
    this.recording = conversation.spec.recording ?? undefined;
    this.handedOver = true;
    this.feed({ type: 'handedOver' });
  }

  private recordOutcome(outcome: ClickToCallOutcome, detail?: string): void {
    this.plan.observer?.outcome?.(outcome, this.plan.callId);
    const line = `${this.plan.kind} ${this.plan.callId} by ${this.plan.agentId} to ${this.plan.borrowerPhone}: ${outcome}${detail ? ` (${detail})` : ''}`;
    if (outcome === 'failed') this.logger.warn(line);
    else this.logger.log(line);
  }
}

