import type { EntityManager, Knex } from '@mikro-orm/knex';
import type { Database, Statement } from 'better-sqlite3';
import { withPooledConnection } from './pooled-connection';
import { SqlDialect, sqlDialectOf } from './portable-schema';

/** Placeholder number `n` (1-based): `?` on SQLite, `$n` on PostgreSQL. */
export const placeholder = (dialect: SqlDialect, n: number): string => (dialect === 'sqlite' ? '?' : `$${n}`);

/** Statements on one connection (PreparedSql itself, or inside one of its transactions). */
export interface PreparedStatements {
  /** Every row of the statement (a SELECT, or a write with RETURNING). */
  all<R>(key: string, sql: string, params: unknown[]): Promise<R[]>;
  /** A write without RETURNING: how many rows it changed. */
  run(key: string, sql: string, params: unknown[]): Promise<number>;
}

/**
 * Plain SQL on a hot path, on MikroORM's own connection pool: each statement is prepared once per
 * connection (better-sqlite3 statements on SQLite, named prepared statements on PostgreSQL) and
 * nothing is hydrated. The SQL text is the caller's, one per dialect; `key` names the statement.
 * Each statement is announced as knex's `query` event, like the ORM's own, so whoever counts or
 * logs the queries (tests/harness/query-counter.ts) sees these too.
 */
export interface PreparedSql extends PreparedStatements {
  readonly dialect: SqlDialect;
  /** A date as this database's driver stores MikroORM's `datetime` (epoch milliseconds on SQLite). */
  date(d: Date): unknown;
  /**
   * `work` in one write transaction on one pooled connection: committed when it returns (durable:
   * WAL fsynced / synchronous_commit), rolled back when it throws. On SQLite the write lock is taken
   * at BEGIN and the pool's one connection is held throughout, so `work` must not wait on anything
   * else that needs the database.
   */
  transaction<T>(work: (tx: PreparedStatements) => Promise<T>): Promise<T>;
  /**
   * `work`'s statements on one pooled connection, without a transaction: reads that run together
   * (inbound routing's lookup) take the connection from the pool once, and on SQLite no other unit
   * of work's statements run between them. Like transaction(), `work` must not wait on anything
   * else that needs the database (SQLite's pool has one connection).
   */
  session<T>(work: (db: PreparedStatements) => Promise<T>): Promise<T>;
}

/** `prefix` keeps the statement names of different users apart on PostgreSQL's connections. */
export function preparedSql(em: EntityManager, prefix: string): PreparedSql {
  const knex = em.getConnection().getKnex();
  return sqlDialectOf(knex) === 'sqlite' ? new SqlitePrepared(em, knex) : new PostgresPrepared(em, knex, prefix);
}

/** A JSON column's value: text on SQLite, already parsed on PostgreSQL (jsonb). */
export const jsonColumn = <T>(v: string | T): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

/** A datetime column's value: epoch milliseconds on SQLite, a Date on PostgreSQL. */
export const dateColumn = (v: number | string | Date | null): Date | null => (v === null ? null : v instanceof Date ? v : new Date(v));

/**
 * What both databases' statements share: each runs on a connection of MikroORM's pool, taken for
 * it alone (all, run) or for a whole session; `on` runs statements on a connection (`C`: a
 * better-sqlite3 Database, a pg client).
 */
abstract class PooledPrepared<C> {
  constructor(
    protected readonly em: EntityManager,
    protected readonly knex: Knex,
  ) {}

  protected abstract on(connection: C): PreparedStatements;

  all<R>(key: string, sql: string, params: unknown[]): Promise<R[]> {
    return this.session((db) => db.all<R>(key, sql, params));
  }

  run(key: string, sql: string, params: unknown[]): Promise<number> {
    return this.session((db) => db.run(key, sql, params));
  }

  session<T>(work: (db: PreparedStatements) => Promise<T>): Promise<T> {
    return withPooledConnection(this.em, (connection: C) => work(this.on(connection)));
  }
}

class SqlitePrepared extends PooledPrepared<Database> implements PreparedSql {
  readonly dialect = 'sqlite';
  private readonly statements = new WeakMap<Database, Map<string, Statement>>();

  date(d: Date): unknown {
    return d.getTime();
  }

  transaction<T>(work: (tx: PreparedStatements) => Promise<T>): Promise<T> {
    return withPooledConnection(this.em, async (db: Database) => {
      const tx = this.on(db);
      await tx.run('$begin', 'begin immediate', []);
      try {
        const result = await work(tx);
        await tx.run('$commit', 'commit', []);
        return result;
      } catch (err) {
        if (db.inTransaction) await tx.run('$rollback', 'rollback', []);
        throw err;
      }
    });
  }

  protected on(db: Database): PreparedStatements {
    return {
      all: <R>(key: string, sql: string, params: unknown[]) => {
        this.knex.emit('query', { sql, bindings: params });
        return Promise.resolve(this.statement(db, key, sql).all(...params) as R[]);
      },
      run: (key, sql, params) => {
        this.knex.emit('query', { sql, bindings: params });
        return Promise.resolve(this.statement(db, key, sql).run(...params).changes);
      },
    };
  }

  private statement(db: Database, key: string, sql: string): Statement {
    let byKey = this.statements.get(db);
    if (!byKey) this.statements.set(db, (byKey = new Map()));
    let st = byKey.get(key);
    if (!st) byKey.set(key, (st = db.prepare(sql)));
    return st;
  }
}

interface PgClient {
  query<R>(query: { name?: string; text: string; values?: unknown[] }): Promise<{ rows: R[]; rowCount: number | null }>;
}

class PostgresPrepared extends PooledPrepared<PgClient> implements PreparedSql {
  readonly dialect = 'postgresql';
  constructor(
    em: EntityManager,
    knex: Knex,
    private readonly prefix: string,
  ) {
    super(em, knex);
  }

  date(d: Date): unknown {
    return d;
  }

  transaction<T>(work: (tx: PreparedStatements) => Promise<T>): Promise<T> {
    return withPooledConnection(this.em, async (conn: PgClient) => {
      const control = (text: string) => (this.knex.emit('query', { sql: text, bindings: [] }), conn.query({ text }));
      await control('begin');
      try {
        const result = await work(this.on(conn));
        await control('commit');
        return result;
      } catch (err) {
        await control('rollback').catch(() => undefined);
        throw err;
      }
    });
  }

  protected on(conn: PgClient): PreparedStatements {
    const query = <R>(key: string, sql: string, params: unknown[]) => {
      const name = `${this.prefix}_${key}`;
      // PostgreSQL cuts longer names to 63 bytes: two statements could then share one name.
      if (Buffer.byteLength(name) > 63) throw new Error(`prepared statement name ${name} is longer than PostgreSQL's 63 bytes`);
      this.knex.emit('query', { sql, bindings: params });
      return conn.query<R>({ name, text: sql, values: params });
    };
    return {
      all: async <R>(key: string, sql: string, params: unknown[]) => (await query<R>(key, sql, params)).rows,
      run: async (key, sql, params) => (await query(key, sql, params)).rowCount ?? 0,
    };
  }
}
