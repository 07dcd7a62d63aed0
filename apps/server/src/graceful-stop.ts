import { INestApplication, Logger } from '@nestjs/common';
import { DistributionService } from './distribution/distribution.service';

/**
 * SIGTERM / SIGINT (systemd stop, docker stop, Ctrl-C, scripts/start.sh restarting the server):
 * no new round starts (Action Posts are still accepted and stored `new`; another instance or the
 * next process distributes them), the ring-all rounds already ringing get up to `graceSeconds` to
 * end, then the application closes (its shutdown hooks) and the process exits 0. A second signal
 * cuts the wait short. What is still connected when the process exits stays up in Asterisk.
 */
export function stopGracefullyOnSignals(app: INestApplication, graceSeconds: number): void {
  const logger = new Logger('GracefulStop');
  let cutShort: (() => void) | undefined;
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn(`${signal} again: not waiting for the running rounds any more`);
      cutShort?.();
      return;
    }
    stopping = true;
    void stop(signal);
  };
  const stop = async (signal: NodeJS.Signals) => {
    const distribution = app.get(DistributionService);
    logger.warn(`${signal}: starting no new rounds; waiting up to ${graceSeconds}s for ${distribution.runningRounds} running ring-all round(s)`);
    try {
      const left = await Promise.race([distribution.stopTakingRounds(graceSeconds * 1000), new Promise<number>((resolve) => (cutShort = () => resolve(distribution.runningRounds)))]);
      if (left) logger.warn(`${left} round(s) still running after the grace; stopping anyway`);
      await app.close();
      process.exit(0);
    } catch (err) {
      logger.error(`stopping failed: ${err instanceof Error ? err.stack : String(err)}`);
      process.exit(1);
    }
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
