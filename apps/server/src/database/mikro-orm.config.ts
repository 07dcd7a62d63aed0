import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, SqliteDriver } from '@mikro-orm/sqlite';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migration-list';

interface SqliteConnection {
  run(sql: string, cb: (err: Error | null) => void): void;
}

/** MikroORM options for a SQLite file: WAL, foreign keys, a busy timeout, migrations only. */
export function mikroOrmOptions(databasePath: string, debug = false) {
  return defineConfig({
    driver: SqliteDriver,
    dbName: databasePath,
    entities: ENTITIES,
    extensions: [Migrator],
    migrations: { migrationsList: MIGRATIONS, transactional: true, allOrNothing: true, snapshot: false, silent: true },
    // Never auto-sync the schema: migrations are the only way the schema changes.
    ensureDatabase: false,
    allowGlobalContext: false,
    debug,
    forceUtcTimezone: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate: (conn: SqliteConnection, done: (err: Error | null, conn: SqliteConnection) => void) => {
        conn.run('PRAGMA journal_mode = WAL', (walErr) => {
          if (walErr) return done(walErr, conn);
          conn.run('PRAGMA foreign_keys = ON', (fkErr) => {
            if (fkErr) return done(fkErr, conn);
            conn.run('PRAGMA busy_timeout = 5000', (btErr) => done(btErr, conn));
          });
        });
      },
    },
  });
}
