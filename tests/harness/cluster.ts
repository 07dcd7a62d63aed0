// Several Leadline server processes (compiled dist/, like production) sharing one database and one
// Redis: what REDIS_URL is for. Each instance has its own data dir and its own Stasis app on the
// shared test Asterisk (two servers must never share an app), and the same JWT secret, so a token
// from one instance is good on the others (as behind a load balancer).
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import * as path from 'node:path';
import { IT_DIR } from './it-env';
import { ServerProcess, spawnServer } from './server';
import { databaseEnvFor } from './test-database';

/**
 * The database settings every instance of a test cluster shares: a fresh SQLite file (several
 * processes on one WAL file work), or one PostgreSQL database when the run is on PostgreSQL.
 */
export async function sharedDatabaseEnv(name: string): Promise<Record<string, string>> {
  const dir = mkdtempSync(path.join(IT_DIR, `${name}-db-`));
  // PostgreSQL runs (LEADLINE_TEST_DB=postgres): one database of the run's cluster for every instance.
  const postgres = await databaseEnvFor(dir);
  return postgres.DATABASE_URL ? postgres : { DATABASE_URL: `sqlite:${path.join(dir, 'leadline.db')}` };
}

export interface Cluster {
  instances: ServerProcess[];
  /** Starts one more instance with the cluster's settings (e.g. after one was killed). */
  add(extra?: Record<string, string>): Promise<ServerProcess>;
  stop(): Promise<void>;
}

let seq = 0;

/** Starts `n` instances one after the other (the first applies the migrations). */
export async function startCluster(n: number, opts: { name: string; redisUrl: string; env?: Record<string, string> }): Promise<Cluster> {
  const shared = { ...(await sharedDatabaseEnv(opts.name)), REDIS_URL: opts.redisUrl, JWT_SECRET: randomBytes(32).toString('base64url'), ...opts.env };
  const instances: ServerProcess[] = [];
  const add = async (extra: Record<string, string> = {}) => {
    const i = ++seq;
    const instance = await spawnServer({ ...shared, LEADLINE_DATA_DIR: mkdtempSync(path.join(IT_DIR, `${opts.name}-${i}-`)), ARI_APP: `it-${opts.name}-${process.pid}-${i}`, ...extra });
    instances.push(instance);
    return instance;
  };
  for (let i = 0; i < n; i++) await add();
  return {
    instances,
    add,
    async stop() {
      await Promise.all(instances.map((s) => s.stop()));
    },
  };
}
