import { EntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import { INBOUND_MISSED_RESULTS } from '@leadline/domain';
import { CallActivity } from '../database/entities';
import { PreparedSql, preparedSql, PreparedStatements } from '../database/prepared-sql';
import type { SqlDialect } from '../database/portable-schema';
import { AgentRow, agentFromRow, InboundAgent, inboundSql, InboundSql, leadFromRow, licenceParams, MatchedLead, MatchRow, ORG_SQL } from './inbound-lookup.sql';

export type { InboundAgent, MatchedLead } from './inbound-lookup.sql';

/** What inbound routing reads on every call, plain SQL on one set of prepared statements. */
export class InboundReads {
  constructor(
    private readonly db: PreparedStatements,
    protected readonly dialect: SqlDialect,
    protected readonly sql: InboundSql,
  ) {}

  /** Leadline serves one org per installation. */
  async orgId(): Promise<string | null> {
    const [org] = await this.db.all<{ id: string }>('org', ORG_SQL, []);
    return org?.id ?? null;
  }

  /** The caller's most recent application, else most recent prospect, by normalised phone. */
  async matchLead(orgId: string, phone: string): Promise<MatchedLead | null> {
    const [row] = await this.db.all<MatchRow>('match_lead', this.sql.matchLead, [phone, orgId]);
    return row ? leadFromRow(row) : null;
  }

  /**
   * The agents an inbound call may ring: available (logged in, calls on, not on a call), with a
   * work phone, licensed for `state` when given; longest idle first, at most `limit`. Filtering
   * and ordering happen in SQL: with thousands of agents logged in, loading them all costs tens
   * of milliseconds per call.
   */
  async available(orgId: string, state: string | null, limit: number): Promise<InboundAgent[]> {
    const rows = state
      ? await this.db.all<AgentRow>('available_licensed', this.sql.availableLicensed, [orgId, ...licenceParams(this.dialect, state), limit])
      : await this.db.all<AgentRow>('available', this.sql.available, [orgId, limit]);
    return rows.map(agentFromRow);
  }

  /** Whether the DID is one of the org's local presence numbers (callbacks ring the borrower's last caller). */
  async isLocalPresenceNumber(orgId: string, e164: string): Promise<boolean> {
    return (await this.db.all('local_presence', this.sql.localPresence, [orgId, e164])).length > 0;
  }
}

/**
 * What inbound routing reads. It runs outside HTTP requests, on every inbound call: plain SQL on
 * MikroORM's own connection pool (inbound-lookup.sql.ts), no entities hydrated, like Action Post's
 * intake (prospect-intake.repository.ts). Its reads (InboundReads) each take a pooled connection
 * of their own; together() runs a call's reads on one.
 */
@Injectable()
export class InboundRepository extends InboundReads {
  private readonly reader: PreparedSql;

  constructor(private readonly em: EntityManager) {
    const reader = preparedSql(em, 'inbound');
    super(reader, reader.dialect, inboundSql(reader.dialect));
    this.reader = reader;
  }

  /**
   * `work`'s reads on one pooled connection, taken from the pool once: an inbound call's lookup
   * (inbound-lookup.ts). On SQLite nothing else runs statements between them. `work` must not wait
   * on any other database access (SQLite's pool has one connection).
   */
  together<T>(work: (reads: InboundReads) => Promise<T>): Promise<T> {
    return this.reader.session((db) => work(new InboundReads(db, this.dialect, this.sql)));
  }

  async missedCalls(orgId: string, page: number, pageSize: number): Promise<[CallActivity[], number]> {
    return this.em.findAndCount(
      CallActivity,
      { org: orgId, purpose: 'inbound', result: { $in: [...INBOUND_MISSED_RESULTS] } },
      { orderBy: { startedAt: 'desc', id: 'desc' }, limit: pageSize, offset: (page - 1) * pageSize },
    );
  }
}
