import { EntityManager } from '@mikro-orm/knex';
import type { Knex } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import type { AssignedVia, CallFact, LeadFact, ProspectStatus, ReportDayDoc } from '@leadline/domain';
import { sqlDialectOf } from '../database/portable-schema';

export interface StoredReportState {
  timeZone: string;
  format: number;
  changesUntil: Date;
}

/**
 * Everything the reports read and write (docs/reports.md): the raw rows of a day (facts), the
 * stored days and their state, and the few names the figures show. Plain SQL both databases
 * accept; datetimes go in and come out through `toDb` / `fromDb` (SQLite keeps epoch ms).
 */
@Injectable()
export class ReportRepository {
  constructor(private readonly em: EntityManager) {}

  private get knex(): Knex {
    return this.em.getKnex();
  }

  private get sqlite(): boolean {
    return sqlDialectOf(this.knex) === 'sqlite';
  }

  /** A datetime as the database compares it. */
  toDb(at: Date): number | Date {
    return this.sqlite ? at.getTime() : at;
  }

  /** Epoch ms of a datetime read back (number on SQLite, Date on PostgreSQL), or null. */
  fromDb(value: unknown): number | null {
    if (value === null || value === undefined) return null;
    if (value instanceof Date) return value.getTime();
    const n = Number(value);
    return Number.isFinite(n) ? n : new Date(String(value)).getTime();
  }

  async orgs(): Promise<{ id: string; timeZone: string }[]> {
    const rows = await this.knex('org').select('id', 'time_zone as timeZone');
    return rows as { id: string; timeZone: string }[];
  }

  async orgTimeZone(orgId: string): Promise<string | null> {
    const row = (await this.knex('org').where({ id: orgId }).first('time_zone as timeZone')) as { timeZone: string } | undefined;
    return row?.timeZone ?? null;
  }

  /** The leads accepted in [start, end), with their application. */
  async leadFacts(orgId: string, start: Date, end: Date): Promise<LeadFact[]> {
    const rows = (await this.knex('prospect as p')
      .leftJoin('application as a', 'a.prospect_id', 'p.id')
      .where('p.org_id', orgId)
      .andWhere('p.created_at', '>=', this.toDb(start))
      .andWhere('p.created_at', '<', this.toDb(end))
      .select(
        'p.created_at as createdAt',
        'p.campaign_id as campaignId',
        'p.lead_provider as leadProvider',
        'p.status as status',
        'p.failure_reason as failureReason',
        'p.first_ring_at as firstRingAt',
        'p.taken_at as takenAt',
        'p.borrower_answered_at as borrowerAnsweredAt',
        'a.via as via',
        'a.primary_agent_id as agentId',
        'a.created_at as assignedAt',
      )) as Record<string, unknown>[];
    return rows.map((r) => ({
      createdAt: this.fromDb(r.createdAt)!,
      campaignId: String(r.campaignId),
      leadProvider: (r.leadProvider as string | null) ?? null,
      status: r.status as ProspectStatus,
      failureReason: (r.failureReason as string | null) ?? null,
      via: (r.via as AssignedVia | null) ?? null,
      agentId: (r.agentId as string | null) ?? null,
      assignedAt: this.fromDb(r.assignedAt),
      firstRingAt: this.fromDb(r.firstRingAt),
      takenAt: this.fromDb(r.takenAt),
      borrowerAnsweredAt: this.fromDb(r.borrowerAnsweredAt),
    }));
  }

  /** The call legs started in [start, end), with the campaign and provider of their lead. */
  async callFacts(orgId: string, start: Date, end: Date): Promise<CallFact[]> {
    const rows = (await this.knex('call_activity as c')
      .leftJoin('prospect as p', 'p.id', 'c.prospect_id')
      .where('c.org_id', orgId)
      .andWhere('c.started_at', '>=', this.toDb(start))
      .andWhere('c.started_at', '<', this.toDb(end))
      .select(
        'c.started_at as startedAt',
        'c.answered_at as answeredAt',
        'c.user_id as userId',
        'c.purpose as purpose',
        'c.direction as direction',
        'c.result as result',
        'c.talk_seconds as talkSeconds',
        'c.from_number as fromNumber',
        'c.to_number as toNumber',
        'c.caller_id_reason as callerIdReason',
        'p.campaign_id as campaignId',
        'p.lead_provider as leadProvider',
      )) as Record<string, unknown>[];
    return rows.map((r) => ({
      startedAt: this.fromDb(r.startedAt)!,
      answeredAt: this.fromDb(r.answeredAt),
      userId: (r.userId as string | null) ?? null,
      purpose: String(r.purpose),
      direction: String(r.direction),
      result: String(r.result),
      talkSeconds: r.talkSeconds === null || r.talkSeconds === undefined ? null : Number(r.talkSeconds),
      fromNumber: (r.fromNumber as string | null) ?? null,
      toNumber: (r.toNumber as string | null) ?? null,
      callerIdReason: (r.callerIdReason as string | null) ?? null,
      campaignId: (r.campaignId as string | null) ?? null,
      leadProvider: (r.leadProvider as string | null) ?? null,
    }));
  }

