import type { EntityManager } from '@mikro-orm/knex';
import { GroupCommit, Settled } from './group-commit';
import { PreparedSql, preparedSql, PreparedStatements } from './prepared-sql';

/** One plain SQL statement (`key` names its prepared statement). */
type SqlWrite = { key: string; sql: string; params: unknown[] };
/** A write through MikroORM, or one plain SQL statement. */
type Write = { orm: (em: EntityManager) => Promise<unknown> } | SqlWrite;
const isPlain = (w: Write): w is SqlWrite => !('orm' in w);

/**
 * Small writes that share one commit on SQLite (a GroupCommit whose batch is one transaction):
 * those asked for in the same turn of the event loop, or while the previous group commits, run in
 * one transaction, each in a savepoint of its own. A write that fails is undone alone and its
 * caller gets the error; the others commit. Each caller's promise settles once that commit is
 * done, so "written" still means durable. A commit is an fsync of the WAL on the event loop
 * (better-sqlite3 is synchronous): the legs of rounds ringing together, answered or ended close
 * together, share one.
 *
 * A group of plain statements only (`sqlStatement`: the legs' patches, the agents' marks) runs as
 * prepared statements in a transaction of its own, without MikroORM's and knex's transaction
 * machinery; a group with any write through MikroORM runs in MikroORM's transaction, its plain
 * statements too. Writes apply in the order they were asked for, whatever their kind.
 *
 * On PostgreSQL each write keeps its own transaction (a `statement` or a `sqlStatement`, none: it
 * commits alone): a shared one would hold the row locks of unrelated writes together, and could
 * deadlock with other transactions that take the same rows in another order.
 */
export class GroupedWrites {
  private readonly group?: GroupCommit<Write, unknown>;

  constructor(
    private readonly em: EntityManager,
    private readonly sql: PreparedSql = preparedSql(em, 'grouped_writes'),
  ) {
    if (sql.dialect === 'sqlite') this.group = new GroupCommit((writes) => this.commit(writes));
  }

  /** Runs `work` in a transaction it may share with other writes asked for now. */
  run<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.group ? (this.group.submit({ orm: work }) as Promise<T>) : this.em.fork().transactional(work);
  }

  /**
   * Runs one statement: in a transaction it may share with other writes asked for now on SQLite,
   * on its own (no transaction of its own to begin and commit) on PostgreSQL.
   */
  statement<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.group ? (this.group.submit({ orm: work }) as Promise<T>) : work(this.em.fork());
  }

  /** One plain SQL write (placeholders of this database), grouped like `statement`: the rows it changed. */
  sqlStatement(key: string, sql: string, params: unknown[]): Promise<number> {
    return this.group ? (this.group.submit({ key, sql, params }) as Promise<number>) : this.sql.run(key, sql, params);
  }

  private commit(writes: Write[]): Promise<Settled<unknown>[]> {
    const plain = writes.filter(isPlain);
    if (plain.length === writes.length) return this.sql.transaction((tx) => inSavepoints(plain, tx));
    return this.em.fork().transactional(async (em) => {
      const apply = (w: Write, inner: EntityManager) => (isPlain(w) ? inner.execute<{ affectedRows: number }>(w.sql, w.params, 'run').then((r) => r.affectedRows) : w.orm(inner));
      // One write alone needs no savepoint: its failure rolls the transaction back.
      if (writes.length === 1) return [{ ok: true, value: await apply(writes[0], em) }];
      const done: Settled<unknown>[] = [];
      for (const w of writes) {
        try {
          done.push({ ok: true, value: await em.transactional((inner) => apply(w, inner)) });
        } catch (error) {
          done.push({ ok: false, error });
        }
      }
      return done;
    });
  }
}

/** Plain statements of one transaction, each in a savepoint of its own when there are several. */
async function inSavepoints(writes: SqlWrite[], tx: PreparedStatements): Promise<Settled<unknown>[]> {
  const apply = (w: SqlWrite) => tx.run(w.key, w.sql, w.params);
  if (writes.length === 1) return [{ ok: true, value: await apply(writes[0]) }];
  const done: Settled<unknown>[] = [];
  for (const w of writes) {
    await tx.run('$savepoint', 'savepoint grouped_write', []);
    try {
      done.push({ ok: true, value: await apply(w) });
      await tx.run('$release', 'release grouped_write', []);
    } catch (error) {
      await tx.run('$rollback_to', 'rollback to grouped_write', []);
      await tx.run('$release', 'release grouped_write', []);
      done.push({ ok: false, error });
    }
  }
  return done;
}
