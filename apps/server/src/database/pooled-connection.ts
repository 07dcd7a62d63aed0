import type { EntityManager } from '@mikro-orm/knex';

/** The parts of knex's client used here (typed loosely by knex). */
interface PoolClient<C> {
  acquireConnection(): Promise<C>;
  releaseConnection(connection: C): Promise<void>;
}

/**
 * Runs `work` on a connection of MikroORM's own pool, released afterwards whatever happens: the
 * plain-SQL paths (Action Post's intake, inbound routing's lookup) share the ORM's connections,
 * so on SQLite no other unit of work's statements can interleave with theirs. `C` is the driver's
 * connection (a better-sqlite3 Database, a pg client).
 */
export async function withPooledConnection<C, T>(em: EntityManager, work: (connection: C) => Promise<T> | T): Promise<T> {
  const client = em.getConnection().getKnex().client as unknown as PoolClient<C>;
  const connection = await client.acquireConnection();
  try {
    return await work(connection);
  } finally {
    await client.releaseConnection(connection);
  }
}
