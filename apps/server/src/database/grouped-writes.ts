import type { EntityManager } from '@mikro-orm/knex';
import { GroupCommit, Settled } from './group-commit';
import { sqlDialectOf } from './portable-schema';

type Write = (em: EntityManager) => Promise<unknown>;

/**
 * Small writes that share one commit on SQLite (a GroupCommit whose batch is one transaction):
 * those asked for in the same turn of the event loop, or while the previous group commits, run in
 * one transaction, each in a savepoint of its own. A write that fails is undone alone and its
 * caller gets the error; the others commit. Each caller's promise settles once that commit is
 * done, so "written" still means durable. A commit is an fsync of the WAL on the event loop
 * (better-sqlite3 is synchronous): the legs of rounds ringing together, answered or ended close
 * together, share one.
 *
 * On PostgreSQL each write keeps its own transaction (a `statement`, none: it commits alone): a
 * shared one would hold the row locks of unrelated writes together, and could deadlock with other
 * transactions that take the same rows in another order.
 */
export class GroupedWrites {
  private readonly group?: GroupCommit<Write, unknown>;

  constructor(private readonly em: EntityManager) {
    if (sqlDialectOf(em.getConnection().getKnex()) === 'sqlite') this.group = new GroupCommit((writes) => this.commit(writes));
  }

  /** Runs `work` in a transaction it may share with other writes asked for now. */
  run<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.group ? (this.group.submit(work) as Promise<T>) : this.em.fork().transactional(work);
  }

  /**
   * Runs one statement: in a transaction it may share with other writes asked for now on SQLite,
   * on its own (no transaction of its own to begin and commit) on PostgreSQL.
   */
  statement<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.group ? (this.group.submit(work) as Promise<T>) : work(this.em.fork());
  }

  private commit(writes: Write[]): Promise<Settled<unknown>[]> {
    return this.em.fork().transactional(async (em) => {
      // One write alone needs no savepoint: its failure rolls the transaction back.
      if (writes.length === 1) return [{ ok: true, value: await writes[0](em) }];
      const done: Settled<unknown>[] = [];
      for (const work of writes) {
        try {
          done.push({ ok: true, value: await em.transactional((inner) => work(inner)) });
        } catch (error) {
          done.push({ ok: false, error });
        }
      }
      return done;
    });
  }
}
