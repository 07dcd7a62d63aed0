import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { MonitorMode, MonitorView } from '@leadline/contracts';
import { AuthUser } from '../auth/auth-user';
import { DomainError, ErrorCode, notFound } from '../common/domain-error';
import { LiveCallNotifier } from '../realtime/live-call-notifier';
import { agentEndpoint } from '../telephony/agent-endpoint';
import { CallLegRepository } from '../telephony/call-legs.repository';
import { ConversationService } from '../telephony/conversation/conversation.service';
import { MonitorSession } from '../telephony/monitor/monitor-session';
import { MonitorService } from '../telephony/monitor/monitor.service';
import { UserRepository } from '../users/user.repository';
import { toMonitorView } from './call-monitor.view';

/**
 * Listen, whisper and barge for managers and admins, on any live call of their org, from their own
 * desk phone. The team sees every monitor (`call:monitor`); the agent is told only when the org
 * says so (`monitorNoticeToAgent`, `call:monitored`).
 */
@Injectable()
export class CallMonitorService implements OnModuleInit {
  private readonly logger = new Logger(CallMonitorService.name);
  /** What each monitored agent was last told, so a notice is sent once per change. */
  private readonly told = new WeakMap<MonitorSession, MonitorMode | null>();

  constructor(
    private readonly monitors: MonitorService,
    private readonly conversations: ConversationService,
    private readonly users: UserRepository,
    private readonly legs: CallLegRepository,
    private readonly notifier: LiveCallNotifier,
  ) {}

  onModuleInit(): void {
    this.monitors.onChange((s, ended) => this.push(s, ended));
  }

  list(me: AuthUser): MonitorView[] {
    return this.monitors.inOrg(me.orgId).map(toMonitorView);
  }

  /** Starts monitoring the call in `mode` (your phone rings), or switches your monitor of it to `mode`. */
  async monitor(me: AuthUser, callId: string, mode: MonitorMode): Promise<{ view: MonitorView; started: boolean }> {
    const call = this.conversations.byCallId(callId);
    // A call of another org is not found, like an unknown one.
    if (!call || call.spec.orgId !== me.orgId) throw notFound(ErrorCode.CallNotFound, 'Live call', callId);
    const mine = this.monitors.of(me.id);
    if (mine && mine.callId === callId) {
      mine.setMode(mode);
      return { view: { ...toMonitorView(mine), mode }, started: false };
    }
    if (mine) throw new DomainError(ErrorCode.AgentUnavailable, `You are monitoring call ${mine.callId}: stop that first`);
    if (call.partyOf(me.id)) throw new DomainError(ErrorCode.Conflict, 'You are on this call yourself');
    const user = await this.users.byId(me.id);
    const endpoint = user ? agentEndpoint(user) : null;
    if (!user || !endpoint) throw new DomainError(ErrorCode.AgentUnavailable, 'You have no phone Leadline can ring');
    const session = await this.monitors.start(call, { id: user.id, name: user.name, extension: user.extension ?? null, endpoint }, mode);
    if (!session) throw new DomainError(ErrorCode.AgentUnavailable, 'You are on another call');
    return { view: toMonitorView(session), started: true };
  }

  /** Hangs up your phone's monitor of the call. */
  stop(me: AuthUser, callId: string): MonitorView {
    const mine = this.monitors.of(me.id);
    if (!mine || mine.callId !== callId) throw notFound(ErrorCode.CallNotFound, 'Monitor of yours on call', callId);
    mine.stop();
    return toMonitorView(mine);
  }

  private push(s: MonitorSession, ended: boolean): void {
    const view = toMonitorView(s);
    this.notifier.monitorChanged(s.conversation.spec.orgId, ended ? { ...view, state: 'ended' } : view);
    // The agent hears a whisper or a barge anyway; only a connected monitor is news to them.
    const mode = !ended && view.state === 'connected' ? s.mode : null;
    if ((this.told.get(s) ?? null) === mode) return;
    this.told.set(s, mode);
    this.tellAgents(s, mode).catch((err: unknown) => this.logger.warn(`monitor notice for call ${s.callId}: ${err instanceof Error ? err.message : String(err)}`));
  }

  private async tellAgents(s: MonitorSession, mode: MonitorMode | null): Promise<void> {
    const org = await this.legs.org(s.conversation.spec.orgId);
    if (!org.monitorNoticeToAgent) return;
    const userIds = [...new Set(s.conversation.liveParties().map((p) => p.userId))].filter((id): id is string => !!id && id !== s.manager.id);
    this.notifier.monitored(userIds, { callId: s.callId, managerName: s.manager.name, mode });
  }
}
