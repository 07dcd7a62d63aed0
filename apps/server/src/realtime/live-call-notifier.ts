import { Injectable } from '@nestjs/common';
import type { LiveCallView } from '@leadline/contracts';
import { RealtimeGateway } from './realtime.gateway';

/** Connected calls pushed over socket.io: to the users on them, and to managers watching the team. */
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
}
