import { Global, Module } from '@nestjs/common';
import { LeadEvents } from './lead-events';

@Global()
@Module({ providers: [LeadEvents], exports: [LeadEvents] })
export class EventsModule {}
