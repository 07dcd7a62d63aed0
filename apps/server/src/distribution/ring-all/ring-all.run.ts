import { Logger } from '@nestjs/common';
import { chooseBorrowerCallerId, FAILURE_REASONS, FailureReason, initialRingAllState, RingAllCommand, RingAllInput, RingAllOutcome, RingAllState, transition } from '@leadline/domain';
import { randomUUID } from 'node:crypto';
import { AriLink } from '../../telephony/ari/ari-link';
import { CallRunner, secondsBetween } from '../../telephony/call-runner';
import { dialBorrower } from '../borrower-leg';
import { DistributionRepository } from '../distribution.repository';

export interface RingAllLegPlan {
  legId: string; // also the channel id
  agentId: string;
  endpoint: string;
  activityId: string;
}

export interface RingAllPlan {
  runId: string;
  orgId: string;
  prospectId: string;
  borrowerPhone: string;
  agentCallerId: Map<string, string | null>;
  orgNumber: string | null;
  orgCallerId: string | null;
  ringTimeoutSeconds: number;
  legs: RingAllLegPlan[];
}

/** What the run needs from its owner: routing of channel and playback ids back to it. */
export interface RingAllRouter {
  trackChannel(channelId: string, run: RingAllRun): void;
  trackPlayback(playbackId: string, run: RingAllRun, legId: string | 'borrower', kind: PlaybackKind): void;
  finished(run: RingAllRun): void;
  /** An agent's call state changed (presence follows). */
  agentChanged(agentId: string): void;
}

export type PlaybackKind = 'prompt' | 'taken' | 'connecting';

// ChannelDestroyed causes (Q.850) we tell apart in call activity.
const CAUSE_RESULT: Record<number, string> = { 17: 'busy', 18: 'no_answer', 19: 'no_answer', 21: 'rejected', 34: 'failed', 38: 'failed' };
const TAKEN_MESSAGE_MAX_MS = 8000;
const ASTERISK_TIMEOUT_MARGIN_SECONDS = 5;
const BORROWER_RING_SECONDS = 45;

/**
 * One ring-all round for one prospect: feeds ARI events through the pure state machine, one at a
 * time, and carries out the commands it returns. Call activity and speed-to-lead are written here.
 */
export class RingAllRun extends CallRunner<RingAllInput, RingAllCommand> {
  protected readonly logger = new Logger('RingAll');
  private state: RingAllState;
  private readonly legs = new Map<string, RingAllLegPlan & { answeredAt?: Date; startedAt: Date; playbackId?: string; hangupReason?: string; lastOutcome?: string; originated?: Promise<unknown> }>();
  private borrower?: { channelId: string; activityId: string; startedAt: Date; answeredAt?: Date; connectingPlayback?: string };
  private bridgeId?: string;
  private recording?: string;

  constructor(
    readonly plan: RingAllPlan,
    private readonly ari: AriLink,
    private readonly repo: DistributionRepository,
    private readonly claim: (agentId: string) => Promise<boolean>,
    private readonly fail: (reason: FailureReason, detail: string | null) => Promise<boolean>,
    private readonly router: RingAllRouter,
  ) {
    super();
    this.state = initialRingAllState(plan.legs.map((l) => ({ id: l.legId, agentId: l.agentId })));
    for (const leg of plan.legs) this.legs.set(leg.legId, { ...leg, startedAt: new Date() });
  }

  get borrowerChannelId(): string | undefined {
    return this.borrower?.channelId;
  }

