import { EntityManager } from '@mikro-orm/knex';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { LeadField, LeadInput } from '@leadline/domain';
import type { Database, Statement } from 'better-sqlite3';
import { newId } from '../database/entities/base';
import type { Settled } from './action-post/group-commit';

export { ForeignKeyConstraintViolationException, UniqueConstraintViolationException } from '@mikro-orm/core';

/**
 * Action Post's write path: plain SQL on MikroORM's own connection, a whole batch of posts in one
 * transaction (see ActionPostService's group commit). This is the one hot path that skips the
 * unit of work: it runs ~10 prepared statements' worth of work per post synchronously instead of
 * ~6 ms of unit-of-work and query building. Everything else goes through MikroORM.
 *
 * It must write rows exactly as MikroORM would read them back: dates as the platform stores them
 * (epoch milliseconds on SQLite), `extra` as JSON text, booleans as 0/1. A new NOT NULL column
 * without a default on `prospect` or `prospect_phone` needs a value here too; the statements are
 * prepared at start-up, so a renamed or missing column stops the server at once instead of failing
 * posts.
 */

/** A prospect of the campaign that owns one of the posted phones. */
export interface IntakeMatch {
  id: string;
  applicationId: string | null;
  /** Its current lead fields, as leadChanges compares them. */
  current: Partial<Record<LeadField, string | number | null>> & { extra: Record<string, string> };
}

export interface NewProspect {
  orgId: string;
  campaignId: string;
  lead: LeadInput;
  leadProvider: string | null;
  /** Distinct normalised phones, each indexed for matching. */
  phones: string[];
}

/** The synchronous operations available inside one intake transaction. */
export interface IntakeTx {
  /** The campaign's prospect owning any of these phones: one with an application first, then the newest. */
  match(campaignId: string, phones: string[]): IntakeMatch | null;
  createProspect(p: NewProspect): { id: string; createdAt: Date };
  /** Indexes the phones this prospect is not indexed under yet (the index keeps every phone it ever had). */
  addPhones(campaignId: string, prospectId: string, phones: string[]): void;
  /** Writes the given lead fields (undefined ones are left alone) and the update time. */
  updateProspect(id: string, changes: Partial<LeadInput>): void;
  /**
   * Runs `work` in a savepoint: when it throws, its writes are undone and its error returned,
   * while the rest of the batch goes on. Driver errors come back as MikroORM exceptions
   * (UniqueConstraintViolationException, ForeignKeyConstraintViolationException …).
   */
  isolated<T>(work: () => T): Settled<T>;
}

/** Lead fields and their prospect columns (what an update may write). */
const LEAD_COLUMNS = {
  firstName: 'first_name',
  lastName: 'last_name',
  mobilePhone: 'mobile_phone',
  homePhone: 'home_phone',
  workPhone: 'work_phone',
  email: 'email',
  propertyState: 'property_state',
  loanPurpose: 'loan_purpose',
  loanAmount: 'loan_amount',
  leadProvider: 'lead_provider',
} as const satisfies Record<LeadField, string>;

interface MatchRow {
  id: string;
  application_id: string | null;
  first_name: string | null;
  last_name: string | null;
  mobile_phone: string | null;
  home_phone: string | null;
  work_phone: string | null;
  email: string | null;
  property_state: string | null;
  loan_purpose: string | null;
  loan_amount: number | null;
  lead_provider: string | null;
  extra: string | null;
}

const MAX_PHONES = 3;

/** Prepared statements of one connection. */
class Statements {
  readonly begin: Statement;
  readonly commit: Statement;
  readonly rollback: Statement;
  readonly savepoint: Statement;
  readonly release: Statement;
  readonly rollbackTo: Statement;
  readonly insertProspect: Statement;
  readonly insertPhone: Statement;
  readonly phonesOf: Statement<[string], string>;
  private readonly matchBy: Statement<string[], MatchRow>[] = [];

  constructor(readonly db: Database) {
    // IMMEDIATE: take the write lock at BEGIN, so a batch never fails half-way for want of it.
    this.begin = db.prepare('begin immediate');
    this.commit = db.prepare('commit');
    this.rollback = db.prepare('rollback');
    this.savepoint = db.prepare('savepoint intake_post');
    this.release = db.prepare('release intake_post');
    this.rollbackTo = db.prepare('rollback to intake_post');
    this.insertProspect = db.prepare(
      `insert into prospect (id, org_id, campaign_id, first_name, last_name, mobile_phone, home_phone, work_phone, email, property_state, loan_purpose, loan_amount, lead_provider, extra, status, ignored, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'new', 0, ?, ?)`,
    );
    this.insertPhone = db.prepare('insert into prospect_phone (id, campaign_id, phone, prospect_id) values (?, ?, ?, ?)');
    this.phonesOf = db.prepare<[string], string>('select phone from prospect_phone where prospect_id = ?').pluck();
    for (let n = 1; n <= MAX_PHONES; n++) this.matchStatement(n);
  }

  matchStatement(phoneCount: number): Statement<string[], MatchRow> {
    let st = this.matchBy[phoneCount];
    if (!st) {
      // Uses the unique (campaign_id, phone) index; ties on created_at go to the larger id, so the
      // choice does not depend on the query plan.
      st = this.db.prepare<string[], MatchRow>(
        `select p.id, a.id as application_id, p.first_name, p.last_name, p.mobile_phone, p.home_phone, p.work_phone, p.email,
                p.property_state, p.loan_purpose, p.loan_amount, p.lead_provider, p.extra
           from prospect_phone pp
           join prospect p on p.id = pp.prospect_id
           left join application a on a.prospect_id = p.id
          where pp.campaign_id = ? and pp.phone in (${Array(phoneCount).fill('?').join(', ')})
          order by (a.id is not null) desc, p.created_at desc, p.id desc
          limit 1`,
      );
      this.matchBy[phoneCount] = st;
    }
    return st;
  }
}

