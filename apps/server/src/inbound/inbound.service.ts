import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { eligibleAgents, EligibilityAgent, initialInboundState, isAnonymousCaller, noAgentsInbound, normalizePhone, routeCallback, routeInbound } from '@leadline/domain';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { StasisStartEvent } from '../telephony/ari/ari.types';
import { User } from '../database/entities';
import { DistributionRepository } from '../distribution/distribution.repository';
import { toEligibilityAgent } from '../distribution/eligibility.mapper';
import { agentEndpoint } from '../distribution/ring-all/ring-all.service';
import { CallbackRepository } from '../local-presence/callback.repository';
import { PresenceService } from '../presence/presence.service';
import { CallNotifier } from '../realtime/call-notifier';
import { AriLink } from '../telephony/ari/ari-link';
import { ChannelReconciler } from '../telephony/channel-reconciler';
import { InboundCall, InboundCallHost } from './inbound-call';
import { InboundRepository, MatchedLead } from './inbound.repository';

/**
 * Inbound calls from the trunk (dialplan: Stasis(app, inbound, <DID>)): matched to a lead by the
 * caller's number, routed by PRODUCT.md §5's rules to the available agents licensed for the
 * state, rung at once; the first to answer is connected and recorded; nobody → voicemail.
 */
@Injectable()
export class InboundService implements OnModuleInit, OnApplicationShutdown, InboundCallHost {
  private readonly logger = new Logger(InboundService.name);
  private readonly calls = new Set<InboundCall>();
  private readonly byChannel = new Map<string, InboundCall>();
  private readonly byPlayback = new Map<string, InboundCall>();
  private readonly byRecording = new Map<string, InboundCall>();

  constructor(
    private readonly ari: AriLink,
    private readonly inbound: InboundRepository,
    private readonly calls_: DistributionRepository,
    private readonly presence: PresenceService,
    private readonly notifier: CallNotifier,
    private readonly config: AppConfig,
    private readonly reconciler: ChannelReconciler,
    private readonly callbacks: CallbackRepository,
  ) {}

  onModuleInit(): void {
    this.ari.on('StasisStart', (e) => {
      if (e.args[0] === 'inbound') return this.answerCall(e);
      if (e.args[0] === 'inbound-agent') this.byChannel.get(e.channel.id)?.feed({ type: 'legAnswered', legId: e.channel.id });
      if (e.args[0] === 'inbound-fallback') this.byChannel.get(e.channel.id)?.forwardAnswered(e.channel.id);
    });
    const ended = (channelId: string, cause: number) => {
      const call = this.byChannel.get(channelId);
      if (!call) return;
      this.byChannel.delete(channelId);
      call.channelEnded(channelId, cause);
    };
    this.ari.on('ChannelDestroyed', (e) => ended(e.channel.id, e.cause));
    // A caller that entered Stasis from the dialplan is unsubscribed when it leaves (StasisEnd), so
    // its ChannelDestroyed may never reach us. We never move channels out of Stasis ourselves.
    this.ari.on('StasisEnd', (e) => {
      if (this.byChannel.get(e.channel.id)?.plan.callerChannelId === e.channel.id) ended(e.channel.id, 16);
    });
    this.ari.on('PlaybackFinished', (e) => {
      const call = this.byPlayback.get(e.playback.id);
      this.byPlayback.delete(e.playback.id);
      call?.playbackFinished();
    });
    const recordingDone = (name: string) => {
      const call = this.byRecording.get(name);
      this.byRecording.delete(name);
      call?.feed({ type: 'fallbackEnded', outcome: 'voicemail' });
    };
    this.ari.on('RecordingFinished', (e) => recordingDone(e.recording.name));
    this.ari.on('RecordingFailed', (e) => recordingDone(e.recording.name));
    this.ari.onDown(() => {
      for (const call of this.calls) call.feed({ type: 'linkLost' });
    });
    this.reconciler.registerOwner((channelId) => this.byChannel.has(channelId));
  }

