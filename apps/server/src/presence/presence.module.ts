import { Global, Module } from '@nestjs/common';
import { RealtimeModule } from '../realtime/realtime.module';
import { PresenceService } from './presence.service';

@Global()
@Module({ imports: [RealtimeModule], providers: [PresenceService], exports: [PresenceService] })
export class PresenceModule {}
