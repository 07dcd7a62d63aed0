import type { LoanPurpose, UsState } from '@leadline/domain';
import type { Campaign, DistributionGroup, Org, Prospect, User } from '../database/entities';
import type { SqlDialect } from '../database/portable-schema';
import { jsonColumn, placeholder as ph } from '../database/prepared-sql';
import { RINGABLE_USER_COLUMNS, RingableUser, ringableUserFromRow, RingableUserRow } from '../users/ringable-user.sql';

// What a distribution reads and writes before its first ring, as plain SQL (one text per database)
// run by DistributionRepository through PreparedSql: with MikroORM's populate the read alone took
// ~8 ms of the ~14 ms from the Action Post's answer to the first originate (docs/benchmarks.md).
// No database access here.

/** What ring all and Distribute All need of the lead, its campaign, its group and its org. */
export interface DistributionContext {
  prospect: Pick<Prospect, 'id' | 'status' | 'firstName' | 'lastName' | 'mobilePhone' | 'homePhone' | 'workPhone' | 'propertyState' | 'loanPurpose' | 'loanAmount' | 'leadProvider'>;
  campaign: Pick<Campaign, 'id' | 'name' | 'distributionType' | 'ringTimeoutSeconds' | 'offerTimeoutSeconds'> & {
    distributionGroup: Pick<DistributionGroup, 'id' | 'filterStates' | 'filterLoanPurposes' | 'filterLoanAmountMin' | 'filterLoanAmountMax'> | null;
  };
  org: Pick<Org, 'id' | 'callerId' | 'orgNumber'>;
  members: DistributionMember[];
}

/** What eligibility and ringing need of a group member. */
export type DistributionMember = RingableUser & Pick<User, 'callerId' | 'filterLoanPurposes' | 'filterLoanAmountMin' | 'filterLoanAmountMax' | 'filterLeadProviders'>;

/** The prospect with its campaign, the campaign's group (if any) and the org (param: prospect id). */
export const contextSql = (dialect: SqlDialect) =>
  `select p.id, p.status, p.first_name, p.last_name, p.mobile_phone, p.home_phone, p.work_phone, p.property_state, p.loan_purpose, p.loan_amount, p.lead_provider,
          c.id as campaign_id, c.name as campaign_name, c.distribution_type, c.ring_timeout_seconds, c.offer_timeout_seconds,
          g.id as group_id, g.filter_states, g.filter_loan_purposes, g.filter_loan_amount_min, g.filter_loan_amount_max,
          o.id as org_id, o.caller_id as org_caller_id, o.org_number
     from prospect p
     join campaign c on c.id = p.campaign_id
     join org o on o.id = p.org_id
     left join distribution_group g on g.id = c.distribution_group_id
    where p.id = ${ph(dialect, 1)}`;

/** A group's members (param: group id). Their order does not matter: eligibility orders them. */
export const membersSql = (dialect: SqlDialect) =>
  `select ${RINGABLE_USER_COLUMNS}, u.caller_id, u.filter_loan_purposes, u.filter_loan_amount_min, u.filter_loan_amount_max, u.filter_lead_providers
     from distribution_group_member m
     join app_user u on u.id = m.user_id
    where m.distribution_group_id = ${ph(dialect, 1)}`;

/** new → distributing, guarded (params: started at, owner, updated at, prospect id). */
export const beginSql = (dialect: SqlDialect) =>
  `update prospect set status = 'distributing', distribution_started_at = ${ph(dialect, 1)}, distribution_owner = ${ph(dialect, 2)}, updated_at = ${ph(dialect, 3)}
    where id = ${ph(dialect, 4)} and status = 'new'`;

export interface ContextRow {
  id: string;
  status: Prospect['status'];
  first_name: string | null;
  last_name: string | null;
  mobile_phone: string | null;
  home_phone: string | null;
  work_phone: string | null;
  property_state: string | null;
  loan_purpose: LoanPurpose | null;
  loan_amount: number | string | null;
  lead_provider: string | null;
  campaign_id: string;
  campaign_name: string;
  distribution_type: Campaign['distributionType'];
  ring_timeout_seconds: number;
  offer_timeout_seconds: number;
  group_id: string | null;
  /** JSON text on SQLite, parsed on PostgreSQL (jsonb); null without a group. */
  filter_states: string | UsState[] | null;
  filter_loan_purposes: string | LoanPurpose[] | null;
  filter_loan_amount_min: number | string | null;
  filter_loan_amount_max: number | string | null;
  org_id: string;
  org_caller_id: string | null;
  org_number: string | null;
}

export interface MemberRow extends RingableUserRow {
  caller_id: string | null;
  filter_loan_purposes: string | LoanPurpose[];
  filter_loan_amount_min: number | string | null;
  filter_loan_amount_max: number | string | null;
  filter_lead_providers: string | string[];
}

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

export function contextFromRows(r: ContextRow, members: MemberRow[]): DistributionContext {
  return {
    prospect: {
      id: r.id,
      status: r.status,
      firstName: r.first_name,
      lastName: r.last_name,
      mobilePhone: r.mobile_phone,
      homePhone: r.home_phone,
      workPhone: r.work_phone,
      propertyState: r.property_state,
      loanPurpose: r.loan_purpose,
      loanAmount: num(r.loan_amount),
      leadProvider: r.lead_provider,
    },
    campaign: {
      id: r.campaign_id,
      name: r.campaign_name,
      distributionType: r.distribution_type,
      ringTimeoutSeconds: r.ring_timeout_seconds,
      offerTimeoutSeconds: r.offer_timeout_seconds,
      distributionGroup:
        r.group_id === null
          ? null
          : {
              id: r.group_id,
              filterStates: jsonColumn<UsState[]>(r.filter_states ?? []),
              filterLoanPurposes: jsonColumn<LoanPurpose[]>(r.filter_loan_purposes ?? []),
              filterLoanAmountMin: num(r.filter_loan_amount_min),
              filterLoanAmountMax: num(r.filter_loan_amount_max),
            },
    },
    org: { id: r.org_id, callerId: r.org_caller_id, orgNumber: r.org_number },
    members: members.map(memberFromRow),
  };
}

function memberFromRow(r: MemberRow): DistributionMember {
  return {
    ...ringableUserFromRow(r),
    callerId: r.caller_id,
    filterLoanPurposes: jsonColumn<LoanPurpose[]>(r.filter_loan_purposes),
    filterLoanAmountMin: num(r.filter_loan_amount_min),
    filterLoanAmountMax: num(r.filter_loan_amount_max),
    filterLeadProviders: jsonColumn<string[]>(r.filter_lead_providers),
  };
}
