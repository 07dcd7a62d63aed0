import { DynamicModule, Global, Module } from '@nestjs/common';

/**
 * The time source of code that schedules (dial mode's due times, calling windows). A DI token of
 * its own so tests can run the server with a clock they move; everything else uses the system time.
 */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

@Global()
@Module({})
export class ClockModule {
  static register(clock: Clock): DynamicModule {
    return { module: ClockModule, providers: [{ provide: Clock, useValue: clock }], exports: [Clock], global: true };
  }
}
