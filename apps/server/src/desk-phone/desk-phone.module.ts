import { Module } from '@nestjs/common';
import { CallsModule } from '../calls/calls.module';
import { DeskPhoneService } from './desk-phone.service';

/** Calls placed from desk phones (the router's `phone` entry). */
@Module({ imports: [CallsModule], providers: [DeskPhoneService] })
export class DeskPhoneModule {}