  /** Originates every agent leg at the same moment and starts the ring timeout. */
  async start(): Promise<void> {
    const callerId = this.plan.orgCallerId ? `"New lead" <${this.plan.orgCallerId}>` : undefined;
    for (const leg of this.plan.legs) this.router.trackChannel(leg.legId, this);
    this.later(this.plan.ringTimeoutSeconds * 1000, () => this.feed({ type: 'ringTimeout' }));
    const results = await Promise.allSettled(
      this.plan.legs.map((leg) => {
        const originated = this.ari.channels.originate({
          channelId: leg.legId,
          endpoint: leg.endpoint,
          app: this.ari.app,
          appArgs: `ringall,${this.plan.runId}`,
          callerId,
          // Our own timer ends the round; Asterisk's timeout is only the safety net if we are gone.
          timeoutSeconds: this.plan.ringTimeoutSeconds + ASTERISK_TIMEOUT_MARGIN_SECONDS,
        });
        this.legs.get(leg.legId)!.originated = originated;
        return originated;
      }),
    );
    const now = new Date();
    if (results.some((r) => r.status === 'fulfilled')) await this.repo.stamp(this.plan.prospectId, 'firstRingAt', now);
    results.forEach((r, i) => {
      if (r.status === 'rejected') {
        const leg = this.plan.legs[i];
        this.logger.warn(`could not ring ${leg.endpoint} for prospect ${this.plan.prospectId}: ${String(r.reason)}`);
        this.legs.get(leg.legId)!.lastOutcome = 'failed';
        this.feed({ type: 'legEnded', legId: leg.legId });
      }
    });
  }

  protected get label(): string {
    return `prospect ${this.plan.prospectId}`;
  }

  protected async handle(input: RingAllInput, cause?: number): Promise<void> {
    await this.beforeTransition(input, cause);
    const { state, commands } = transition(this.state, input);
    this.state = state;
    for (const command of commands) await this.execute(command);
  }

  // Call activity bookkeeping for the events themselves.
  private async beforeTransition(input: RingAllInput, cause?: number): Promise<void> {
    const now = new Date();
    switch (input.type) {
      case 'legAnswered': {
        const leg = this.legs.get(input.legId);
        if (!leg || leg.answeredAt) return;
        leg.answeredAt = now;
        await this.repo.updateActivity(leg.activityId, { answeredAt: now, result: 'answered', ringSeconds: secondsBetween(leg.startedAt, now) });
        return;
      }
      case 'legEnded': {
        const leg = this.legs.get(input.legId);
        if (!leg) return;
        const status = this.state.legs.find((l) => l.id === input.legId)?.status;
        const result = leg.lastOutcome ?? legResult(status, leg.answeredAt, leg.hangupReason, cause);
        await this.repo.updateActivity(leg.activityId, {
          endedAt: now,
          result,
          ...(leg.answeredAt ? { talkSeconds: secondsBetween(leg.answeredAt, now) } : { ringSeconds: secondsBetween(leg.startedAt, now) }),
          ...(status === 'won' && this.recording ? { recording: this.recording } : {}),
        });
        await this.repo.releaseAgent(leg.agentId, now);
        this.router.agentChanged(leg.agentId);
        return;
      }
      case 'claimResult':
        if (input.won) await this.repo.stamp(this.plan.prospectId, 'takenAt', now);
        else this.legs.get(input.legId)!.lastOutcome = 'lost';
        return;
      case 'borrowerAnswered':
        if (!this.borrower) return;
        this.borrower.answeredAt = now;
        await this.repo.stamp(this.plan.prospectId, 'borrowerAnsweredAt', now);
        await this.repo.updateActivity(this.borrower.activityId, { answeredAt: now, result: 'answered', ringSeconds: secondsBetween(this.borrower.startedAt, now) });
        return;
      case 'borrowerEnded': {
        if (!this.borrower) return;
        const b = this.borrower;
        await this.repo.updateActivity(b.activityId, {
          endedAt: now,
          result: b.answeredAt ? 'completed' : (CAUSE_RESULT[cause ?? 0] ?? 'no_answer'),
          ...(b.answeredAt ? { talkSeconds: secondsBetween(b.answeredAt, now) } : { ringSeconds: secondsBetween(b.startedAt, now) }),
          ...(this.recording ? { recording: this.recording } : {}),
        });
        return;
      }
      case 'digit':
      case 'promptFinished':
      case 'ringTimeout':
      case 'abort':
      case 'linkLost':
        return;
      default: {
        const unreachable: never = input;
        throw new Error(`unknown input ${JSON.stringify(unreachable)}`);
      }
    }
  }