  async onApplicationShutdown(): Promise<void> {
    for (const call of this.calls) call.feed({ type: 'linkLost' });
    await Promise.all([...this.calls].map((c) => c.settled()));
  }

  trackPlayback(playbackId: string, call: InboundCall): void {
    this.byPlayback.set(playbackId, call);
  }

  trackChannel(channelId: string, call: InboundCall): void {
    this.byChannel.set(channelId, call);
  }

  trackRecording(name: string, call: InboundCall): void {
    this.byRecording.set(name, call);
  }

  async ringingStopped(agentId: string, callId: string, answeredByAgent: boolean): Promise<void> {
    this.notifier.ended(agentId, callId, answeredByAgent);
    await this.presence.setInboundRinging(agentId, false);
  }

  // Without this the agent who answered stayed "on a call" (red) after hanging up: the ringing
  // stopped long before, and nothing else recomputed their presence.
  agentReleased(agentId: string): Promise<void> {
    return this.presence.refresh(agentId);
  }

  finished(call: InboundCall): void {
    this.calls.delete(call);
    for (const [id, c] of this.byChannel) if (c === call) this.byChannel.delete(id);
    for (const [id, c] of this.byPlayback) if (c === call) this.byPlayback.delete(id);
    for (const [id, c] of this.byRecording) if (c === call) this.byRecording.delete(id);
  }

