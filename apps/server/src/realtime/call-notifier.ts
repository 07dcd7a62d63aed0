import { Injectable } from '@nestjs/common';
import type { IncomingCallNotice } from '@leadline/contracts';
import { RealtimeGateway } from './realtime.gateway';

/** One method per thing agents are told about calls, over socket.io. */
@Injectable()
export class CallNotifier {
  constructor(private readonly gateway: RealtimeGateway) {}

  incoming(agentId: string, notice: IncomingCallNotice): void {
    this.gateway.toUsers([agentId]).emit('call:incoming', notice);
  }

  ended(agentId: string, callId: string, answeredByYou: boolean): void {
    this.gateway.toUsers([agentId]).emit('call:ended', { callId, answeredByYou });
  }
}