  protected async run(command: RingAllCommand): Promise<void> {
    switch (command.type) {
      case 'playPrompt':
        return this.play(command.legId, 'sound:leadline/press-1', 'prompt');
      case 'stopPrompt': {
        const leg = this.legs.get(command.legId)!;
        // DTMF does not stop a playback: stop it explicitly.
        if (leg.playbackId) await this.ari.playbacks.stop(leg.playbackId);
        return;
      }
      case 'claim': {
        const leg = this.legs.get(command.legId)!;
        // Not awaited in the queue: several presses may be in flight; the database decides.
        this.claim(leg.agentId).then(
          (won) => this.feed({ type: 'claimResult', legId: leg.legId, won }),
          (err: unknown) => {
            this.logger.error(`claim by ${leg.agentId} failed: ${err instanceof Error ? err.message : String(err)}`);
            this.feed({ type: 'claimResult', legId: leg.legId, won: false });
          },
        );
        return;
      }
      case 'hangupLeg': {
        const leg = this.legs.get(command.legId)!;
        leg.hangupReason = command.reason;
        // A hang-up that overtakes its own originate would find no channel (404 = "gone") and
        // leave the phone ringing: wait until Asterisk has created it.
        await leg.originated?.catch(() => undefined);
        await this.ari.channels.hangup(leg.legId, command.reason);
        return;
      }
      case 'playTakenThenHangup': {
        const leg = this.legs.get(command.legId)!;
        leg.hangupReason = 'taken';
        this.later(TAKEN_MESSAGE_MAX_MS, () => void this.ari.channels.hangup(leg.legId).catch(() => undefined));
        return this.play(command.legId, 'sound:leadline/lead-taken', 'taken');
      }
      case 'playConnecting':
        return this.play(command.legId, 'sound:leadline/connecting', 'connecting');
      case 'dialBorrower':
        return this.dialBorrower(command.legId);
      case 'bridgeWithBorrower':
        return this.bridge(command.legId);
      case 'hangupBorrower':
        if (this.borrower) await this.ari.channels.hangup(this.borrower.channelId, 'normal');
        return;
      case 'recordOutcome':
        return this.recordOutcome(command.outcome);
      case 'finish':
        return this.finish();
      default: {
        const unreachable: never = command;
        throw new Error(`unknown command ${JSON.stringify(unreachable)}`);
      }
    }
  }

  /** Called by the router when a tracked playback ends. */
  playbackFinished(legId: string | 'borrower', kind: PlaybackKind): void {
    if (legId === 'borrower') return;
    if (kind === 'prompt') this.feed({ type: 'promptFinished', legId });
    else if (kind === 'taken') void this.ari.channels.hangup(legId, 'normal').catch(() => undefined);
  }

  private async play(legId: string, media: string, kind: PlaybackKind): Promise<void> {
    const playbackId = randomUUID();
    const leg = this.legs.get(legId)!;
    leg.playbackId = playbackId;
    if (kind === 'connecting' && this.borrower) this.borrower.connectingPlayback = playbackId;
    this.router.trackPlayback(playbackId, this, legId, kind);
    await this.ari.channels.play(legId, playbackId, media);
  }

  private async dialBorrower(winnerLegId: string): Promise<void> {
    const winner = this.legs.get(winnerLegId)!;
    const now = new Date();
    const choice = chooseBorrowerCallerId({
      borrowerPhone: this.plan.borrowerPhone,
      localPresence: await this.repo.localPresence(this.plan.orgId, now),
      agentCallerId: this.plan.agentCallerId.get(winner.agentId) ?? null,
      orgNumber: this.plan.orgNumber,
    });
    try {
      await dialBorrower(this.repo, this.ari, {
        orgId: this.plan.orgId,
        prospectId: this.plan.prospectId,
        agentId: winner.agentId,
        borrowerPhone: this.plan.borrowerPhone,
        callerId: choice,
        appArgs: `ringall-borrower,${this.plan.runId}`,
        timeoutSeconds: BORROWER_RING_SECONDS,
        onLeg: (leg) => {
          this.borrower = leg;
          this.router.trackChannel(leg.channelId, this);
        },
      });
    } catch (err) {
      this.logger.warn(`could not dial the borrower of prospect ${this.plan.prospectId}: ${err instanceof Error ? err.message : String(err)}`);
      this.feed({ type: 'borrowerEnded' }, 38);
    }
  }