  /** When leads and legs changed at or after `since`: the moments that say which days to rebuild. */
  async changedSince(orgId: string, since: Date): Promise<number[]> {
    const at = this.toDb(since);
    const [leads, legs] = await Promise.all([
      this.knex('prospect').where('org_id', orgId).andWhere('updated_at', '>=', at).distinct('created_at as at'),
      this.knex('call_activity').where('org_id', orgId).andWhere('updated_at', '>=', at).distinct('started_at as at'),
    ]);
    return [...(leads as { at: unknown }[]), ...(legs as { at: unknown }[])].map((r) => this.fromDb(r.at)!);
  }

  /** The first and last moment with data (leads accepted, legs started), or null for an empty org. */
  async dataSpan(orgId: string): Promise<{ first: number; last: number } | null> {
    const [leads, legs] = (await Promise.all([
      this.knex('prospect').where('org_id', orgId).min('created_at as first').max('created_at as last').first(),
      this.knex('call_activity').where('org_id', orgId).min('started_at as first').max('started_at as last').first(),
    ])) as { first: unknown; last: unknown }[];
    const firsts = [leads?.first, legs?.first].map((v) => this.fromDb(v)).filter((v): v is number => v !== null);
    const lasts = [leads?.last, legs?.last].map((v) => this.fromDb(v)).filter((v): v is number => v !== null);
    return firsts.length ? { first: Math.min(...firsts), last: Math.max(...lasts) } : null;
  }

  async state(orgId: string): Promise<StoredReportState | null> {
    const row = (await this.knex('report_state').where({ org_id: orgId }).first('time_zone as timeZone', 'format', 'changes_until as changesUntil')) as Record<string, unknown> | undefined;
    return row ? { timeZone: String(row.timeZone), format: Number(row.format), changesUntil: new Date(this.fromDb(row.changesUntil)!) } : null;
  }

  async saveState(orgId: string, state: StoredReportState): Promise<void> {
    const now = new Date();
    await this.knex('report_state')
      .insert({ org_id: orgId, time_zone: state.timeZone, format: state.format, changes_until: this.toDb(state.changesUntil), built_at: this.toDb(now) })
      .onConflict('org_id')
      .merge();
  }

  /** Stores rebuilt days; a day with nothing left in it is removed. One transaction. */
  async saveDays(orgId: string, days: { day: string; doc: ReportDayDoc | null }[]): Promise<void> {
    if (!days.length) return;
    const builtAt = this.toDb(new Date());
    await this.knex.transaction(async (trx) => {
      const empty = days.filter((d) => d.doc === null).map((d) => d.day);
      if (empty.length) await trx('report_day').where('org_id', orgId).whereIn('day', empty).delete();
      const full = days.filter((d) => d.doc !== null);
      // Small chunks: SQLite limits the bound parameters of one statement.
      for (let i = 0; i < full.length; i += 100) {
        await trx('report_day')
          .insert(full.slice(i, i + 100).map((d) => ({ org_id: orgId, day: d.day, doc: JSON.stringify(d.doc), built_at: builtAt })))
          .onConflict(['org_id', 'day'])
          .merge();
      }
    });
  }

  /** Forgets every stored day of the org (its time zone changed, or the stored format did). */
  async clearDays(orgId: string): Promise<void> {
    await this.knex('report_day').where('org_id', orgId).delete();
  }

  /** The stored days of [from, to], in order. */
  async days(orgId: string, from: string, to: string): Promise<{ day: string; doc: ReportDayDoc }[]> {
    const rows = (await this.knex('report_day').where('org_id', orgId).andWhere('day', '>=', from).andWhere('day', '<=', to).orderBy('day').select('day', 'doc')) as { day: string; doc: string }[];
    return rows.map((r) => ({ day: r.day, doc: JSON.parse(r.doc) as ReportDayDoc }));
  }

  /** Campaigns of the org that distribute to any of the groups. */
  async campaignsOfGroups(orgId: string, groupIds: string[]): Promise<string[]> {
    const rows = (await this.knex('campaign').where('org_id', orgId).whereIn('distribution_group_id', groupIds).select('id')) as { id: string }[];
    return rows.map((r) => r.id);
  }

  async userNames(orgId: string): Promise<Map<string, string>> {
    const rows = (await this.knex('app_user').where('org_id', orgId).select('id', 'name')) as { id: string; name: string }[];
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}