/** The parts of knex's client used here (typed loosely by knex). */
interface PoolClient {
  acquireConnection(): Promise<Database>;
  releaseConnection(connection: Database): Promise<void>;
}

@Injectable()
export class ProspectIntakeRepository implements OnApplicationBootstrap {
  private readonly statements = new WeakMap<Database, Statements>();

  constructor(private readonly em: EntityManager) {}

  /** Prepares the statements once at start-up (after the migrations): a schema mismatch fails here. */
  async onApplicationBootstrap(): Promise<void> {
    const client = this.client();
    const db = await client.acquireConnection();
    try {
      this.statementsOf(db);
    } catch (err) {
      throw new Error(`Action Post's SQL does not fit the database schema (apps/server/src/leads/prospect-intake.repository.ts): ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      await client.releaseConnection(db);
    }
  }

  /**
   * Runs `work` in one write transaction on MikroORM's connection, taken from its pool (so no other
   * unit of work's statements can interleave), and commits. `work` is synchronous: the whole batch
   * runs without yielding, then the commit makes it durable (WAL, synchronous=FULL: fsynced).
   * When the commit fails, nothing of the batch is stored and the error is thrown.
   */
  async writeBatch<T>(work: (tx: IntakeTx) => T): Promise<T> {
    const client = this.client();
    const db = await client.acquireConnection();
    try {
      const st = this.statementsOf(db);
      st.begin.run();
      try {
        const result = work(this.tx(st));
        st.commit.run();
        return result;
      } catch (err) {
        if (db.inTransaction) st.rollback.run();
        throw err;
      }
    } finally {
      await client.releaseConnection(db);
    }
  }

  private client(): PoolClient {
    return this.em.getConnection().getKnex().client as unknown as PoolClient;
  }

  private statementsOf(db: Database): Statements {
    let st = this.statements.get(db);
    if (!st) {
      st = new Statements(db);
      this.statements.set(db, st);
    }
    return st;
  }

  private tx(st: Statements): IntakeTx {
    const platform = this.em.getPlatform();
    const driver = this.em.getDriver();
    const dbDate = (d: Date): unknown => platform.processDateProperty(d);
    return {
      match(campaignId, phones) {
        if (!phones.length) return null;
        const row = st.matchStatement(phones.length).get(campaignId, ...phones);
        if (!row) return null;
        return {
          id: row.id,
          applicationId: row.application_id,
          current: {
            firstName: row.first_name,
            lastName: row.last_name,
            mobilePhone: row.mobile_phone,
            homePhone: row.home_phone,
            workPhone: row.work_phone,
            email: row.email,
            propertyState: row.property_state,
            loanPurpose: row.loan_purpose,
            loanAmount: row.loan_amount,
            leadProvider: row.lead_provider,
            extra: row.extra ? (JSON.parse(row.extra) as Record<string, string>) : {},
          },
        };
      },

      createProspect({ orgId, campaignId, lead, leadProvider, phones }) {
        const id = newId();
        const now = new Date();
        const at = dbDate(now);
        st.insertProspect.run(
          id,
          orgId,
          campaignId,
          lead.firstName ?? null,
          lead.lastName ?? null,
          lead.mobilePhone ?? null,
          lead.homePhone ?? null,
          lead.workPhone ?? null,
          lead.email ?? null,
          lead.propertyState ?? null,
          lead.loanPurpose ?? null,
          lead.loanAmount ?? null,
          leadProvider,
          JSON.stringify(lead.extra ?? {}),
          at,
          at,
        );
        for (const phone of phones) st.insertPhone.run(newId(), campaignId, phone, id);
        return { id, createdAt: now };
      },

      addPhones(campaignId, prospectId, phones) {
        const known = new Set(st.phonesOf.all(prospectId));
        for (const phone of phones) if (!known.has(phone)) st.insertPhone.run(newId(), campaignId, phone, prospectId);
      },

      updateProspect(id, changes) {
        const sets: string[] = [];
        const values: unknown[] = [];
        for (const [field, column] of Object.entries(LEAD_COLUMNS) as [LeadField, string][]) {
          const value = changes[field];
          if (value === undefined) continue;
          sets.push(`${column} = ?`);
          values.push(value);
        }
        if (changes.extra !== undefined) {
          sets.push('extra = ?');
          values.push(JSON.stringify(changes.extra));
        }
        sets.push('updated_at = ?');
        values.push(dbDate(new Date()));
        // Rare (a post updating an assigned lead): prepared on the spot.
        st.db.prepare(`update prospect set ${sets.join(', ')} where id = ?`).run(...values, id);
      },

      isolated(work) {
        st.savepoint.run();
        try {
          const value = work();
          st.release.run();
          return { ok: true, value };
        } catch (err) {
          st.rollbackTo.run();
          st.release.run();
          return { ok: false, error: isSqliteError(err) ? driver.convertException(err) : err };
        }
      },
    };
  }
}

function isSqliteError(err: unknown): err is Error & { code: string } {
  return err instanceof Error && err.name === 'SqliteError';
}
