// Used only by `npx mikro-orm migration:create` while developing, to diff entities against the
// schema the migrations build. Not loaded at run time.
import { Migrator } from '@mikro-orm/migrations';
import { BetterSqliteDriver, defineConfig } from '@mikro-orm/better-sqlite';
import { ENTITIES } from './entities';

export default defineConfig({
  driver: BetterSqliteDriver,
  dbName: process.env.MIGRATION_DB ?? '.tmp/migrations.db',
  entities: ENTITIES,
  extensions: [Migrator],
  migrations: { path: 'apps/server/src/database/migrations', pathTs: 'apps/server/src/database/migrations', emit: 'ts', snapshot: false },
});
