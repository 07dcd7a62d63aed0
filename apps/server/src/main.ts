import 'reflect-metadata';
import { createApp } from './bootstrap';
import { AppConfig, ConfigError } from './config/app-config';
import { stopGracefullyOnSignals } from './graceful-stop';
import { InstanceConflictError } from './realtime/realtime.gateway';
import { RedisUnavailableError } from './realtime/redis-link';

async function main(): Promise<void> {
  // Files the server creates (database, secrets, backups) are readable by its own group at most,
  // never by other users of the host — Asterisk's user among them.
  process.umask(0o027);
  let config: AppConfig;
  try {
    config = AppConfig.fromEnv();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee docs/configuration.md.\n`);
      process.exit(2);
    }
    throw err;
  }
  const app = await createApp(config);
  stopGracefullyOnSignals(app, config.shutdown.graceSeconds);
  await app.listen(config.port, config.host);
  process.stdout.write(`Leadline listening on http://${config.host}:${config.port} (API /api, docs /api/docs, health /api/health)\n`);
}

main().catch((err: unknown) => {
  if (err instanceof RedisUnavailableError || err instanceof InstanceConflictError) {
    process.stderr.write(`Leadline failed to start: ${err.message}\nSee docs/scale-out.md.\n`);
    process.exit(1);
  }
  process.stderr.write(`Leadline failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
