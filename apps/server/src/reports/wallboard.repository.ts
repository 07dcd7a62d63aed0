import { EntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import type { DistributionType, OpenLeg } from '@leadline/domain';
import { ReportRepository } from './report.repository';

export interface OpenLegRow extends OpenLeg {
  userId: string | null;
  prospectId: string | null;
}

export interface RoundRow {
  prospectId: string;
  name: string;
  campaign: string;
  distribution: DistributionType;
  since: number;
}

/** The live part of the wallboard: what is ringing or open right now, and who is on the board. */
@Injectable()
export class WallboardRepository {
  constructor(
    private readonly em: EntityManager,
    private readonly reports: ReportRepository,
  ) {}

  private get knex() {
    return this.em.getKnex();
  }

  /** Call legs of the org not ended yet (index on org_id, ended_at). */
  async openLegs(orgId: string): Promise<OpenLegRow[]> {
    const rows = (await this.knex('call_activity')
      .where('org_id', orgId)
      .whereNull('ended_at')
      .select('user_id as userId', 'prospect_id as prospectId', 'purpose', 'started_at as startedAt', 'answered_at as answeredAt')) as Record<string, unknown>[];
    return rows.map((r) => ({
      userId: (r.userId as string | null) ?? null,
      prospectId: (r.prospectId as string | null) ?? null,
      purpose: String(r.purpose),
      startedAt: this.reports.fromDb(r.startedAt)!,
      answeredAt: this.reports.fromDb(r.answeredAt),
    }));
  }

  /** Leads being distributed right now, oldest first. */
  async rounds(orgId: string): Promise<RoundRow[]> {
    const rows = (await this.knex('prospect as p')
      .join('campaign as c', 'c.id', 'p.campaign_id')
      .where('p.status', 'distributing')
      .andWhere('p.org_id', orgId)
      .orderBy('p.created_at')
      .limit(50)
      .select('p.id as prospectId', 'p.first_name as firstName', 'p.last_name as lastName', 'c.name as campaign', 'c.distribution_type as distribution', 'p.distribution_started_at as startedAt', 'p.created_at as createdAt')) as Record<string, unknown>[];
    return rows.map((r) => ({
      prospectId: String(r.prospectId),
      name: [r.firstName, r.lastName].filter(Boolean).join(' '),
      campaign: String(r.campaign),
      distribution: String(r.distribution) as DistributionType,
      since: this.reports.fromDb(r.startedAt) ?? this.reports.fromDb(r.createdAt)!,
    }));
  }

  async leadsSince(orgId: string, at: Date): Promise<number> {
    const row = (await this.knex('prospect').where('org_id', orgId).andWhere('created_at', '>=', this.reports.toDb(at)).count('* as n').first()) as { n: unknown } | undefined;
    return Number(row?.n ?? 0);
  }

  /** The last leads accepted since `since` that were taken or assigned, newest first. */
  async recentWins(orgId: string, since: Date, limit: number): Promise<{ prospectId: string; agent: string; via: string; at: number }[]> {
    const rows = (await this.knex('prospect as p')
      .join('application as a', 'a.prospect_id', 'p.id')
      .join('app_user as u', 'u.id', 'a.primary_agent_id')
      .where('p.org_id', orgId)
      .andWhere('p.created_at', '>=', this.reports.toDb(since))
      .orderBy('a.created_at', 'desc')
      .limit(limit)
      .select('p.id as prospectId', 'u.name as agent', 'a.via as via', 'a.created_at as at')) as Record<string, unknown>[];
    return rows.map((r) => ({ prospectId: String(r.prospectId), agent: String(r.agent), via: String(r.via), at: this.reports.fromDb(r.at)! }));
  }

  /** Users who can take calls (they have a work phone), by name. */
  async boardUsers(orgId: string): Promise<{ id: string; name: string }[]> {
    return (await this.knex('app_user').where('org_id', orgId).whereNotNull('work_phone_type').orderBy('name').select('id', 'name')) as { id: string; name: string }[];
  }
}
