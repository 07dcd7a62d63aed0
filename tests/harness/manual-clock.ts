// A clock the test moves by hand, handed to the server with startServer({}, { clock }).
import { Clock } from '../../apps/server/src/common/clock';

export class ManualClock extends Clock {
  private at: number;

  constructor(start: Date | string) {
    super();
    this.at = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.at);
  }

  set(to: Date | string): void {
    this.at = new Date(to).getTime();
  }

  advanceMinutes(minutes: number): void {
    this.at += minutes * 60_000;
  }
}
