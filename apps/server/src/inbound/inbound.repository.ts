import { EntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import { INBOUND_MISSED_RESULTS } from '@leadline/domain';
import { CallActivity } from '../database/entities';
import { PreparedSql, preparedSql } from '../database/prepared-sql';
import { AgentRow, agentFromRow, availableSql, InboundAgent, leadFromRow, licenceParams, localPresenceSql, MatchedLead, matchLeadSql, MatchRow, ORG_SQL } from './inbound-lookup.sql';

export type { InboundAgent, MatchedLead } from './inbound-lookup.sql';

/**
 * What inbound routing reads. It runs outside HTTP requests, on every inbound call: plain SQL on
 * MikroORM's own connection pool (inbound-lookup.sql.ts), no entities hydrated, like Action Post's
 * intake (prospect-intake.repository.ts).
 */
@Injectable()
export class InboundRepository {
  private readonly reader: PreparedSql;
  private readonly sql: { matchLead: string; available: string; availableLicensed: string; localPresence: string };

  constructor(private readonly em: EntityManager) {
    this.reader = preparedSql(em, 'inbound');
    const dialect = this.reader.dialect;
    this.sql = { matchLead: matchLeadSql(dialect), available: availableSql(dialect, false), availableLicensed: availableSql(dialect, true), localPresence: localPresenceSql(dialect) };
  }

  /** Leadline serves one org per installation. */
  async orgId(): Promise<string | null> {
    const [org] = await this.reader.all<{ id: string }>('org', ORG_SQL, []);
    return org?.id ?? null;
  }

  /** The caller's most recent application, else most recent prospect, by normalised phone. */
  async matchLead(orgId: string, phone: string): Promise<MatchedLead | null> {
    const [row] = await this.reader.all<MatchRow>('match_lead', this.sql.matchLead, [phone, orgId]);
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
      ? await this.reader.all<AgentRow>('available_licensed', this.sql.availableLicensed, [orgId, ...licenceParams(this.reader.dialect, state), limit])
      : await this.reader.all<AgentRow>('available', this.sql.available, [orgId, limit]);
    return rows.map(agentFromRow);
  }

  /** Whether the DID is one of the org's local presence numbers (callbacks ring the borrower's last caller). */
  async isLocalPresenceNumber(orgId: string, e164: string): Promise<boolean> {
    return (await this.reader.all('local_presence', this.sql.localPresence, [orgId, e164])).length > 0;
  }

  async missedCalls(orgId: string, page: number, pageSize: number): Promise<[CallActivity[], number]> {
    return this.em.findAndCount(
      CallActivity,
      { org: orgId, purpose: 'inbound', result: { $in: [...INBOUND_MISSED_RESULTS] } },
      { orderBy: { startedAt: 'desc', id: 'desc' }, limit: pageSize, offset: (page - 1) * pageSize },
    );
  }
}
