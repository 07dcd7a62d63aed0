import type { FilterQuery } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import type { ProspectStatus } from '@leadline/domain';
import { Application, AssignmentVia, Prospect, User } from '../database/entities';
import { newId } from '../database/entities/base';
import { PreparedSql, preparedSql } from '../database/prepared-sql';
import { insertOutboxSql, WebhookOutboxRepository } from '../webhooks/webhook-outbox.repository';
import { SHARED_SUBSCRIPTION_LOCK_SQL } from '../webhooks/webhook-subscription.repository';
import { assignSql, insertApplicationSql, LeadRow, leadFieldsFromRow, leadSql, wantsLeadAssignedSql, WebhookUserRow, webhookUserSql } from './assignment.sql';
import { outboxValues } from './prospect-intake.sql';

export interface ProspectFilter {
  status?: ProspectStatus[];
  campaignId?: string;
}

@Injectable()
export class ProspectRepository {
  private readonly sql: PreparedSql;

  constructor(
    private readonly em: EntityManager,
    private readonly outbox: WebhookOutboxRepository,
  ) {
    this.sql = preparedSql(em, 'assignment');
  }

  /**
   * One assignment in one transaction of plain SQL: the guarded `from` → assigned update (of any
   * number of concurrent takers exactly one changes the row), the application, and lead.assigned in
   * the outbox when a subscription wants it (asked after the update, docs/webhooks.md). null: the
   * prospect was no longer assignable this way, and nothing was written.
   */
  async assign(a: { orgId: string; prospectId: string; agentId: string; via: AssignmentVia; assignedById: string | null; at: Date }): Promise<{ applicationId: string } | null> {
    const sql = this.sql;
    const dialect = sql.dialect;
    const update = assignSql(dialect, a.via);
    const applicationId = newId();
    let event = false;
    const won = await sql.transaction(async (tx) => {
      if ((await tx.run(`assign_${a.via}`, update.sql, update.params(sql.date(a.at), sql.date(a.at), a.prospectId))) !== 1) return false;
      await tx.run('insert_application', insertApplicationSql(dialect), [applicationId, a.prospectId, a.agentId, a.via, a.assignedById, sql.date(a.at)]);
      // Asked after the guarded update, under the org's subscription lock (SHARED_SUBSCRIPTION_LOCK_SQL).
      if (dialect === 'postgresql') await tx.all('subscriptions_lock', SHARED_SUBSCRIPTION_LOCK_SQL, [a.orgId]);
      const [wants] = await tx.all<{ wanted: boolean | number }>('wants_lead_assigned', wantsLeadAssignedSql(dialect), [a.orgId]);
      if (!(wants.wanted === true || wants.wanted === 1)) return true;
      const [lead] = await tx.all<LeadRow>('lead', leadSql(dialect), [a.prospectId]);
      const [agent] = await tx.all<WebhookUserRow>('webhook_user', webhookUserSql(dialect), [a.agentId]);
      const [by] = a.assignedById ? await tx.all<WebhookUserRow>('webhook_user', webhookUserSql(dialect), [a.assignedById]) : [];
      const e = this.outbox.leadAssigned({ lead: leadFieldsFromRow(lead), orgId: a.orgId, applicationId, via: a.via, agent, assignedBy: by ?? null, at: a.at });
      await tx.run('insert_outbox', insertOutboxSql(dialect), [...outboxValues(e), sql.date(e.createdAt)]);
      event = true;
      return true;
    });
    if (event) this.outbox.written();
    return won ? { applicationId } : null;
  }

  get(orgId: string, id: string): Promise<Prospect | null> {
    return this.em.findOne(Prospect, { id, org: orgId }, { populate: ['campaign'] });
  }

  userInOrg(orgId: string, userId: string): Promise<User | null> {
    return this.em.findOne(User, { id: userId, org: orgId });
  }

  applicationOf(prospectId: string): Promise<Application | null> {
    return this.em.findOne(Application, { prospect: prospectId });
  }

  async list(orgId: string, filter: ProspectFilter, page: number, pageSize: number): Promise<[Prospect[], number]> {
    return this.em.findAndCount(
      Prospect,
      this.where(orgId, filter),
      { populate: ['campaign'], orderBy: { createdAt: 'desc', id: 'desc' }, limit: pageSize, offset: (page - 1) * pageSize },
    );
  }

  /** Every prospect of the filter, newest first, at most `limit` (the CSV export). */
  exportRows(orgId: string, filter: ProspectFilter, limit: number): Promise<Prospect[]> {
    return this.em.find(Prospect, this.where(orgId, filter), { populate: ['campaign'], orderBy: { createdAt: 'desc', id: 'desc' }, limit });
  }

  private where(orgId: string, filter: ProspectFilter): FilterQuery<Prospect> {
    return { org: orgId, ...(filter.status ? { status: { $in: filter.status } } : {}), ...(filter.campaignId ? { campaign: filter.campaignId } : {}) };
  }

  async listApplications(orgId: string, agentId: string | undefined, page: number, pageSize: number): Promise<[Application[], number]> {
    return this.em.findAndCount(
      Application,
      { prospect: { org: orgId }, ...(agentId ? { primaryAgent: agentId } : {}) },
      { populate: ['prospect', 'prospect.campaign', 'primaryAgent'], orderBy: { createdAt: 'desc', id: 'desc' }, limit: pageSize, offset: (page - 1) * pageSize },
    );
  }

  getApplication(orgId: string, id: string): Promise<Application | null> {
    return this.em.findOne(Application, { id, prospect: { org: orgId } }, { populate: ['prospect', 'prospect.campaign', 'primaryAgent'] });
  }
}
