import { Module } from '@nestjs/common';
import { CallMonitorController } from './call-monitor.controller';
import { CallMonitorService } from './call-monitor.service';
import { CallsController } from './calls.controller';
import { CallsRepository } from './calls.repository';
import { ClickToCallService } from './click-to-call.service';
import { LiveCallsController } from './live-calls.controller';
import { LiveCallsService } from './live-calls.service';
import { RealtimeModule } from '../realtime/realtime.module';

@Module({ imports: [RealtimeModule], controllers: [CallsController, LiveCallsController, CallMonitorController], providers: [CallsRepository, ClickToCallService, LiveCallsService, CallMonitorService], exports: [ClickToCallService, CallsRepository] })
export class CallsModule {}
