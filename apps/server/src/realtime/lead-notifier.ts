import { Injectable, OnModuleInit } from '@nestjs/common';
import type { LeadOfferSummary } from '@leadline/contracts';
import { LeadEvents } from '../events/lead-events';
import { RealtimeGateway } from './realtime.gateway';

/** One method per thing agents are told about leads, over socket.io. */
@Injectable()
export class LeadNotifier implements OnModuleInit {
  constructor(
    private readonly gateway: RealtimeGateway,
    private readonly events: LeadEvents,
  ) {}

  onModuleInit(): void {
    this.events.on('prospect.assigned', ({ prospectId, applicationId, agentId, via }) => {
      this.gateway.toUsers([agentId]).emit('lead:assigned', { prospectId, applicationId, via });
    });
  }

  offer(agentIds: string[], offer: LeadOfferSummary): void {
    if (agentIds.length) this.gateway.toUsers(agentIds).emit('lead:offer', offer);
  }

  taken(agentIds: string[], prospectId: string): void {
    if (agentIds.length) this.gateway.toUsers(agentIds).emit('lead:taken', { prospectId });
  }

  expired(agentIds: string[], prospectId: string): void {
    if (agentIds.length) this.gateway.toUsers(agentIds).emit('lead:expired', { prospectId });
  }
}
