import { Module } from '@nestjs/common';
import { CallNotifier } from './call-notifier';
import { LeadNotifier } from './lead-notifier';
import { RealtimeGateway } from './realtime.gateway';
import { SocketAuthenticator } from './socket-authenticator';

@Module({ providers: [RealtimeGateway, SocketAuthenticator, LeadNotifier, CallNotifier], exports: [RealtimeGateway, LeadNotifier, CallNotifier] })
export class RealtimeModule {}
