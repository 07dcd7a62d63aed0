import { Module } from '@nestjs/common';
import { CallNotifier } from './call-notifier';
import { DialModeNotifier } from './dial-mode-notifier';
import { LeadNotifier } from './lead-notifier';
import { LiveCallNotifier } from './live-call-notifier';
import { RealtimeGateway } from './realtime.gateway';
import { RedisLink } from './redis-link';
import { SessionRevoker } from './session-revoker';
import { SocketAuthenticator } from './socket-authenticator';

@Module({
  providers: [RealtimeGateway, SocketAuthenticator, SessionRevoker, LeadNotifier, CallNotifier, DialModeNotifier, LiveCallNotifier, RedisLink],
  exports: [RealtimeGateway, LeadNotifier, CallNotifier, DialModeNotifier, LiveCallNotifier, RedisLink],
})
export class RealtimeModule {}
