import { Injectable } from '@nestjs/common';
import type { DialCallNotice, DialHoldExpiredNotice, DialResultView } from '@leadline/contracts';
import { RealtimeGateway } from './realtime.gateway';

/** One method per thing a dial-mode operator is told, over socket.io. */
@Injectable()
export class DialModeNotifier {
  constructor(private readonly gateway: RealtimeGateway) {}

  call(operatorId: string, notice: DialCallNotice): void {
    this.gateway.toUsers([operatorId]).emit('dial:call', notice);
  }

  result(operatorId: string, result: DialResultView): void {
    this.gateway.toUsers([operatorId]).emit('dial:result', result);
  }

  holdExpired(operatorId: string, notice: DialHoldExpiredNotice): void {
    this.gateway.toUsers([operatorId]).emit('dial:expired', notice);
  }
}
