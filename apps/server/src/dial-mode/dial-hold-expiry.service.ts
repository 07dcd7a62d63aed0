import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '../common/clock';
import { PeriodicTask } from '../common/periodic-task';
import { AppConfig } from '../config/app-config';
import { DialModeNotifier } from '../realtime/dial-mode-notifier';
import { DialModeRepository } from './dial-mode.repository';

const BATCH = 100;

/**
 * Gives dial-mode leads back to their queues when the operator holding them shows no activity for
 * DIAL_MODE_HOLD_EXPIRY_MINUTES (handed out, dialled, the call ended; never during a call). Every
 * instance sweeps on its own timer; the guarded update of each lead lets exactly one of them win,
 * and that one tells the operator's page.
 */
@Injectable()
export class DialHoldExpiryService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DialHoldExpiryService.name);
  private readonly task = new PeriodicTask('dial-mode hold sweep', this.logger, () => this.expireStale());

  constructor(
    private readonly repo: DialModeRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly notifier: DialModeNotifier,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(this.config.dialMode.holdSweepSeconds * 1000);
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  private async expireStale(): Promise<void> {
    const idleMinutes = this.config.dialMode.holdExpiryMinutes;
    const cutoff = new Date(this.clock.now().getTime() - idleMinutes * 60_000);
    for (const hold of await this.repo.staleHolds(cutoff, BATCH)) {
      // Another instance may have swept it, the operator may have acted: the update decides.
      if (!(await this.repo.expireHold(hold.entryId, hold.operatorId, cutoff))) continue;
      this.logger.log(`dial mode: lead ${hold.prospectId} went back to its queue (operator ${hold.operatorId} inactive since ${hold.heldActiveAt.toISOString()})`);
      this.notifier.holdExpired(hold.operatorId, { entryId: hold.entryId, prospectId: hold.prospectId, idleMinutes });
    }
  }
}
