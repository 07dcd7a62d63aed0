import { Logger } from '@nestjs/common';
import { initialMonitorState, MonitorCommand, MonitorInput, MonitorMode, monitorTransition, MonitorState } from '@leadline/domain';
import { randomUUID } from 'node:crypto';
import { AgentLines } from '../agent-lines';
import { AriLink } from '../ari/ari-link';
import { CallLegRepository } from '../call-legs.repository';
import { callerIdHeader } from '../caller-id-header.util';
import { CallEventHandlers, secondsBetween, StateMachineRunner, unansweredResult, unhandled } from '../call-runner';
import { Conversation, PartySpec } from '../conversation/conversation';
import { StasisRouter } from '../stasis-router';

/** The manager who monitors: their phone is rung. */
export interface MonitoringManager {
  id: string;
  name: string;
  extension: string | null;
  /** Dial string of their work phone (PJSIP/…). */
  endpoint: string;
}

export interface MonitorDeps {
  ari: AriLink;
  router: StasisRouter;
  legs: CallLegRepository;
  lines: AgentLines;
  /** REFERs from the manager's phone come to the app (and are ignored), never to the dialplan. */
  takeTransfers(channelId: string): Promise<void>;
  changed(session: MonitorSession): void;
  finished(session: MonitorSession): void;
}

const RING_SECONDS = 30;
/** How long a lost tap waits for the call to say the tapped party left, before tapping them again. */
const TAP_LOST_GRACE_MS = 2000;

/**
 * A manager listening in on a connected call from their own desk phone, run by the pure monitor
 * machine. Listen and whisper tap the agent's channel with a snoop (spy both ways; whisper sends
 * the manager's voice out to the agent's phone only) in a small bridge of their own with the
 * manager's phone; barge puts the manager's phone into the call's own (recorded) bridge. The
 * manager is never a party of the call: the call ends as if they were not there, and takes the
 * monitor with it.
 */
export class MonitorSession extends StateMachineRunner<MonitorState, MonitorInput, MonitorCommand> {
  protected readonly logger = new Logger('MonitorSession');
  protected state: MonitorState;
  protected readonly machine = monitorTransition;
  readonly managerChannel = randomUUID();
  private snoopId: string | null = null;
  private tapBridge: string | null = null;
  private managerInTap = false;
  private activityId: string | null = null;
  private readonly startedAt = new Date();
  private answeredAt: Date | null = null;
  /** Barging, the agent left and the manager took the call over (the phone stays on it). */
  private takenOverAt: Date | null = null;
  /** Every mode the session was in, and when (call activity's detail). */
  private readonly modes: { mode: MonitorMode; at: Date }[];
  /** The party tapped (the agent), as of the last time the manager was wired in. */
  monitored: PartySpec | null;
  /**
   * The snoop ended while the call still counts the tapped party as on it: the call decides who
   * left (callChanged, or the call's end) before anyone else is tapped.
   */
  private tapLost = false;
  /** Everyone tapped so far (the call may change hands), for call activity. */
  private readonly tapped: string[] = [];

  constructor(
    readonly conversation: Conversation,
    readonly manager: MonitoringManager,
    mode: MonitorMode,
    private readonly deps: MonitorDeps,
  ) {
    super();
    this.state = initialMonitorState(mode);
    this.modes = [{ mode, at: this.startedAt }];
    this.monitored = this.target();
  }

  get label(): string {
    return `monitor by ${this.manager.name} of call ${this.conversation.callId}`;
  }

  get callId(): string {
    return this.conversation.callId;
  }

  get mode(): MonitorMode {
    return this.state.mode;
  }

  get phase(): MonitorState['phase'] {
    return this.state.phase;
  }

  /** Rings the manager's phone (after writing its call-activity row). */
  async start(): Promise<void> {
    const c = this.conversation;
    this.activityId = await this.deps.legs.openActivity({
      orgId: c.spec.orgId,
      prospectId: c.spec.prospectId,
      callId: c.callId,
      direction: 'outbound',
      purpose: 'monitor',
      fromNumber: null,
      toNumber: this.manager.extension,
      userId: this.manager.id,
      channelId: this.managerChannel,
      detail: this.detail(),
    });
    this.deps.router.claim(this.managerChannel, this);
    try {
      await this.deps.ari.channels.originate({
        channelId: this.managerChannel,
        endpoint: this.manager.endpoint,
        app: this.deps.ari.app,
        appArgs: `monitor,${c.callId}`,
        // The manager's phone shows whose call it is about to join.
        callerId: callerIdHeader(`${this.state.mode}: ${this.monitored?.label ?? 'call'}`, this.monitored?.number ?? 'monitor'),
        timeoutSeconds: RING_SECONDS,
      });
    } catch (err) {
      this.logger.warn(`${this.label}: could not ring ${this.manager.name}: ${err instanceof Error ? err.message : String(err)}`);
      this.feed({ type: 'managerEnded' }, 38);
    }
  }

