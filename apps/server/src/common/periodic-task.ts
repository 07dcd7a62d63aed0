import { Logger } from '@nestjs/common';

/**
 * Work an instance repeats on its own timer (the sweeps): one pass at a time — a pass still running
 * is not started again — a failed pass logged and the next tick tried, and stop() waits for the
 * pass in flight, so shutdown never cuts one in half.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly what: string,
    private readonly logger: Logger,
    private readonly pass: () => Promise<void>,
  ) {}

  /** Runs a pass every `everyMs`; the timer does not keep the process alive. */
  start(everyMs: number): void {
    this.timer = setInterval(() => void this.run(), everyMs);
    this.timer.unref();
  }

  /** One pass now, or the one already running. */
  run(): Promise<void> {
    this.running ??= this.pass()
      .catch((err: unknown) => this.logger.error(`${this.what} failed: ${err instanceof Error ? err.stack : String(err)}`))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
