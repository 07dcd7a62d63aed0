import { Logger } from '@nestjs/common';
import { FAILURE_REASONS, FailureReason, initialRingAllState, LocalPresenceCandidate, RingAllCommand, RingAllInput, RingAllOutcome, RingAllState, transition } from '@leadline/domain';
import { randomUUID } from 'node:crypto';
import { waitAtMost } from '../../common/wait-at-most';
import { AgentLines } from '../../telephony/agent-lines';
import { AriLink } from '../../telephony/ari/ari-link';
import { BorrowerDialer } from '../../telephony/borrower-dialer';
import { CallLegRepository } from '../../telephony/call-legs.repository';
import { CallsPlaced } from '../../telephony/calls-placed';
import { CallEventHandlers, secondsBetween, StateMachineRunner, unansweredResult, unhandled } from '../../telephony/call-runner';
import { ConversationService } from '../../telephony/conversation/conversation.service';
import { StasisRouter } from '../../telephony/stasis-router';
import { DistributionRepository } from '../distribution.repository';

export interface RingAllLegPlan {
  legId: string; // also the channel id
  agentId: string;
  /** The agent's name and extension (shown on the connected call). */
  agentName: string;
  extension: string | null;
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

/** What the run needs besides ARI and the database. */
export interface RingAllDeps {
  ari: AriLink;
  router: StasisRouter;
  repo: DistributionRepository;
  legs: CallLegRepository;
  dialer: BorrowerDialer;
  lines: AgentLines;
  conversations: ConversationService;
  claim(agentId: string): Promise<boolean>;
  /** Hangs up an agent's leg the round lets go (LegCanceller: the losers over AMI). */
  hangUpLeg(channelId: string, reason: string): Promise<boolean>;
  fail(reason: FailureReason, detail: string | null): Promise<boolean>;
}

type PlaybackKind = 'prompt' | 'taken' | 'connecting';
const TAKEN_MESSAGE_MAX_MS = 8000;
const ASTERISK_TIMEOUT_MARGIN_SECONDS = 5;
const BORROWER_RING_SECONDS = 45;
/**
 * The losers' cancels (the commands after the borrower's dial) wait for Asterisk's answer to the
 * borrower's originate, so as not to compete with it (docs/benchmarks.md, "the losers' cancels with
 * the borrower's dial, tried and dropped"), but no longer than this: with 20 rounds at once that
 * answer took a second and more, and the losers' phones rang on meanwhile.
 */
const CANCELS_WAIT_FOR_DIAL_MAX_MS = 50;
interface LegRuntime extends RingAllLegPlan {
  startedAt: Date;
  answeredAt?: Date;
  playbackId?: string;
  hangupReason?: string;
  lastOutcome?: string;
  originated?: Promise<unknown>;
  /**
   * The leg's playbacks and their stops, one after another, outside the round's queue: a stop sent
   * before Asterisk has created its playback would find nothing and the prompt would play on, yet
   * the round's other inputs (the winning digit, the claim's result) must not wait for Asterisk's
   * answer to a playback (docs/benchmarks.md, "Ring All: playbacks outside the round's queue").
   */
  media: Promise<unknown>;
}

/**
 * One ring-all round for one prospect: feeds ARI events through the pure state machine, one at a
 * time, and carries out the commands it returns. Call activity and speed-to-lead are written here.
 */
export class RingAllRun extends StateMachineRunner<RingAllState, RingAllInput, RingAllCommand> {
  protected readonly logger = new Logger('RingAll');
  protected state: RingAllState;
  protected readonly machine = transition;
  private readonly legs = new Map<string, LegRuntime>();
  private borrower?: { channelId: string; activityId: string; startedAt: Date; answeredAt?: Date; ended?: boolean };
  /** The winner and the borrower were handed over to the connected call (their legs are its now). */
  private handedOver = false;
  /** The org's local presence numbers, read when the first agent answers (dialBorrower). */
  private localPresence?: Promise<LocalPresenceCandidate[] | undefined>;
  private readonly playbacks = new Map<string, { legId: string; kind: PlaybackKind }>();
  private readonly ari: AriLink;
  private readonly repo: DistributionRepository;
  private readonly calls: CallLegRepository;
  private markFinished!: () => void;
  /** The agents' calls, placed by Asterisk or not ringing (the rows wait for them: start). */
  private readonly placed: CallsPlaced;
  /** Resolves once the round is over: lost, failed, or handed over to the connected call (graceful stop waits for it). */
  readonly finished = new Promise<void>((resolve) => (this.markFinished = resolve));

