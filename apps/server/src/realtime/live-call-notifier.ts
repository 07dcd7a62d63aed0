import { Injectable } from '@nestjs/common';
import type { LiveCallView, MonitoredNotice, MonitorView } from '@leadline/contracts';
import { RealtimeGateway } from './realtime.gateway';

/**
 * Connected calls pushed over socket.io: to the users on them, and to managers watching the team;
 * managers' monitoring to the team (and to the monitored agent when the org says so).
 */
@Injectable()
export class LiveCallNotifier {
  constructor(private readonly gateway: RealtimeGateway) {}

  changed(orgId: string, view: LiveCallView, userIds: string[]): void {
    if (userIds.length) this.gateway.toUsers(userIds).emit('call:live', view);
    this.gateway.toTeam(orgId).emit('call:live', view);
  }

  ended(orgId: string, callId: string, userIds: string[]): void {
    if (userIds.length) this.gateway.toUsers(userIds).emit('call:live-ended', { callId });
    this.gateway.toTeam(orgId).emit('call:live-ended', { callId });
  }

  monitorChanged(orgId: string, view: MonitorView): void {
    this.gateway.toUsers([view.managerId]).emit('call:monitor', view);
    this.gateway.toTeam(orgId).emit('call:monitor', view);
  }

  monitored(userIds: string[], notice: MonitoredNotice): void {
    if (userIds.length) this.gateway.toUsers(userIds).emit('call:monitored', notice);
  }
}
