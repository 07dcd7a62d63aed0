import { Injectable, OnModuleInit } from '@nestjs/common';
import { LeadEvents } from '../events/lead-events';
import { RealtimeGateway } from './realtime.gateway';

/** Cuts off the sockets whose access was revoked (user deleted, role changed, device token revoked). */
@Injectable()
export class SessionRevoker implements OnModuleInit {
  constructor(
    private readonly gateway: RealtimeGateway,
    private readonly events: LeadEvents,
  ) {}

  onModuleInit(): void {
    this.events.on('access.revoked', ({ userId, deviceId, reason }) => this.gateway.endSessions({ userId, deviceId }, reason));
  }
}
