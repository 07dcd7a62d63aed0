import { BeforeApplicationShutdown, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AriLink } from './ari/ari-link';
import { AriChannel, ChannelTransferEvent, isShutdownHangup, StasisStartEvent } from './ari/ari.types';
import { isDeskPhoneEndpoint } from './desk-phone.provisioner';
import { decideStasisClaim, StasisEntry } from './stasis-claim.util';

/** What a call hears about one of its channels, already told apart from Asterisk's raw events. */
export type CallEvent =
  /** The channel entered Stasis (an originated channel: it was answered). */
  | { type: 'answered'; channelId: string }
  /**
   * Asterisk placed the call of a channel we originated: the Dial event that begins its dial, sent
   * once the channel driver has the call. PJSIP sends the INVITE on a thread of its own; in a
   * capture of 100 ring-all rounds every INVITE had left before its event reached us
   * (docs/benchmarks.md, "the round's writes after its INVITEs").
   */
  | { type: 'dialing'; channelId: string }
  /** The channel is gone; `cause` is Q.850 (16 when Asterisk gave none). Delivered once. */
  | { type: 'ended'; channelId: string; cause: number }
  | { type: 'dtmf'; channelId: string; digit: string }
  /** Asterisk is hanging the channel up because it is stopping or restarting. */
  | { type: 'shuttingDown'; channelId: string }
  | { type: 'playbackFinished'; channelId: string; playbackId: string }
  | { type: 'recordingFinished'; channelId: string; name: string; failed: boolean }
  /** The phone on this channel put the call on hold, or took it off hold. */
  | { type: 'hold'; channelId: string }
  | { type: 'unhold'; channelId: string }
  /**
   * The phone on this channel pressed Transfer (REFER): blind to `destination`, or attended,
   * replacing the dialog whose SIP Call-ID is `replaces.callId` (its channel when Asterisk found it).
   */
  | { type: 'transferRequested'; channelId: string; destination: string | null; replaces: { callId: string; channelId: string | null } | null };

/** A call that owns channels (and bridges) in our Stasis app. */
export interface ChannelOwner {
  /** Names the owner in log lines, e.g. "ring-all round 5d1c…". */
  readonly label: string;
  /** Events of its channels, in arrival order. Must not throw (queue the work). */
  onCallEvent(event: CallEvent): void;
  /** The ARI link dropped or the server stops: no event of its channels will come any more. */
  linkLost(detail: string): void;
  /**
   * Instead of linkLost, for a call Asterisk keeps while we are away (a connected call): stop
   * watching it and leave it, persisted, to the next link-up's adoption — in this process after a
   * blip, in the next one after a restart.
   */
  leave?(detail: string): void;
  /** Resolves once the owner has handled everything it was given. */
  settled(): Promise<void>;
}

/** A call the dialplan handed over, as the entry handler sees it. */
export interface StasisEntryCall {
  channel: AriChannel;
  /** What was dialled: the DID for `inbound`, the digits for `phone`. */
  dialled: string;
  /** The PJSIP endpoint the call came from (the trunk, or a desk phone's endpoint). */
  endpoint: string;
  /** Inbound: the caller's CALLERID(pres) as the dialplan passed it (absent from an older dialplan). */
  presentation?: string;
}

/** Builds the owner of a call the dialplan handed over, synchronously; null = refuse it (hung up). */
export type EntryHandler = (call: StasisEntryCall) => ChannelOwner | null;

/** Names the trunk endpoint in pjsip.conf (inbound calls must come from it). */
export const TRUNK_ENDPOINT = 'trunk';

/**
 * The one place that decides who owns a channel in our Stasis app. Every StasisStart is claimed
 * synchronously — by the call that created the channel (it claimed the id before the originate),
 * or by the handler of the dialplan entry it came through — and a channel nobody claims is hung
 * up at once, with the reason logged. Every later event of a channel (and of a bridge, a playback
 * or a recording on it) goes to its owner. At every link-up the connected calls left in the app
 * (persisted by ConversationService) are adopted first; then channels left in the app that nobody
 * owns (calls still ringing when a process died, or ended on our side by a link drop) are hung up.
 */
