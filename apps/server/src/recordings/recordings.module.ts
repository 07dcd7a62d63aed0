import { Module } from '@nestjs/common';
import { CallActivityModule } from '../call-activity/call-activity.module';
import { RecordingLinksController, RecordingsController } from './recordings.controller';
import { RecordingsService } from './recordings.service';

@Module({ imports: [CallActivityModule], controllers: [RecordingsController, RecordingLinksController], providers: [RecordingsService] })
export class RecordingsModule {}