  setMode(mode: MonitorMode): void {
    this.feed({ type: 'setMode', mode });
  }

  stop(): void {
    this.feed({ type: 'stop' });
  }

  protected readonly events: CallEventHandlers = {
    answered: (event) => {
      if (event.channelId === this.managerChannel) this.feed({ type: 'answered' });
      else if (event.channelId === this.snoopId) this.enqueue(() => this.tapIn(event.channelId));
    },
    ended: (event) => {
      if (event.channelId === this.managerChannel) this.feed({ type: 'managerEnded' }, event.cause);
      else if (event.channelId === this.snoopId) {
        this.snoopId = null;
        this.tapLost = true;
        this.enqueue(() => this.retapIfLeft());
        // The call normally hears of the tapped party's end at about the same time; should it not
        // (the snoop ended by itself), the same party is tapped again.
        this.later(TAP_LOST_GRACE_MS, () => this.enqueue(() => this.retapIfLeft(true)));
      }
    },
  };

  /**
   * Who is on the call changed. When the tapped party left it (a transfer handed the call on), tap
   * whoever is there now: the snoop on a channel that hung up does not always end by itself.
   */
  callChanged(): void {
    this.enqueue(() => this.retapIfLeft());
  }

  /**
   * The tap is down (its snoop ended) or its party left the call: once the call no longer counts the
   * tapped party, and goes on, tap whoever is there now. The call's own word decides: the snoop of
   * an agent who hangs up ends before the call has heard of it, and tapping "whoever else is there"
   * then tapped the borrower until the call ended. `stillThere`: the grace after a lost tap is
   * over and the call still counts the party: tap them again.
   */
  private async retapIfLeft(stillThere = false): Promise<void> {
    const tapped = this.monitored?.channelId;
    // An ending call takes the monitor with it: nobody else is tapped meanwhile.
    if (!tapped || (!this.snoopId && !this.tapLost) || this.conversation.isEnding) return;
    const left = !this.conversation.liveParties().some((p) => p.channelId === tapped);
    if (!left && !(stillThere && this.tapLost)) return;
    this.tapLost = false;
    const snoop = this.snoopId;
    this.snoopId = null;
    if (snoop) await this.deps.ari.channels.hangup(snoop, 'normal');
    await this.handle({ type: 'wireLost' });
  }

  linkLost(): void {
    this.feed({ type: 'linkLost' });
  }

  protected override afterInput(before: MonitorState): void {
    if (this.state.phase !== 'ended' && (before.phase !== this.state.phase || before.mode !== this.state.mode)) this.deps.changed(this);
  }

  protected async bookkeeping(input: MonitorInput, cause?: number): Promise<void> {
    if (this.state.phase === 'ended' || !this.activityId) return;
    const now = new Date();
    switch (input.type) {
      case 'answered':
        if (this.state.phase !== 'ringing') return;
        this.answeredAt = now;
        this.modes.splice(0, this.modes.length, { mode: this.state.mode, at: now });
        await this.deps.legs.updateActivity(this.activityId, { answeredAt: now, result: 'answered', ringSeconds: secondsBetween(this.startedAt, now), detail: this.detail() });
        await this.deps.takeTransfers(this.managerChannel);
        return;
      case 'setMode':
        if (this.state.phase === 'ending' || input.mode === this.state.mode) return;
        if (this.state.phase === 'ringing') this.modes.splice(0, this.modes.length, { mode: input.mode, at: this.startedAt });
        else this.modes.push({ mode: input.mode, at: now });
        await this.deps.legs.updateActivity(this.activityId, { detail: this.detail() });
        return;
      case 'managerEnded':
      case 'linkLost': {
        const result = input.type === 'linkLost' ? 'interrupted' : this.answeredAt ? 'completed' : unansweredResult(cause);
        await this.deps.legs.updateActivity(this.activityId, {
          endedAt: now,
          result,
          ...(this.answeredAt ? { talkSeconds: secondsBetween(this.answeredAt, now) } : { ringSeconds: secondsBetween(this.startedAt, now) }),
        });
        return;
      }
      case 'takenOver':
        if (this.state.phase === 'ringing') return;
        this.takenOverAt = now;
        await this.deps.legs.updateActivity(this.activityId, { detail: this.detail() });
        return;
      case 'stop':
      case 'callEnded':
      case 'wireLost':
        return;
      default:
        return unhandled('input', input);
    }
  }

  protected async run(command: MonitorCommand): Promise<void> {
    const ari = this.deps.ari;
    switch (command.type) {
      case 'wire':
        if (command.mode === 'barge') {
          await ari.bridges.addChannels(this.conversation.bridgeId, [this.managerChannel]);
          this.conversation.bargeIn(this.asParty(), () => this.feed({ type: 'takenOver' }));
          return;
        }
        return this.tap(command.mode);
      case 'unwire':
        if (command.mode === 'barge') {
          this.conversation.bargeOut(this.managerChannel);
          await ari.bridges.removeChannel(this.conversation.bridgeId, this.managerChannel);
          return;
        }
        return this.untap();
      case 'modeChanged':
        this.logger.log(`${this.label}: ${command.mode}`);
        return;
      case 'hangupManager':
        await ari.channels.hangup(this.managerChannel, 'normal');
        return;
      case 'finish':
        return this.finish(command.handedOver ?? false);
      default:
        return unhandled('command', command);
    }
  }