  private async bridge(winnerLegId: string): Promise<void> {
    if (!this.borrower) return;
    const winner = this.legs.get(winnerLegId)!;
    if (winner.playbackId) await this.ari.playbacks.stop(winner.playbackId);
    this.bridgeId = randomUUID();
    await this.ari.bridges.create(this.bridgeId, `ringall-${this.plan.prospectId}`);
    await this.ari.bridges.addChannels(this.bridgeId, [winnerLegId, this.borrower.channelId]);
    const name = `ringall-${this.plan.prospectId}-${Date.now()}`;
    await this.ari.bridges.record(this.bridgeId, name);
    this.recording = name;
  }

  private async recordOutcome(outcome: RingAllOutcome): Promise<void> {
    switch (outcome.kind) {
      case 'taken':
        this.logger.log(`prospect ${this.plan.prospectId} taken by ${this.legs.get(outcome.winnerLegId)!.agentId}`);
        return;
      case 'taken_elsewhere':
        // Normally assigned by hand meanwhile; if a claim failed instead, the lead must not stay
        // in `distributing` (the update is guarded, so an assigned lead is left alone).
        if (await this.fail(FAILURE_REASONS.fatalError, 'no claim by an answering agent succeeded')) {
          this.logger.error(`prospect ${this.plan.prospectId}: claims failed; moved to lead exceptions`);
        } else {
          this.logger.log(`prospect ${this.plan.prospectId} was assigned elsewhere during ring all`);
        }
        return;
      case 'no_answer':
        await this.fail(FAILURE_REASONS.noAgentsAnswered, null);
        this.logger.log(`prospect ${this.plan.prospectId}: no agent took it`);
        return;
      case 'fatal':
        await this.fail(FAILURE_REASONS.fatalError, outcome.detail);
        this.logger.error(`prospect ${this.plan.prospectId}: ring all failed: ${outcome.detail}`);
        return;
      default: {
        const unreachable: never = outcome;
        throw new Error(`unknown outcome ${JSON.stringify(unreachable)}`);
      }
    }
  }

  private async finish(): Promise<void> {
    this.clearTimers();
    if (this.bridgeId) await this.ari.bridges.destroy(this.bridgeId).catch(() => undefined);
    this.router.finished(this);
  }

  /**
   * For the router: Asterisk is hanging up a channel of this run because it is stopping or
   * restarting — a telephony failure, not agents not answering.
   */
  asteriskShuttingDown(channelId: string): void {
    const leg = this.legs.get(channelId);
    if (leg && !leg.hangupReason) this.feed({ type: 'abort', detail: 'Asterisk dropped the calls (shutting down or restarting)' });
  }

  /** For the router: a channel of this run ended. */
  channelEnded(channelId: string, cause: number): void {
    this.logger.debug(`prospect ${this.plan.prospectId}: channel ${channelId} ended, cause ${cause}`);
    const leg = this.legs.get(channelId);
    if (this.borrower?.channelId === channelId) this.feed({ type: 'borrowerEnded' }, cause);
    else if (leg) this.feed({ type: 'legEnded', legId: channelId }, cause);
  }
}


function legResult(status: string | undefined, answeredAt: Date | undefined, hangupReason: string | undefined, cause: number | undefined): string {
  if (status === 'won') return 'won';
  if (hangupReason === 'taken') return 'lost';
  if (hangupReason === 'answered_elsewhere') return 'cancelled';
  if (answeredAt) return hangupReason === 'normal' ? 'no_press' : 'hung_up';
  return CAUSE_RESULT[cause ?? 0] ?? 'no_answer';
}
