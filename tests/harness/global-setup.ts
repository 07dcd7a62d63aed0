import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { asterisk, IT_DATABASE, IT_DIR, IT_PG_DIR, IT_PG_PORT } from './it-env';
import { startPostgres, stopPostgresIn } from './postgres';

export default async function globalSetup(): Promise<void> {
  // An interrupted earlier run may have left its Asterisk behind: end it before clearing its folder.
  const conf = path.join(IT_DIR, 'asterisk', 'etc', 'asterisk.conf');
  try {
    execFileSync('pkill', ['-9', '-f', `asterisk -C ${conf}`]);
    await new Promise((r) => setTimeout(r, 300));
  } catch {
    // none running
  }
  await stopPostgresIn(IT_PG_DIR);
  rmSync(IT_DIR, { recursive: true, force: true });
  rmSync(IT_PG_DIR, { recursive: true, force: true });
  const started = Date.now();
  const handle = await asterisk();
  process.stderr.write(`\n[it] Asterisk up at ${handle.ariUrl} / sip ${handle.sipAddress} in ${Date.now() - started} ms\n`);
  if (IT_DATABASE === 'postgres') {
    const pgStarted = Date.now();
    // Jest skips the teardown when the setup throws: stop our Asterisk ourselves, or it holds the
    // slot's ports for the next run.
    const pg = await startPostgres({ dir: IT_PG_DIR, port: IT_PG_PORT, durable: false }).catch(async (err: unknown) => {
      await handle.stop();
      throw err;
    });
    process.stderr.write(`[it] PostgreSQL up at ${pg.host}:${pg.port} in ${Date.now() - pgStarted} ms (each test server gets a database of its own)\n`);
  }
}
