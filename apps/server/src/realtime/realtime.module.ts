import { Module } from '@nestjs/common';
import { CallNotifier } from './call-notifier';
import { DialModeNotifier } from './dial-mode-notifier';
import { LeadNotifier } from './lead-notifier';
import { RealtimeGateway } from './realtime.gateway';
import { SocketAuthenticator } from './socket-authenticator';

@Module({ providers: [RealtimeGateway, SocketAuthenticator, LeadNotifier, CallNotifier, DialModeNotifier], exports: [RealtimeGateway, LeadNotifier, CallNotifier, DialModeNotifier] })
export class RealtimeModule {}