  /** The manager's phone into a bridge of its own, and a snoop on the agent's channel (joins on StasisStart). */
  private async tap(mode: 'listen' | 'whisper'): Promise<void> {
    const ari = this.deps.ari;
    if (!this.tapBridge) {
      const id = randomUUID();
      await ari.bridges.create(id, `monitor-${this.callId}`);
      this.tapBridge = id;
      this.deps.router.claimBridge(id, this);
    }
    if (!this.managerInTap) {
      await ari.bridges.addChannels(this.tapBridge, [this.managerChannel]);
      this.managerInTap = true;
    }
    this.monitored = this.target();
    if (!this.monitored) {
      this.logger.warn(`${this.label}: nobody on the call to tap`);
      return;
    }
    if (this.tapped.at(-1) !== this.monitored.label) {
      this.tapped.push(this.monitored.label);
      if (this.activityId) await this.deps.legs.updateActivity(this.activityId, { detail: this.detail() });
    }
    const snoopId = randomUUID();
    this.deps.router.claim(snoopId, this);
    this.snoopId = snoopId;
    // spy both: the manager hears what the agent says and what the agent hears. whisper out: what
    // the manager says goes out to the agent's phone only; none: to nobody.
    await ari.channels.snoop(this.monitored.channelId, snoopId, ari.app, `snoop,${this.callId}`, 'both', mode === 'whisper' ? 'out' : 'none');
    this.deps.changed(this);
  }

  /** A snoop entered the app: into the manager's bridge (unless it was replaced meanwhile). */
  private async tapIn(snoopId: string): Promise<void> {
    if (snoopId !== this.snoopId || !this.tapBridge) {
      await this.deps.ari.channels.hangup(snoopId, 'normal');
      return;
    }
    await this.deps.ari.bridges.addChannels(this.tapBridge, [snoopId]);
  }

  private async untap(): Promise<void> {
    const snoop = this.snoopId;
    // Cleared first: its end is ours, not a lost tap.
    this.snoopId = null;
    this.tapLost = false;
    if (snoop) await this.deps.ari.channels.hangup(snoop, 'normal');
    if (this.tapBridge && this.managerInTap) {
      this.managerInTap = false;
      await this.deps.ari.bridges.removeChannel(this.tapBridge, this.managerChannel);
    }
  }

  /** Who is tapped: the first user on the call other than the manager (else the first party). */
  private target(): PartySpec | null {
    const parties = this.conversation.liveParties().filter((p) => p.userId !== this.manager.id);
    return parties.find((p) => p.role === 'agent' && p.userId) ?? parties[0] ?? null;
  }

  private detail(): string {
    const from = this.answeredAt ?? this.startedAt;
    const steps = this.modes.map((m) => `${m.mode} ${clock(secondsBetween(from, m.at))}`).join(', ');
    const whom = this.tapped.length ? this.tapped.join(', then ') : (this.monitored?.label ?? 'the call');
    const takeover = this.takenOverAt ? `; took the call over ${clock(secondsBetween(from, this.takenOverAt))}` : '';
    return `${steps} on ${whom}${takeover}`;
  }

  /**
   * The manager's phone as a party of the call, should they take it over: their monitor row becomes
   * their leg (it ends when they leave the call), and the line the monitor holds is the call's to free.
   */
  private asParty(): PartySpec {
    return {
      channelId: this.managerChannel,
      role: 'agent',
      userId: this.manager.id,
      activityId: this.activityId!,
      answeredAt: this.answeredAt ?? new Date(),
      result: 'completed',
      holdsLine: true,
      label: `${this.manager.name}${this.manager.extension ? ` (${this.manager.extension})` : ''}`,
      number: this.manager.extension,
    };
  }

  private async finish(handedOver: boolean): Promise<void> {
    this.clearTimers();
    // (Handed over, the manager's channel is the call's in the router already: not released here.)
    this.deps.router.release(this);
    if (this.snoopId) await this.deps.ari.channels.hangup(this.snoopId, 'normal').catch(() => undefined);
    if (this.tapBridge) await this.deps.ari.bridges.destroy(this.tapBridge).catch(() => undefined);
    if (!handedOver) await this.deps.lines.release(this.manager.id, new Date());
    this.logger.log(`${this.label}: ${handedOver ? 'the manager took the call over' : 'over'}`);
    this.deps.finished(this);
  }
}

/** m:ss from the start of the monitoring. */
const clock = (seconds: number) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