  constructor(
    readonly plan: RingAllPlan,
    private readonly deps: RingAllDeps,
  ) {
    super();
    this.ari = deps.ari;
    this.repo = deps.repo;
    this.calls = deps.legs;
    this.state = initialRingAllState(plan.legs.map((l) => ({ id: l.legId, agentId: l.agentId })));
    for (const leg of plan.legs) this.legs.set(leg.legId, { ...leg, startedAt: new Date(), media: Promise.resolve() });
    this.placed = new CallsPlaced(this.legs.keys());
  }

  /**
   * Originates every agent leg at the same moment, starts the ring timeout, and writes the round's
   * rows (`writeRows`) once Asterisk has answered the originates and placed every leg's call, at
   * most CALLS_PLACED_WAIT_MAX_MS after they were sent. Written before, their commit delayed the
   * first originate; written while Asterisk works on the originates, the server's CPU competed
   * with Asterisk's for the INVITEs (docs/benchmarks.md, "Ring All: the rows written while the
   * phones ring", and "the round's writes after its INVITEs"). The agents' presence comes after.
   * Every input of the round waits for the rows, since each is booked against them; a round whose
   * rows cannot be written is aborted (its phones hung up, the lead filed as a lead exception).
   */
  async start(writeRows: () => Promise<unknown>): Promise<void> {
    const callerId = this.plan.orgCallerId ? `"New lead" <${this.plan.orgCallerId}>` : undefined;
    for (const leg of this.plan.legs) this.deps.router.claim(leg.legId, this);
    let rowsSettled!: () => void;
    const rows = new Promise<void>((resolve) => (rowsSettled = resolve));
    this.enqueue(() => rows);
    this.later(this.plan.ringTimeoutSeconds * 1000, () => this.feed({ type: 'ringTimeout' }));
    const originates = Promise.allSettled(
      this.plan.legs.map((leg) => {
        const originated = this.placed.originated(leg.legId, this.ari.channels.originate({
          channelId: leg.legId,
          endpoint: leg.endpoint,
          app: this.ari.app,
          appArgs: `ringall,${this.plan.runId}`,
          callerId,
          // Our own timer ends the round; Asterisk's timeout is only the safety net if we are gone.
          timeoutSeconds: this.plan.ringTimeoutSeconds + ASTERISK_TIMEOUT_MARGIN_SECONDS,
        }));
        // Marked before anything else hears of the failure: a timed-out originate is hung up
        // (AriChannels.originate), and that channel's end may be handled before allSettled below.
        originated.catch(() => (this.legs.get(leg.legId)!.lastOutcome = 'failed'));
        this.legs.get(leg.legId)!.originated = originated;
        return originated;
      }),
    );
    await this.placed.settled();
    try {
      await writeRows();
    } catch (err) {
      this.logger.error(`${this.label}: could not write the round's rows: ${err instanceof Error ? err.message : String(err)}`);
      this.feed({ type: 'abort', detail: "the round's call rows could not be written" });
    } finally {
      rowsSettled();
    }
    const results = await originates;
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

  get label(): string {
    return `ring-all round ${this.plan.runId} (prospect ${this.plan.prospectId})`;
  }

  protected readonly events: CallEventHandlers = {
    // Outside the round's queue: the queue waits for the rows, which wait for this (start).
    dialing: (event) => this.placed.settle(event.channelId),
    answered: (event) => {
      if (event.channelId === this.borrower?.channelId) this.feed({ type: 'borrowerAnswered' });
      else if (this.legs.has(event.channelId)) this.feed({ type: 'legAnswered', legId: event.channelId });
    },
    dtmf: (event) => {
      if (this.legs.has(event.channelId)) this.feed({ type: 'digit', legId: event.channelId, digit: event.digit });
    },
    shuttingDown: (event) => {
      // Asterisk hangs up a leg because it stops or restarts: a telephony failure, not agents not answering.
      const leg = this.legs.get(event.channelId);
      if (leg && !leg.hangupReason) this.feed({ type: 'abort', detail: 'Asterisk dropped the calls (shutting down or restarting)' });
    },
    ended: (event) => {
      this.logger.debug(`${this.label}: channel ${event.channelId} ended, cause ${event.cause}`);
      this.placed.settle(event.channelId);
      if (this.borrower?.channelId === event.channelId) this.feed({ type: 'borrowerEnded' }, event.cause);
      else if (this.legs.has(event.channelId)) this.feed({ type: 'legEnded', legId: event.channelId }, event.cause);
    },
    playbackFinished: (event) => {
      const tracked = this.playbacks.get(event.playbackId);
      if (!tracked) return;
      this.playbacks.delete(event.playbackId);
      if (tracked.kind === 'prompt') this.feed({ type: 'promptFinished', legId: tracked.legId });
      else if (tracked.kind === 'taken') void this.ari.channels.hangup(tracked.legId, 'normal').catch(() => undefined);
    },
  };

  linkLost(detail: string): void {
    this.feed({ type: 'linkLost', detail });
  }

  // Call activity bookkeeping for the events themselves.
  protected async bookkeeping(input: RingAllInput, cause?: number): Promise<void> {
    const now = new Date();
    switch (input.type) {
      case 'legAnswered': {
        const leg = this.legs.get(input.legId);
        if (!leg || leg.answeredAt) return;
        leg.answeredAt = now;
        // Read once, while the agent hears "press 1": the borrower's caller ID is then chosen
        // without a query between the won claim and the dial (a failed read is read again then).
        this.localPresence ??= this.deps.legs.localPresence(this.plan.orgId, now).catch(() => undefined);
        await this.calls.updateActivity(leg.activityId, { answeredAt: now, result: 'answered', ringSeconds: secondsBetween(leg.startedAt, now) });
        return;
      }
      case 'legEnded': {
        const leg = this.legs.get(input.legId);
        const status = this.state.legs.find((l) => l.id === input.legId)?.status;
        if (!leg || status === 'ended') return;
        // The end of a channel whose originate failed (hung up after a timeout) may come first.
        await leg.originated?.catch(() => undefined);
        const result = leg.lastOutcome ?? legResult(status, leg.answeredAt, leg.hangupReason, cause);
        await this.closeLeg(leg, now, result);
        return;
      }
      case 'claimResult':
        // A won claim stamped takenAt itself.
        if (!input.won) this.legs.get(input.legId)!.lastOutcome = 'lost';
        return;
      case 'borrowerAnswered':
        if (!this.borrower) return;
        this.borrower.answeredAt = now;
        await this.repo.stamp(this.plan.prospectId, 'borrowerAnsweredAt', now);
        await this.calls.updateActivity(this.borrower.activityId, { answeredAt: now, result: 'answered', ringSeconds: secondsBetween(this.borrower.startedAt, now) });
        return;
      case 'borrowerEnded':
        if (this.borrower && !this.borrower.ended) await this.closeBorrower(now, this.borrower.answeredAt ? 'completed' : unansweredResult(cause));
        return;
      case 'linkLost':
        // No events will come: close what is still open and free the agents.
        for (const leg of this.legs.values()) if (this.state.legs.find((l) => l.id === leg.legId)?.status !== 'ended') await this.closeLeg(leg, now, 'interrupted');
        if (this.borrower && !this.borrower.ended) await this.closeBorrower(now, 'interrupted');
        return;
      case 'digit':
      case 'promptFinished':
      case 'ringTimeout':
      case 'abort':
      case 'handedOver':
        return;
      default:
        return unhandled('input', input);
    }
  }

  private async closeLeg(leg: LegRuntime, now: Date, result: string): Promise<void> {
    await this.calls.endAgentLeg(leg.activityId, {
      endedAt: now,
      result,
      ...(leg.answeredAt ? { talkSeconds: secondsBetween(leg.answeredAt, now) } : { ringSeconds: secondsBetween(leg.startedAt, now) }),
    });
    await this.deps.lines.release(leg.agentId, now);
  }

  private async closeBorrower(now: Date, result: string): Promise<void> {
    const b = this.borrower!;
    b.ended = true;
    await this.calls.updateActivity(b.activityId, {
      endedAt: now,
      result,
      ...(b.answeredAt ? { talkSeconds: secondsBetween(b.answeredAt, now) } : { ringSeconds: secondsBetween(b.startedAt, now) }),
    });
  }

  protected override commandFailed(command: RingAllCommand, err: unknown): void {
    super.commandFailed(command, err);
    // Without a bridge the winner and the borrower can't talk: end the call rather than leave them waiting.
    if (command.type === 'bridgeWithBorrower' && this.borrower) void this.ari.channels.hangup(this.borrower.channelId, 'normal').catch(() => undefined);
  }

  protected async run(command: RingAllCommand): Promise<void> {
    switch (command.type) {
      case 'playPrompt':
        return this.play(command.legId, 'sound:leadline/press-1', 'prompt');
      case 'stopPrompt': {
        const leg = this.legs.get(command.legId)!;
        // DTMF does not stop a playback: stop it explicitly (the prompt playing now, not a later one).
        const playbackId = leg.playbackId;
        if (playbackId) void this.onMedia(leg, 'stopping the prompt', () => this.ari.playbacks.stop(playbackId));
        return;
      }
      case 'claim': {
        const leg = this.legs.get(command.legId)!;
        // Not awaited in the queue: several presses may be in flight; the database decides.
        this.deps.claim(leg.agentId).then(
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
        // Not awaited: the legs a round lets go (the losers after a win) are hung up together.
        // A hang-up that overtakes its own originate would find no channel (404 = "gone") and
        // leave the phone ringing: each waits until Asterisk has created its channel.
        void (leg.originated ?? Promise.resolve())
          .catch(() => undefined)
          .then(() => this.deps.hangUpLeg(leg.legId, command.reason))
          .catch((err: unknown) => this.commandFailed(command, err));
        return;
      }
      case 'playTakenThenHangup': {
        const leg = this.legs.get(command.legId)!;
        leg.hangupReason = 'taken';
        this.later(TAKEN_MESSAGE_MAX_MS, () => void this.ari.channels.hangup(leg.legId).catch(() => undefined));
        return this.play(command.legId, 'sound:leadline/lead-taken', 'taken');
      }
      case 'playConnecting':
        // The borrower's dial, next, does not wait for Asterisk's answer to it.
        return this.play(command.legId, 'sound:leadline/connecting', 'connecting');
      case 'dialBorrower': {
        // dialBorrower never rejects: a failed dial ends the borrower's leg.
        return waitAtMost(this.dialBorrower(command.legId), CANCELS_WAIT_FOR_DIAL_MAX_MS);
      }
      case 'bridgeWithBorrower':
        return this.bridge(command.legId);
      case 'hangupBorrower':
        if (this.borrower) await this.ari.channels.hangup(this.borrower.channelId, 'normal');
        return;
      case 'recordOutcome':
        return this.recordOutcome(command.outcome);
      case 'finish':
        return this.finish();
      default:
        return unhandled('command', command);
    }
  }

  /** Queues a playback on the leg's media (not awaited: see LegRuntime.media). */
  private play(legId: string, media: string, kind: PlaybackKind): void {
    const playbackId = randomUUID();
    const leg = this.legs.get(legId)!;
    leg.playbackId = playbackId;
    this.playbacks.set(playbackId, { legId: leg.legId, kind });
    void this.onMedia(leg, `playing ${media}`, () => this.ari.channels.play(leg.legId, playbackId, media));
  }

  /**
   * Runs one request after the leg's earlier playbacks and stops. A failure is logged and ends
   * nothing (usually the channel just went away): the call goes on without that message.
   */
  private onMedia(leg: LegRuntime, what: string, request: () => Promise<unknown>): Promise<unknown> {
    leg.media = leg.media.then(request).catch((err: unknown) => this.logger.warn(`${this.label}: ${what} on ${leg.legId} failed: ${err instanceof Error ? err.message : String(err)}`));
    return leg.media;
  }

  private async dialBorrower(winnerLegId: string): Promise<void> {
    const winner = this.legs.get(winnerLegId)!;
    try {
      const choice = await this.deps.dialer.callerIdFor(
        { orgId: this.plan.orgId, borrowerPhone: this.plan.borrowerPhone, agentCallerId: this.plan.agentCallerId.get(winner.agentId) ?? null, orgNumber: this.plan.orgNumber },
        new Date(),
        await this.localPresence,
      );
      await this.deps.dialer.dial({
        callId: this.plan.runId,
        orgId: this.plan.orgId,
        prospectId: this.plan.prospectId,
        agentId: winner.agentId,
        borrowerPhone: this.plan.borrowerPhone,
        callerId: choice,
        appArgs: `ringall-borrower,${this.plan.runId}`,
        timeoutSeconds: BORROWER_RING_SECONDS,
        owner: this,
        onLeg: (leg) => (this.borrower = leg),
      });
    } catch (err) {
      this.logger.warn(`could not dial the borrower of prospect ${this.plan.prospectId}: ${err instanceof Error ? err.message : String(err)}`);
      this.feed({ type: 'borrowerEnded' }, 38);
    }
  }

  /** Bridged, recorded and handed over: the connected call owns the winner's and the borrower's legs. */
  private async bridge(winnerLegId: string): Promise<void> {
    if (!this.borrower) return;
    const winner = this.legs.get(winnerLegId)!;
    const borrower = this.borrower;
    const playbackId = winner.playbackId;
    if (playbackId) await this.onMedia(winner, 'stopping "connecting"', () => this.ari.playbacks.stop(playbackId));
    await this.deps.conversations.connect({
      callId: this.plan.runId,
      orgId: this.plan.orgId,
      kind: 'ring_all',
      prospectId: this.plan.prospectId,
      recording: `ringall-${this.plan.prospectId}-${Date.now()}`,
      parties: [
        { channelId: winner.legId, role: 'agent', userId: winner.agentId, activityId: winner.activityId, answeredAt: winner.answeredAt ?? new Date(), result: 'won', holdsLine: true, label: winner.agentName, number: winner.extension },
        { channelId: borrower.channelId, role: 'outside', userId: null, activityId: borrower.activityId, answeredAt: borrower.answeredAt ?? new Date(), result: 'completed', holdsLine: false, label: this.plan.borrowerPhone, number: this.plan.borrowerPhone },
      ],
    });
    this.handedOver = true;
    borrower.ended = true;
    this.feed({ type: 'handedOver' });
  }

  private async recordOutcome(outcome: RingAllOutcome): Promise<void> {
    switch (outcome.kind) {
      case 'taken':
        this.logger.log(`prospect ${this.plan.prospectId} taken by ${this.legs.get(outcome.winnerLegId)!.agentId}`);
        return;
      case 'taken_elsewhere':
        // Normally assigned by hand meanwhile; if a claim failed instead, the lead must not stay
        // in `distributing` (the update is guarded, so an assigned lead is left alone).
        if (await this.deps.fail(FAILURE_REASONS.fatalError, 'no claim by an answering agent succeeded')) {
          this.logger.error(`prospect ${this.plan.prospectId}: claims failed; moved to lead exceptions`);
        } else {
          this.logger.log(`prospect ${this.plan.prospectId} was assigned elsewhere during ring all`);
        }
        return;
      case 'no_answer':
        await this.deps.fail(FAILURE_REASONS.noAgentsAnswered, null);
        this.logger.log(`prospect ${this.plan.prospectId}: no agent took it`);
        return;
      case 'fatal':
        await this.deps.fail(FAILURE_REASONS.fatalError, outcome.detail);
        this.logger.error(`prospect ${this.plan.prospectId}: ring all failed: ${outcome.detail}`);
        return;
      default:
        return unhandled('outcome', outcome);
    }
  }

  private async finish(): Promise<void> {
    this.clearTimers();
    this.deps.router.release(this);
    try {
      // A connected round lives on as the connected call, which ends the call's row itself.
      if (!this.handedOver) await this.calls.updateCall(this.plan.runId, { phase: 'ended', endedAt: new Date() });
    } finally {
      this.markFinished();
    }
  }
}

function legResult(status: string | undefined, answeredAt: Date | undefined, hangupReason: string | undefined, cause: number | undefined): string {
  if (status === 'won') return 'won';
  if (hangupReason === 'taken') return 'lost';
  if (hangupReason === 'answered_elsewhere') return 'cancelled';
  if (answeredAt) return hangupReason === 'normal' ? 'no_press' : 'hung_up';
  return unansweredResult(cause);
}
