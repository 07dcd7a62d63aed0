import { Module } from '@nestjs/common';
import { DistributionModule } from '../distribution/distribution.module';
import { CallsController } from './calls.controller';
import { CallsRepository } from './calls.repository';
import { ClickToCallService } from './click-to-call.service';

@Module({ imports: [DistributionModule], controllers: [CallsController], providers: [CallsRepository, ClickToCallService], exports: [ClickToCallService] })
export class CallsModule {}
