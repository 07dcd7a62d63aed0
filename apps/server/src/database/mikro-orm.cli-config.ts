// Used only by `npx mikro-orm migration:create` (scripts/new-migration.sh) while developing, to diff
// entities against the schema the migrations build. Not loaded at run time. It diffs on SQLite and
// writes SQLite SQL: rewrite that as a portable migration before committing (docs/database.md).
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
