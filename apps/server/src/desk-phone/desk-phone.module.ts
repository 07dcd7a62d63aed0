import { Module } from '@nestjs/common';
import { CallsModule } from '../calls/calls.module';
import { DeskPhoneService } from './desk-phone.service';
import { VoicemailRepository } from './voicemail.repository';

/** Calls placed from desk phones (the router's `phone` entry). */
@Module({ imports: [CallsModule], providers: [DeskPhoneService, VoicemailRepository] })
export class DeskPhoneModule {}
