import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import type { Options } from '@mikro-orm/core';
import type { AbstractSqlDriver } from '@mikro-orm/knex';
import type { Database } from 'better-sqlite3';
import type { DatabaseConfig } from '../config/app-config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migration-list';
import { BoundSqliteDriver } from './bound-sqlite';
import { cacheStatements } from './statement-cache';

/**
 * The connection's pragmas. synchronous is set explicitly: better-sqlite3 is compiled with
 * SQLITE_DEFAULT_WAL_SYNCHRONOUS=1 (NORMAL), and we keep SQLite's own default, FULL, so a commit
 * is on disk (the WAL fsynced) before we answer, even across a power cut.
 */
export function applyPragmas(db: Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
}

/** What both databases share: entities, migrations only, no global context. */
function commonOptions(debug: boolean) {
  return {
    entities: ENTITIES,
    extensions: [Migrator],
    migrations: { migrationsList: MIGRATIONS, transactional: true, allOrNothing: true, snapshot: false, silent: true },
    // Never auto-sync the schema: migrations are the only way the schema changes.
    ensureDatabase: false,
    allowGlobalContext: false,
    debug,
    forceUtcTimezone: true,
  } satisfies Options;
}

/** The MikroORM driver class for a database setting. */
export function driverFor(database: DatabaseConfig): typeof BoundSqliteDriver | typeof PostgreSqlDriver {
  return database.kind === 'sqlite' ? BoundSqliteDriver : PostgreSqlDriver;
}

/**
 * MikroORM options. SQLite: one file, WAL, foreign keys, a busy timeout. PostgreSQL: a pool of
 * connections to the URL's database (its synchronous_commit stays on: a commit is durable before
 * we answer).
 */
export function mikroOrmOptions(database: DatabaseConfig, debug = false): Options<AbstractSqlDriver> {
  if (database.kind === 'postgresql') {
    return { ...commonOptions(debug), driver: PostgreSqlDriver, clientUrl: database.url, pool: { min: 2, max: 10 } };
  }
  return {
    ...commonOptions(debug),
    driver: BoundSqliteDriver,
    dbName: database.path,
    // One in-process connection (better-sqlite3 is synchronous): the pool hands it to one unit of
    // work at a time, so a transaction never sees another's statements.
    pool: {
      min: 1,
      max: 1,
      afterCreate: (conn: Database, done: (err: Error | null, conn: Database) => void) => {
        try {
          applyPragmas(conn);
          cacheStatements(conn);
          done(null, conn);
        } catch (err) {
          done(err instanceof Error ? err : new Error(String(err)), conn);
        }
      },
    },
  };
}
