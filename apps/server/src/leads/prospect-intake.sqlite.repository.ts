import type { EntityManager } from '@mikro-orm/knex';
import type { Database, Statement } from 'better-sqlite3';
import { newId } from '../database/entities/base';
import { withPooledConnection } from '../database/pooled-connection';
import { insertOutboxSql } from '../webhooks/webhook-outbox.repository';
import { wantsEventSql } from '../webhooks/webhook-subscription.repository';
import { initialStatusSql, IntakeTx, IntakeWriter, MatchRow, matchFromRow, matchSql, MAX_PHONES, NEW_PROSPECT_COLUMNS, newProspectValues, outboxValues, updateAssignments } from './prospect-intake.sql';

// SQLite's intake: synchronous better-sqlite3 statements, prepared once per connection. Dates as
// MikroORM's SQLite platform stores them (epoch milliseconds), `extra` as JSON text, booleans 0/1.

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
  readonly insertEvent: Statement;
  readonly phonesOf: Statement<[string], string>;
  readonly initialStatus: Statement<[string], string>;
  readonly wantsLeadAccepted: Statement<[string], number>;
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
      `insert into prospect (${NEW_PROSPECT_COLUMNS})
       values (${Array(21).fill('?').join(', ')}, 'new', 0, ?, ?)`,
    );
    this.insertPhone = db.prepare('insert into prospect_phone (id, campaign_id, phone, prospect_id) values (?, ?, ?, ?)');
    this.insertEvent = db.prepare(insertOutboxSql('sqlite'));
    this.phonesOf = db.prepare<[string], string>('select phone from prospect_phone where prospect_id = ?').pluck();
    this.initialStatus = db.prepare<[string], string>(initialStatusSql('?')).pluck();
    this.wantsLeadAccepted = db.prepare<[string], number>(wantsEventSql('?', 'sqlite', 'lead.accepted')).pluck();
    for (let n = 1; n <= MAX_PHONES; n++) this.matchStatement(n);
  }

  matchStatement(phoneCount: number): Statement<string[], MatchRow> {
    let st = this.matchBy[phoneCount];
    if (!st) {
      st = this.db.prepare<string[], MatchRow>(matchSql(phoneCount, () => '?'));
      this.matchBy[phoneCount] = st;
    }
    return st;
  }
}

export class SqliteIntakeWriter implements IntakeWriter {
  readonly concurrentBatches = 1;
  private readonly statements = new WeakMap<Database, Statements>();

  constructor(private readonly em: EntityManager) {}

  async prepare(): Promise<void> {
    await withPooledConnection(this.em, (db: Database) => void this.statementsOf(db));
  }

  /**
   * One write transaction on MikroORM's connection, taken from its pool (so no other unit of work's
   * statements can interleave). The batch runs without waiting on I/O (each operation is
   * synchronous), then the commit makes it durable (WAL, synchronous=FULL: fsynced).
   */
  writeBatch<T>(work: (tx: IntakeTx) => Promise<T>): Promise<T> {
    return withPooledConnection(this.em, async (db: Database) => {
      const st = this.statementsOf(db);
      st.begin.run();
      try {
        const result = await work(this.tx(st));
        st.commit.run();
        return result;
      } catch (err) {
        if (db.inTransaction) st.rollback.run();
        throw err;
      }
    });
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
    const initial = new Map<string, string | null>();
    return {
      async initialStatus(campaignId) {
        let id = initial.get(campaignId);
        if (id === undefined) initial.set(campaignId, (id = st.initialStatus.get(campaignId) ?? null));
        return id;
      },

      // The batch holds SQLite's write lock (BEGIN IMMEDIATE): no subscription changes until it commits.
      async wantsLeadAccepted(orgId) {
        return st.wantsLeadAccepted.get(orgId) === 1;
      },

      async match(campaignId, phones) {
        if (!phones.length) return null;
        const row = st.matchStatement(phones.length).get(campaignId, ...phones);
        return row ? matchFromRow(row) : null;
      },

      async createProspect(p, accepted) {
        const at = dbDate(p.createdAt);
        st.insertProspect.run(...newProspectValues(p, dbDate), at, at);
        for (const phone of p.phones) st.insertPhone.run(newId(), p.campaignId, phone, p.id);
        if (accepted) st.insertEvent.run(...outboxValues(accepted), dbDate(accepted.createdAt));
      },

      async addPhones(campaignId, prospectId, phones) {
        const known = new Set(st.phonesOf.all(prospectId));
        for (const phone of phones) if (!known.has(phone)) st.insertPhone.run(newId(), campaignId, phone, prospectId);
      },

      async updateProspect(id, changes) {
        const assignments = updateAssignments(changes, new Date(), dbDate);
        // Rare (a post updating an assigned lead): prepared on the spot.
        st.db.prepare(`update prospect set ${assignments.map(([column]) => `${column} = ?`).join(', ')} where id = ?`).run(...assignments.map(([, value]) => value), id);
      },

      async isolated(work) {
        st.savepoint.run();
        try {
          const value = await work();
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
