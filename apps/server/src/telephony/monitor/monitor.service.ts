import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { MonitorMode } from '@leadline/domain';
import { AgentLines } from '../agent-lines';
import { AriLink } from '../ari/ari-link';
import { CallLegRepository } from '../call-legs.repository';
import { Conversation } from '../conversation/conversation';
import { ConversationService } from '../conversation/conversation.service';
import { StasisRouter } from '../stasis-router';
import { MonitorDeps, MonitoringManager, MonitorSession } from './monitor-session';

/**
 * Managers listening in on connected calls: at most one monitor per manager; every monitor of a
 * call ends when the call does.
 */
@Injectable()
export class MonitorService implements OnModuleInit {
  private readonly logger = new Logger(MonitorService.name);
  private readonly sessions = new Map<string, MonitorSession>();
  private readonly listeners = new Set<(s: MonitorSession, ended: boolean) => void>();
  private readonly deps: MonitorDeps;

  constructor(
    ari: AriLink,
    router: StasisRouter,
    legs: CallLegRepository,
    private readonly lines: AgentLines,
    private readonly conversations: ConversationService,
  ) {
    this.deps = {
      ari,
      router,
      legs,
      lines,
      takeTransfers: (channelId) => conversations.takeTransfers(channelId),
      changed: (s) => this.emit(s, false),
      finished: (s) => {
        if (this.sessions.get(s.manager.id) === s) this.sessions.delete(s.manager.id);
        this.emit(s, true);
      },
    };
  }

  onModuleInit(): void {
    this.conversations.onChange((c, ended) => {
      for (const s of this.sessions.values()) {
        if (s.conversation !== c) continue;
        if (ended) s.feed({ type: 'callEnded' });
        else s.callChanged();
      }
    });
  }

  /** The manager's monitor, if any. */
  of(managerId: string): MonitorSession | undefined {
    return this.sessions.get(managerId);
  }

  /** Every live monitor of an org. */
  inOrg(orgId: string): MonitorSession[] {
    return [...this.sessions.values()].filter((s) => s.conversation.spec.orgId === orgId);
  }

  /**
   * Rings the manager's phone to monitor the call; null when the manager is on a call (a monitor
   * holds the manager's line like any call: they are shown on a call, and nothing else rings them).
   */
  async start(conversation: Conversation, manager: MonitoringManager, mode: MonitorMode): Promise<MonitorSession | null> {
    if (this.sessions.has(manager.id) || !(await this.lines.reserveFree([manager.id], new Date())).length) return null;
    const session = new MonitorSession(conversation, manager, mode, this.deps);
    this.sessions.set(manager.id, session);
    try {
      await session.start();
    } catch (err) {
      // The row could not be written: nothing rang.
      this.sessions.delete(manager.id);
      await this.lines.release(manager.id, new Date());
      throw err;
    }
    return session;
  }

  /** Told when a monitor starts ringing, is answered, changes mode, and once when it is over. */
  onChange(listener: (s: MonitorSession, ended: boolean) => void): void {
    this.listeners.add(listener);
  }

  private emit(s: MonitorSession, ended: boolean): void {
    for (const l of this.listeners) {
      try {
        l(s, ended);
      } catch (err) {
        this.logger.error(`monitor listener: ${err instanceof Error ? err.stack : String(err)}`);
      }
    }
  }
}
