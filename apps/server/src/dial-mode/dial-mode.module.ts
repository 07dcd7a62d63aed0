import { Module } from '@nestjs/common';
import { CallsModule } from '../calls/calls.module';
import { RealtimeModule } from '../realtime/realtime.module';
import { DialModeController, LeadStatusController } from './dial-mode.controller';
import { DialHoldExpiryService } from './dial-hold-expiry.service';
import { DialModeConfigService } from './dial-mode-config.service';
import { DialModeOperatorController } from './dial-mode-operator.controller';
import { DialModeRepository } from './dial-mode.repository';
import { DialQueueService } from './dial-queue.service';
import { DialerService } from './dialer.service';
import { DoNotCallController } from './do-not-call.controller';
import { DoNotCallRepository } from './do-not-call.repository';
import { DoNotCallService } from './do-not-call.service';

@Module({
  imports: [CallsModule, RealtimeModule],
  controllers: [DialModeController, LeadStatusController, DialModeOperatorController, DoNotCallController],
  providers: [DialModeRepository, DoNotCallRepository, DialQueueService, DialModeConfigService, DialerService, DoNotCallService, DialHoldExpiryService],
})
export class DialModeModule {}
