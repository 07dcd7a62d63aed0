import { Module } from '@nestjs/common';
import { CallsController } from './calls.controller';
import { CallsRepository } from './calls.repository';
import { ClickToCallService } from './click-to-call.service';

@Module({ controllers: [CallsController], providers: [CallsRepository, ClickToCallService], exports: [ClickToCallService] })
export class CallsModule {}