  private async answerCall(e: StasisStartEvent): Promise<void> {
    const callerChannelId = e.channel.id;
    const did = e.args[1] ?? e.channel.dialplan.exten;
    const presentation = await this.ari.channels.variable(callerChannelId, 'CALLERID(pres)').catch(() => null);
    const anonymous = isAnonymousCaller(e.channel.caller.number, presentation);
    const callerE164 = anonymous ? null : (normalizePhone(e.channel.caller.number) ?? null);
    const orgId = await this.inbound.orgId();
    if (!orgId) {
      await this.ari.channels.hangup(callerChannelId, 'normal');
      return;
    }
    const lead = callerE164 ? await this.inbound.matchLead(orgId, callerE164) : null;
    const route = routeInbound({ callerE164, lead: lead ? { propertyState: lead.state } : null });
    // Licensing is the whole filter for inbound calls (no campaign, no group filters): the query
    // applies it; eligibleAgents re-checks the same rules on the few rows it returns.
    const licenceState = route.licensing === 'state' ? route.state : null;
    const candidates = (await this.inbound.available(orgId, licenceState, this.config.inbound.maxAgents)).map((u) => ({ ...toEligibilityAgent(u, agentEndpoint(u) !== null), filters: { loanPurposes: [] }, user: u }));
    const leadForLicence = { propertyState: licenceState };
    // A callback to a local presence number rings only the borrower's last caller, when available.
    const callback = await this.callbackAgent(orgId, did, callerE164);
    const picked = callback ? [callback] : eligibleAgents(candidates, { loanPurposes: [] }, leadForLicence, this.config.inbound.maxAgents);
    const reserved = new Set(await this.calls_.reserveAgents(picked.map((a) => a.id), new Date()));
    const agents = picked.filter((a) => reserved.has(a.id));
    const callId = randomUUID();
    const basis = callback ? 'callback to the last caller' : route.licensing === 'state' ? `state ${route.state} (${route.basis})` : route.basis;
    this.logger.log(`inbound call ${callId} from ${callerE164 ?? 'anonymous'} to ${did}: ${basis}; ringing ${agents.length} agent(s)`);

    const callerActivityId = await this.calls_.openActivity({
      orgId,
      prospectId: lead?.prospectId ?? null,
      direction: 'inbound',
      purpose: 'inbound',
      fromNumber: callerE164 ?? 'anonymous',
      toNumber: did,
      userId: null,
      channelId: callerChannelId,
    });
    const planned = agents.map((a) => ({ legId: randomUUID(), agentId: a.id, endpoint: agentEndpoint(a.user)!, showDetails: a.user.showIncomingCallDetails }));
    const activityIds = await this.calls_.openActivities(
      planned.map((l) => ({ orgId, prospectId: lead?.prospectId ?? null, direction: 'inbound' as const, purpose: 'inbound_agent', fromNumber: callerE164 ?? 'anonymous', toNumber: l.endpoint, userId: l.agentId, channelId: l.legId })),
    );
    const legs = planned.map((l, i) => ({ ...l, activityId: activityIds[i] }));
    const start = legs.length ? { state: initialInboundState(legs.map((l) => ({ id: l.legId, agentId: l.agentId }))), commands: [] } : noAgentsInbound();
    const call = new InboundCall(
      { callId, callerChannelId, callerActivityId, voicemailMaxSeconds: this.config.inbound.voicemailMaxSeconds, fallbackNumber: this.config.inbound.fallbackNumber, callerE164, legs },
      start.state,
      this.ari,
      this.calls_,
      this,
    );
    this.calls.add(call);
    this.byChannel.set(callerChannelId, call);
    for (const leg of legs) this.byChannel.set(leg.legId, call);
    call.begin(start.commands, this.config.inbound.ringTimeoutSeconds);
    if (!legs.length) return;

    // The caller hears ringback while the agents' phones ring.
    // Not awaited: the agents' INVITEs must not wait for the ringback indication.
    void this.ari.channels.ring(callerChannelId).catch(() => undefined);
    const callerId = callerE164 ? `"${lead?.name || callerE164}" <${callerE164}>` : '"Anonymous" <anonymous>';
    await Promise.all(
      legs.map(async (leg) => {
        // Marked ringing (synchronously) before the INVITE, so a fast answer can't leave the light
        // blinking; the presence push and the popup follow without delaying the INVITE.
        const lit = this.presence.setInboundRinging(leg.agentId, true);
        const request = this.ari.channels.originate({ channelId: leg.legId, endpoint: leg.endpoint, app: this.ari.app, appArgs: `inbound-agent,${callId}`, callerId, timeoutSeconds: this.config.inbound.ringTimeoutSeconds + 5 });
        call.legOriginating(leg.legId, request);
        this.notifier.incoming(leg.agentId, popup(callId, callerE164, lead, leg.showDetails));
        await lit;
        try {
          await request;
        } catch (err) {
          this.logger.warn(`inbound call ${callId}: could not ring ${leg.endpoint}: ${err instanceof Error ? err.message : String(err)}`);
          call.feed({ type: 'legEnded', legId: leg.legId });
        }
      }),
    );
  }

  /** The borrower's last caller when the DID is a local presence number and they are available (PRODUCT.md §4). */
  private async callbackAgent(orgId: string, did: string, callerE164: string | null): Promise<(EligibilityAgent & { user: User }) | null> {
    const didE164 = normalizePhone(did);
    const didIsLocalPresence = !!didE164 && (await this.callbacks.isLocalPresenceNumber(orgId, didE164));
    const last = didIsLocalPresence && callerE164 ? await this.callbacks.lastCaller(orgId, callerE164) : null;
    const agent = last ? toEligibilityAgent(last, agentEndpoint(last) !== null) : null;
    const decision = routeCallback({ didIsLocalPresence, callerE164, lastCaller: agent });
    if (decision.kind === 'last_caller') return { ...agent!, user: last! };
    if (didIsLocalPresence) this.logger.log(`callback to ${didE164} from ${callerE164 ?? 'anonymous'}: ${decision.reason}; normal inbound routing`);
    return null;
  }
}

/** The popup: lead details only when the agent wants them (decided here, not in the browser). */
function popup(callId: string, from: string | null, lead: MatchedLead | null, showDetails: boolean) {
  return { callId, from, lead: lead && showDetails ? lead : null, detailsHidden: !!lead && !showDetails };
}
