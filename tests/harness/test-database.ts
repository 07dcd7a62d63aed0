// The database a test server runs on. SQLite: the file in its data dir (the server's default).
// PostgreSQL (LEADLINE_TEST_DB=postgres): a database of its own on the run's PostgreSQL, named
// after the data dir, so a server restarted on the same data dir finds its data again, as it
// would with SQLite.
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { IT_DATABASE, IT_PG_DIR } from './it-env';
import { postgresIn } from './postgres';

/** DATABASE_URL for a server on `dataDir` ({} on SQLite). */
export async function databaseEnvFor(dataDir: string): Promise<Record<string, string>> {
  if (IT_DATABASE === 'sqlite') return {};
  const name = `it_${createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 20)}`;
  return { DATABASE_URL: await postgresIn(IT_PG_DIR).createDatabase(name) };
}
