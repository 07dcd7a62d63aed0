import type { AssignmentVia, ProspectStatus } from '@leadline/domain';
import type { SqlDialect } from '../database/portable-schema';
import { jsonColumn, placeholder as ph } from '../database/prepared-sql';
import { wantsEventSql } from '../webhooks/webhook-subscription.repository';
import type { LeadFields } from '../webhooks/webhook-payload.util';

// A lead's assignment as plain SQL (one text per database), run in one transaction by
// ProspectRepository.assign through PreparedSql: through MikroORM's transaction the claim of a
// ring-all winner took 6–8 ms between the digit and the borrower's dial (docs/benchmarks.md).
// No database access here.

/** Statuses a prospect may be taken from, by how it is taken. */
export const ASSIGNABLE_FROM: Record<AssignmentVia, readonly ProspectStatus[]> = {
  ring_all: ['distributing'],
  distribute_all: ['distributing'],
  manual: ['new', 'distributing', 'exception'],
  // A failed distribution in a campaign with a default agent.
  default_agent: ['exception'],
};

/**
 * `from` → assigned, guarded: the one statement that makes "exactly one winner" true. A ring-all
 * claim stamps when the lead was taken; a default-agent assignment keeps the failure reason (it
 * stays in the lead's history), every other one clears it. Params: updated at, [taken at], id.
 */
export function assignSql(dialect: SqlDialect, via: AssignmentVia): { sql: string; params: (updatedAt: unknown, takenAt: unknown, id: string) => unknown[] } {
  const takes = via === 'ring_all';
  const sets = [`status = 'assigned'`, `updated_at = ${ph(dialect, 1)}`];
  if (takes) sets.push(`taken_at = ${ph(dialect, 2)}`);
  if (via !== 'default_agent') sets.push('failure_reason = null', 'failure_detail = null');
  const from = ASSIGNABLE_FROM[via].map((s) => `'${s}'`).join(', ');
  return {
    sql: `update prospect set ${sets.join(', ')} where id = ${ph(dialect, takes ? 3 : 2)} and status in (${from})`,
    params: (updatedAt, takenAt, id) => (takes ? [updatedAt, takenAt, id] : [updatedAt, id]),
  };
}

/** Params: id, prospect id, primary agent id, via, assigned by id (or null), created at. */
export const insertApplicationSql = (dialect: SqlDialect) =>
  `insert into application (id, prospect_id, primary_agent_id, via, assigned_by_id, created_at) values (${[1, 2, 3, 4, 5, 6].map((n) => ph(dialect, n)).join(', ')})`;

/** Whether a subscription of the org wants lead.assigned (param: org id). */
export const wantsLeadAssignedSql = (dialect: SqlDialect) => wantsEventSql(ph(dialect, 1), dialect, 'lead.assigned');

/** The lead as lead.assigned reports it (param: prospect id). */
export const leadSql = (dialect: SqlDialect) =>
  `select p.id, p.first_name, p.last_name, p.email, p.mobile_phone, p.home_phone, p.work_phone, p.property_state, p.loan_purpose, p.loan_amount, p.lead_provider, p.extra,
          c.id as campaign_id, c.name as campaign_name
     from prospect p
     join campaign c on c.id = p.campaign_id
    where p.id = ${ph(dialect, 1)}`;

/** A user as a webhook names them (param: user id). */
export const webhookUserSql = (dialect: SqlDialect) => `select id, name, email from app_user where id = ${ph(dialect, 1)}`;

export interface LeadRow {
  id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  mobile_phone: string | null;
  home_phone: string | null;
  work_phone: string | null;
  property_state: string | null;
  loan_purpose: string | null;
  loan_amount: number | string | null;
  lead_provider: string | null;
  /** JSON text on SQLite, parsed on PostgreSQL (jsonb). */
  extra: string | Record<string, string>;
  campaign_id: string;
  campaign_name: string;
}

export interface WebhookUserRow {
  id: string;
  name: string;
  email: string;
}

export function leadFieldsFromRow(r: LeadRow): LeadFields {
  return {
    prospectId: r.id,
    campaign: { id: r.campaign_id, name: r.campaign_name },
    firstName: r.first_name,
    lastName: r.last_name,
    email: r.email,
    mobilePhone: r.mobile_phone,
    homePhone: r.home_phone,
    workPhone: r.work_phone,
    propertyState: r.property_state,
    loanPurpose: r.loan_purpose,
    loanAmount: r.loan_amount === null ? null : Number(r.loan_amount),
    leadProvider: r.lead_provider,
    extra: jsonColumn(r.extra),
  };
}
