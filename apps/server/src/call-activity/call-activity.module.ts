import { Module } from '@nestjs/common';
import { CallActivityController } from './call-activity.controller';
import { CallActivityRepository } from './call-activity.repository';
import { CallActivityService } from './call-activity.service';

@Module({ controllers: [CallActivityController], providers: [CallActivityRepository, CallActivityService], exports: [CallActivityRepository] })
export class CallActivityModule {}
