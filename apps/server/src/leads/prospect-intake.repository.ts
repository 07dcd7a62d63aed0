import { EntityManager } from '@mikro-orm/knex';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { sqlDialectOf } from '../database/portable-schema';
import type { IntakeTx, IntakeWriter } from './prospect-intake.sql';
import { PostgresIntakeWriter } from './prospect-intake.postgres.repository';
import { SqliteIntakeWriter } from './prospect-intake.sqlite.repository';

export type { IntakeMatch, IntakeTx, NewProspect } from './prospect-intake.sql';
export { DeadlockException, ForeignKeyConstraintViolationException, UniqueConstraintViolationException } from '@mikro-orm/core';

/**
 * Action Post's write path: plain SQL on MikroORM's own connection pool, a whole batch of posts in
 * one transaction (see ActionPostService's group commit). This is the one hot path that skips the
 * unit of work. Each database has its own writer behind the same interface: SQLite runs the batch
 * synchronously with prepared better-sqlite3 statements (every promise below is already settled
 * when it is returned, so a batch never yields to I/O), PostgreSQL with named prepared statements
 * on one pooled connection.
 *
 * Both must write rows exactly as MikroORM would read them back (dates, JSON, booleans as each
 * platform stores them). A new NOT NULL column without a default on `prospect` or `prospect_phone`
 * needs a value in both writers; the statements are prepared at start-up, so a renamed or missing
 * column stops the server at once instead of failing posts.
 */

/** The intake writer of the configured database (the DI token the service uses). */
@Injectable()
export class ProspectIntakeRepository implements OnApplicationBootstrap {
  private readonly writer: IntakeWriter;

  constructor(em: EntityManager) {
    this.writer = sqlDialectOf(em.getConnection().getKnex()) === 'sqlite' ? new SqliteIntakeWriter(em) : new PostgresIntakeWriter(em);
  }

  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.writer.prepare();
    } catch (err) {
      throw new Error(`Action Post's SQL does not fit the database schema (apps/server/src/leads/prospect-intake.*.repository.ts): ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** How many batches may be written at once. */
  get concurrentBatches(): number {
    return this.writer.concurrentBatches;
  }

  writeBatch<T>(work: (tx: IntakeTx) => Promise<T>): Promise<T> {
    return this.writer.writeBatch(work);
  }
}
