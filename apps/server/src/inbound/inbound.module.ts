import { Module } from '@nestjs/common';
import { DistributionModule } from '../distribution/distribution.module';
import { LocalPresenceModule } from '../local-presence/local-presence.module';
import { RealtimeModule } from '../realtime/realtime.module';
import { InboundController, MissedCallsService } from './inbound.controller';
import { InboundRepository } from './inbound.repository';
import { InboundService } from './inbound.service';

@Module({ imports: [DistributionModule, RealtimeModule, LocalPresenceModule], controllers: [InboundController], providers: [InboundRepository, InboundService, MissedCallsService] })
export class InboundModule {}