@Injectable()
export class StasisRouter implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(StasisRouter.name);
  private readonly channels = new Map<string, ChannelOwner>();
  private readonly bridges = new Map<string, ChannelOwner>();
  private readonly entries = new Map<StasisEntry, EntryHandler>();
  /** Channels that entered from the dialplan: their ChannelDestroyed may never reach us (see below). */
  private readonly fromDialplan = new Set<string>();
  /** Cause of the last hang-up request per channel (StasisEnd carries none). */
  private readonly hangupCause = new Map<string, number>();
  /** Takes over, at link-up, the calls an earlier process (or this one, before a blip) left in the app. */
  private adopter?: () => Promise<void>;
  /**
   * Set as the application starts to close: the calls are left to the next process from then on.
   * A link that comes up again meanwhile (a reconnect racing the shutdown) must neither take them
   * back nor hang up what it finds unclaimed — after dropAll that is every call left.
   */
  private closing = false;

  constructor(private readonly ari: AriLink) {}

  onModuleInit(): void {
    this.ari.on('StasisStart', (e) => this.stasisStart(e));
    this.ari.on('ChannelDestroyed', (e) => this.ended(e.channel.id, e.cause));
    // A channel that entered Stasis from the dialplan returns there when it leaves (StasisEnd) and
    // our app is unsubscribed from it, so its ChannelDestroyed may never come. We never send
    // channels back to the dialplan ourselves: StasisEnd means it is hanging up.
    this.ari.on('StasisEnd', (e) => {
      if (this.fromDialplan.has(e.channel.id)) this.ended(e.channel.id, this.hangupCause.get(e.channel.id) ?? 16);
    });
    this.ari.on('ChannelHangupRequest', (e) => {
      if (!this.channels.has(e.channel.id)) return;
      if (isShutdownHangup(e)) this.deliver(e.channel.id, { type: 'shuttingDown', channelId: e.channel.id });
      else if (typeof e.cause === 'number' && !e.soft) this.hangupCause.set(e.channel.id, e.cause);
    });
    this.ari.on('Dial', (e) => {
      if (e.dialstatus === '') this.deliver(e.peer.id, { type: 'dialing', channelId: e.peer.id });
    });
    this.ari.on('ChannelDtmfReceived', (e) => this.deliver(e.channel.id, { type: 'dtmf', channelId: e.channel.id, digit: e.digit }));
    this.ari.on('ChannelHold', (e) => this.deliver(e.channel.id, { type: 'hold', channelId: e.channel.id }));
    this.ari.on('ChannelUnhold', (e) => this.deliver(e.channel.id, { type: 'unhold', channelId: e.channel.id }));
    this.ari.on('ChannelTransfer', (e) => this.transfer(e));
    this.ari.on('PlaybackFinished', (e) => {
      const target = channelOfTarget(e.playback.target_uri);
      if (target) this.deliver(target, { type: 'playbackFinished', channelId: target, playbackId: e.playback.id });
    });
    const recordingDone = (targetUri: string, name: string, failed: boolean) => {
      const target = channelOfTarget(targetUri);
      if (target) this.deliver(target, { type: 'recordingFinished', channelId: target, name, failed });
    };
    this.ari.on('RecordingFinished', (e) => recordingDone(e.recording.target_uri, e.recording.name, false));
    this.ari.on('RecordingFailed', (e) => recordingDone(e.recording.target_uri, e.recording.name, true));
    this.ari.onDown((status) => this.dropAll(`telephony link lost: ${status.lastError ?? 'unknown'}`));
    this.ari.onUp(async () => {
      if (this.closing) return;
      // Adopted calls claim their channels first: only what nothing claims is hung up.
      try {
        await this.adopter?.();
      } catch (err) {
        // Unclaimed, the connected calls would look like orphans: none is hung up this time.
        this.logger.error(`adopting the calls left in Stasis app ${this.ari.app} failed, so no channel left there is hung up until the next link-up: ${err instanceof Error ? err.stack : String(err)}`);
        return;
      }
      await this.reconcile();
    });
  }

  /** Sets what takes over the calls left in the app, run at every link-up before the orphans are hung up. */
  onLinkUp(adopter: () => Promise<void>): void {
    this.adopter = adopter;
  }

  /**
   * Before any module shuts down: connected calls are left to the next process (Asterisk keeps
   * them); the other calls still write their rows while the database is open.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    await this.dropAll('server shutting down');
  }

  /** The handler of a dialplan entry (`inbound`, `phone`). One per entry. */
  onEntry(entry: StasisEntry, handler: EntryHandler): void {
    if (this.entries.has(entry)) throw new Error(`Stasis entry "${entry}" already has a handler`);
    this.entries.set(entry, handler);
  }

  /** Claims a channel id before the channel exists (originate, snoop): its events come to `owner`. */
  claim(channelId: string, owner: ChannelOwner): void {
    this.channels.set(channelId, owner);
  }

  /**
   * Claims a channel an earlier process (or link) left in the app. Whether it came from the
   * dialplan is not known any more: its StasisEnd counts as its end (we never send channels back).
   */
  claimAdopted(channelId: string, owner: ChannelOwner): void {
    this.channels.set(channelId, owner);
    this.fromDialplan.add(channelId);
  }

  /** Claims a bridge: events of playbacks and recordings on it come to `owner`. */
  claimBridge(bridgeId: string, owner: ChannelOwner): void {
    this.bridges.set(bridgeId, owner);
  }

  /** Hands a live channel to another owner (a connected call taken over, a transfer); false when it is gone. */
  handOver(channelId: string, to: ChannelOwner): boolean {
    if (!this.channels.has(channelId)) return false;
    this.channels.set(channelId, to);
    return true;
  }

  /** Drops every claim of an owner (its call is over). */
  release(owner: ChannelOwner): void {
    for (const [id, o] of this.channels) if (o === owner) this.forget(id);
    for (const [id, o] of this.bridges) if (o === owner) this.bridges.delete(id);
  }

  ownerOf(channelId: string): ChannelOwner | undefined {
    return this.channels.get(channelId);
  }

  /** How many channels are owned right now (health and tests). */
  get ownedChannels(): number {
    return this.channels.size;
  }

  /** Hangs up channels left in our Stasis app that nobody owns; returns how many. */
  async reconcile(): Promise<number> {
    const app = await this.ari.asterisk.application(this.ari.app);
    // Checked after the await: a call that arrived meanwhile has been claimed by then.
    const orphans = app.channel_ids.filter((id) => !this.channels.has(id));
    for (const id of orphans) {
      if (this.closing) return 0;
      await this.ari.channels.hangup(id, 'normal');
    }
    if (orphans.length) this.logger.warn(`hung up ${orphans.length} channel(s) left in Stasis app ${this.ari.app} that no call owns`);
    return orphans.length;
  }

  private stasisStart(e: StasisStartEvent): void {
    const channelId = e.channel.id;
    const claim = decideStasisClaim({
      owned: this.channels.has(channelId),
      args: e.args,
      channelName: e.channel.name,
      trunkEndpoint: TRUNK_ENDPOINT,
      isDeskPhoneEndpoint,
    });
    switch (claim.kind) {
      case 'owned':
        this.deliver(channelId, { type: 'answered', channelId });
        return;
      case 'entry': {
        const handler = this.entries.get(claim.entry);
        this.fromDialplan.add(channelId);
        let owner: ChannelOwner | null = null;
        try {
          owner = handler ? handler({ channel: e.channel, dialled: claim.dialled, endpoint: claim.endpoint, presentation: claim.presentation }) : null;
        } catch (err) {
          this.logger.error(`${claim.entry} call on ${e.channel.name}: ${err instanceof Error ? err.stack : String(err)}`);
        }
        if (owner) this.channels.set(channelId, owner);
        else this.refuse(e, handler ? `the ${claim.entry} handler declined it` : `no handler takes ${claim.entry} calls`);
        return;
      }
      case 'refuse':
        this.refuse(e, claim.reason);
        return;
      default: {
        const unreachable: never = claim;
        throw new Error(`unknown claim ${JSON.stringify(unreachable)}`);
      }
    }
  }

  private refuse(e: StasisStartEvent, reason: string): void {
    this.forget(e.channel.id);
    this.logger.warn(`channel ${e.channel.id} (${e.channel.name}, Stasis args "${e.args.join(',')}") has no owner: ${reason}; hanging it up`);
    this.ari.channels.hangup(e.channel.id, 'normal').catch((err: unknown) => this.logger.warn(`could not hang up ${e.channel.id}: ${err instanceof Error ? err.message : String(err)}`));
  }

  private transfer(e: ChannelTransferEvent): void {
    // Asterisk repeats the event for every progress we report (then with `state`): only the
    // phone's request itself is an input.
    if (e.state) return;
    const source = e.referred_by.source_channel.id;
    const requested = e.refer_to.requested_destination;
    const replaces = requested.protocol_id ? { callId: requested.protocol_id, channelId: e.refer_to.destination_channel?.id ?? null } : null;
    this.deliver(source, { type: 'transferRequested', channelId: source, destination: replaces ? null : (requested.destination ?? null), replaces });
  }

  private ended(channelId: string, cause: number): void {
    const owner = this.channels.get(channelId);
    this.forget(channelId);
    owner?.onCallEvent({ type: 'ended', channelId, cause });
  }

  private deliver(channelOrBridgeId: string, event: CallEvent): void {
    (this.channels.get(channelOrBridgeId) ?? this.bridges.get(channelOrBridgeId))?.onCallEvent(event);
  }

  private forget(channelId: string): void {
    this.channels.delete(channelId);
    this.fromDialplan.delete(channelId);
    this.hangupCause.delete(channelId);
  }

  /**
   * Asterisk keeps no events for us while the link is down: every owner is told, and loses its
   * claims. Connected calls (`leave`) are adopted again at the next link-up; the channels of the
   * others are hung up then, unless a call claims them again.
   */
  private async dropAll(detail: string): Promise<void> {
    const owners = new Set([...this.channels.values(), ...this.bridges.values()]);
    this.channels.clear();
    this.bridges.clear();
    this.fromDialplan.clear();
    this.hangupCause.clear();
    for (const owner of owners) {
      if (owner.leave) owner.leave(detail);
      else owner.linkLost(detail);
    }
    await Promise.all([...owners].map((o) => o.settled()));
  }
}

/** "channel:<id>" or "bridge:<id>" (a playback's or recording's target) → the id. */
function channelOfTarget(targetUri: string): string | null {
  const m = /^(?:channel|bridge):(.+)$/.exec(targetUri);
  return m ? m[1] : null;
}
