import { Module } from '@nestjs/common';
import { LocalPresenceModule } from '../local-presence/local-presence.module';
import { RealtimeModule } from '../realtime/realtime.module';
import { InboundController, MissedCallsService } from './inbound.controller';
import { InboundRepository } from './inbound.repository';
import { InboundService } from './inbound.service';

@Module({ imports: [RealtimeModule, LocalPresenceModule], controllers: [InboundController], providers: [InboundRepository, InboundService, MissedCallsService] })
export class InboundModule {}
