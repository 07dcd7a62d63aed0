import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { initialInboundState, isAnonymousCaller, noAgentsInbound, normalizePhone } from '@leadline/domain';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { CallbackRepository } from '../local-presence/callback.repository';
import { PresenceService } from '../presence/presence.service';
import { CallNotifier } from '../realtime/call-notifier';
import { agentEndpoint } from '../telephony/agent-endpoint';
import { AgentLines } from '../telephony/agent-lines';
import { AriLink } from '../telephony/ari/ari-link';
import { CallLegRepository } from '../telephony/call-legs.repository';
import { ConversationService } from '../telephony/conversation/conversation.service';
import { LegCanceller } from '../telephony/leg-canceller';
import { RecordingDisclosure } from '../telephony/recording-disclosure';
import { StasisEntryCall, StasisRouter } from '../telephony/stasis-router';
import { InboundCall, InboundCallDeps, InboundCallPlan } from './inbound-call';
import { InboundLookupDeps, lookUpInbound, PickedAgent } from './inbound-lookup';
import { InboundRepository, MatchedLead } from './inbound.repository';

/**
 * Inbound calls from the trunk (dialplan: Stasis(app, inbound, <DID>)): the StasisRouter hands
 * each to a new InboundCall at once (its owner from the first event on); routing then matches the
 * caller's number to a lead and applies PRODUCT.md §5's rules to the available agents licensed for
 * the state, rung at once; the first to answer is connected and recorded; nobody → voicemail.
 */
@Injectable()
export class InboundService implements OnModuleInit {
  private readonly logger = new Logger(InboundService.name);
  private readonly deps: InboundCallDeps;
  private readonly lookupDeps: InboundLookupDeps;

  constructor(
    private readonly ari: AriLink,
    private readonly router: StasisRouter,
    inbound: InboundRepository,
    private readonly legs: CallLegRepository,
    config: AppConfig,
    callbacks: CallbackRepository,
    private readonly lines: AgentLines,
    presence: PresenceService,
    notifier: CallNotifier,
    conversations: ConversationService,
    disclosure: RecordingDisclosure,
    canceller: LegCanceller,
  ) {
    this.lookupDeps = { inbound, callbacks, maxAgents: config.inbound.maxAgents, log: (line) => this.logger.log(line) };
    this.deps = {
      ari,
      router,
      legs,
      lines,
      conversations,
      disclosure,
      hangUpLeg: (channelId, reason) => canceller.hangUp(channelId, reason),
      ringTimeoutSeconds: config.inbound.ringTimeoutSeconds,
      voicemailMaxSeconds: config.inbound.voicemailMaxSeconds,
      fallbackNumber: config.inbound.fallbackNumber,
      markRinging: (agentId, ringing) => presence.markInboundRinging(agentId, ringing),
      announcePresence: (agentId) => presence.refresh(agentId),
      popup: (agentId, notice) => notifier.incoming(agentId, notice),
      popupEnded: (agentId, callId, answeredByAgent) => notifier.ended(agentId, callId, answeredByAgent),
    };
  }

  onModuleInit(): void {
    this.router.onEntry('inbound', (entry) => {
      const call = new InboundCall(entry.channel.id, this.deps);
      call.route(() => this.route(entry));
      return call;
    });
  }

  /** Who an inbound call rings (its agents reserved; its rows written by the call while they ring); null = nobody can take it. */
  private async route(entry: StasisEntryCall): Promise<InboundCallPlan | null> {
    const callerChannelId = entry.channel.id;
    const did = entry.dialled || entry.channel.dialplan.exten;
    // Passed by the dialplan (no request to Asterisk before the lookup); read over ARI from an older one.
    const presentation = entry.presentation ?? (await this.ari.channels.variable(callerChannelId, 'CALLERID(pres)').catch(() => null));
    const anonymous = isAnonymousCaller(entry.channel.caller.number, presentation);
    const callerE164 = anonymous ? null : (normalizePhone(entry.channel.caller.number) ?? null);
    const found = await lookUpInbound(this.lookupDeps, did, callerE164);
    if (!found) return null;
    const { orgId, lead, picked, basis } = found;
    // Not announced here: each agent rung is marked ringing (InboundCall.ringAgents), which brings
    // their presence up to date; one who is not is released (AgentLines.release).
    const reserved = new Set(await this.lines.reserveFree(picked.map((a) => a.id), new Date(), { announce: false }));
    const agents = picked.filter((a) => reserved.has(a.id));
    try {
      return this.plan({ entry, orgId, did, callerE164, lead, agents, basis });
    } catch (err) {
      // Nothing rings yet: give the agents back (the call hangs the caller up, InboundCall.route).
      for (const a of agents) await this.lines.release(a.id, new Date());
      throw err;
    }
  }

  /** The plan the call runs for the agents reserved, and how to write its rows. */
  private plan(p: { entry: StasisEntryCall; orgId: string; did: string; callerE164: string | null; lead: MatchedLead | null; agents: PickedAgent[]; basis: string }): InboundCallPlan {
    const { orgId, did, callerE164, lead, agents, basis } = p;
    const callerChannelId = p.entry.channel.id;
    const callId = randomUUID();
    this.logger.log(`inbound call ${callId} from ${callerE164 ?? 'anonymous'} to ${did}: ${basis}; ringing ${agents.length} agent(s)`);

    const legs = agents.map((a) => ({ legId: randomUUID(), activityId: randomUUID(), agentId: a.id, agentName: a.user.name, extension: a.user.extension ?? null, endpoint: agentEndpoint(a.user)!, popup: popup(callId, callerE164, lead, a.user.showIncomingCallDetails) }));
    const callerActivityId = randomUUID();
    const prospectId = lead?.prospectId ?? null;
    const from = callerE164 ?? 'anonymous';
    return {
      callId,
      orgId,
      prospectId,
      callerActivityId,
      callerE164,
      callerLabel: lead?.name || callerE164 || 'Anonymous',
      callerIdShown: callerE164 ? `"${lead?.name || callerE164}" <${callerE164}>` : '"Anonymous" <anonymous>',
      start: legs.length ? { state: initialInboundState(legs.map((l) => ({ id: l.legId, agentId: l.agentId }))), commands: [] } : noAgentsInbound(),
      legs,
      // The call, the caller's leg and every agent's leg in one commit.
      writeRows: async () => {
        await this.legs.openCall({ id: callId, orgId, kind: 'inbound', prospectId }, [
          { id: callerActivityId, orgId, prospectId, callId, direction: 'inbound', purpose: 'inbound', fromNumber: from, toNumber: did, userId: null, channelId: callerChannelId },
          ...legs.map((l) => ({ id: l.activityId, orgId, prospectId, callId, direction: 'inbound' as const, purpose: 'inbound_agent', fromNumber: from, toNumber: l.endpoint, userId: l.agentId, channelId: l.legId })),
        ]);
      },
    };
  }
}

/** The popup: lead details only when the agent wants them (decided here, not in the browser). */
function popup(callId: string, from: string | null, lead: MatchedLead | null, showDetails: boolean) {
  return { callId, from, lead: lead && showDetails ? lead : null, detailsHidden: !!lead && !showDetails };
}
