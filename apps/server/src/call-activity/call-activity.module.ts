import { Module } from '@nestjs/common';
import { OrgModule } from '../org/org.module';
import { CallActivityController } from './call-activity.controller';
import { CallActivityRepository } from './call-activity.repository';
import { CallActivityService } from './call-activity.service';

@Module({ imports: [OrgModule], controllers: [CallActivityController], providers: [CallActivityRepository, CallActivityService], exports: [CallActivityRepository] })
export class CallActivityModule {}
