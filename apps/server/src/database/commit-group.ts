import type { EntityManager } from '@mikro-orm/knex';
import { sqlDialectOf } from './portable-schema';

interface Waiting {
  work: (em: EntityManager) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; err: unknown };

/**
 * Small writes that share one commit on SQLite. Those asked for in the same turn of the event loop
 * run in one transaction, each in a savepoint of its own: a write that fails is undone alone and
 * its caller gets the error, the others commit. Each caller's promise settles once that commit is
 * done, so "written" still means durable. A commit is an fsync of the WAL, on the event loop
 * (better-sqlite3 is synchronous): twenty rounds' legs ending together then cost one, not twenty.
 * Groups run one after another (SQLite has one connection anyway).
 *
 * On PostgreSQL each write keeps its own transaction: a shared one would hold the row locks of
 * unrelated writes together, and could deadlock with other transactions that take the same rows
 * in another order.
 */
export class CommitGroup {
  private waiting: Waiting[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private readonly grouped: boolean;

  constructor(private readonly em: EntityManager) {
    this.grouped = sqlDialectOf(em.getConnection().getKnex()) === 'sqlite';
  }

  /** Runs `work` in a transaction it may share with other writes asked for now. */
  run<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    if (!this.grouped) return this.em.fork().transactional(work);
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.waiting.length === 1) setImmediate(() => (this.flushing = this.flushing.then(() => this.flush())));
    });
  }

  private async flush(): Promise<void> {
    const group = this.waiting;
    this.waiting = [];
    let outcomes: Outcome[];
    try {
      outcomes = await this.em.fork().transactional(async (em) => {
        // One write alone needs no savepoint: its failure rolls the transaction back.
        if (group.length === 1) return [{ ok: true, value: await group[0].work(em) }];
        const done: Outcome[] = [];
        for (const { work } of group) {
          try {
            done.push({ ok: true, value: await em.transactional((inner) => work(inner)) });
          } catch (err) {
            done.push({ ok: false, err });
          }
        }
        return done;
      });
    } catch (err) {
      for (const { reject } of group) reject(err);
      return;
    }
    group.forEach(({ resolve, reject }, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) resolve(outcome.value);
      else reject(outcome.err);
    });
  }
}
