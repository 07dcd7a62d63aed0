import { Migrator } from '@mikro-orm/migrations';
import { BetterSqliteDriver, defineConfig } from '@mikro-orm/better-sqlite';
import type { Database } from 'better-sqlite3';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migration-list';

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

/** MikroORM options for a SQLite file: WAL, foreign keys, a busy timeout, migrations only. */
export function mikroOrmOptions(databasePath: string, debug = false) {
  return defineConfig({
    driver: BetterSqliteDriver,
    dbName: databasePath,
    entities: ENTITIES,
    extensions: [Migrator],
    migrations: { migrationsList: MIGRATIONS, transactional: true, allOrNothing: true, snapshot: false, silent: true },
    // Never auto-sync the schema: migrations are the only way the schema changes.
    ensureDatabase: false,
    allowGlobalContext: false,
    debug,
    forceUtcTimezone: true,
    // One in-process connection (better-sqlite3 is synchronous): the pool hands it to one unit of
    // work at a time, so a transaction never sees another's statements.
    pool: {
      min: 1,
      max: 1,
      afterCreate: (conn: Database, done: (err: Error | null, conn: Database) => void) => {
        try {
          applyPragmas(conn);
          done(null, conn);
        } catch (err) {
          done(err instanceof Error ? err : new Error(String(err)), conn);
        }
      },
    },
  });
}
