import type { User } from '../database/entities';
import type { SqlDialect as Dialect } from '../database/portable-schema';
import { placeholder as ph } from '../database/prepared-sql';
import { RINGABLE_USER_COLUMNS, RingableUser, ringableUserFromRow, RingableUserRow } from '../users/ringable-user.sql';

// What inbound routing reads on every call, as plain SQL (one text per database) run by
// InboundRepository through PreparedSql. No entity is hydrated on this path. No database access here.

export interface MatchedLead {
  prospectId: string;
  applicationId: string | null;
  name: string;
  state: string | null;
  loanPurpose: string | null;
  loanAmount: number | null;
  campaign: string;
}

/** What routing and ringing need of an agent (a User entity has these too: the callback path passes one). */
export type InboundAgent = RingableUser & Pick<User, 'showIncomingCallDetails'>;

/** Leadline serves one org per installation: the first created. */
export const ORG_SQL = 'select id from org order by created_at asc limit 1';

/**
 * The caller's lead (params: phone, org): among the org's prospects indexed under the number, the
 * one with the most recent application, else the most recent prospect. An application belongs to
 * one prospect (unique prospect_id), so the join keeps one row per prospect; ties go to the larger
 * id, so the choice does not depend on the query plan.
 */
export const matchLeadSql = (dialect: Dialect) =>
  `select p.id, a.id as application_id, p.first_name, p.last_name, p.property_state, p.loan_purpose, p.loan_amount, c.name as campaign
     from prospect_phone pp
     join prospect p on p.id = pp.prospect_id
     join campaign c on c.id = p.campaign_id
     left join application a on a.prospect_id = p.id
    where pp.phone = ${ph(dialect, 1)} and p.org_id = ${ph(dialect, 2)}
    order by (a.id is not null) desc, a.created_at desc, a.id desc, p.created_at desc, p.id desc
    limit 1`;

const AGENT_COLUMNS = `${RINGABLE_USER_COLUMNS}, u.show_incoming_call_details`;

/**
 * The agents an inbound call may ring (params: org, [state,] limit): available (logged in, calls
 * on, not on a call), with a work phone, licensed for the state when one is given (the licences
 * are a JSON array of state codes: json_each on SQLite, jsonb containment on PostgreSQL); longest
 * idle first (never called first), then by id. The state goes in as licenceParams.
 */
export function availableSql(dialect: Dialect, licensed: boolean): string {
  const yes = dialect === 'sqlite' ? '1' : 'true';
  // SQLite: instr() on the JSON text (the index holds it) passes only the rows naming the quoted
  // code, so json_each, the exact test, runs on those few and not on every available user.
  const licence = !licensed ? '' : dialect === 'sqlite' ? `and instr(u.state_licences, ?) > 0 and exists (select 1 from json_each(u.state_licences) where json_each.value = ?)` : `and u.state_licences @> $2::jsonb`;
  return `select ${AGENT_COLUMNS}
            from app_user u
           where u.org_id = ${ph(dialect, 1)} and u.logged_in = ${yes} and u.calls_on = ${yes} and u.on_call_since is null
             and u.work_phone_type is not null and (u.sip_username is not null or u.work_phone is not null)
             ${licence}
           order by u.last_call_ended_at asc nulls first, u.id asc
           limit ${dialect === 'sqlite' ? '?' : `$${licensed ? 3 : 2}`}`;
}

/** The licence filter's parameters: the quoted code and the code on SQLite, a JSON array of it on PostgreSQL. */
export const licenceParams = (dialect: Dialect, state: string): string[] => (dialect === 'sqlite' ? [JSON.stringify(state), state] : [JSON.stringify([state])]);

/** Whether the DID is one of the org's local presence numbers (params: org, number). */
export const localPresenceSql = (dialect: Dialect) => `select 1 as found from local_presence_number where org_id = ${ph(dialect, 1)} and number = ${ph(dialect, 2)} limit 1`;

/** The texts InboundReads runs, for one database. */
export interface InboundSql {
  matchLead: string;
  available: string;
  availableLicensed: string;
  localPresence: string;
}

export const inboundSql = (dialect: Dialect): InboundSql => ({ matchLead: matchLeadSql(dialect), available: availableSql(dialect, false), availableLicensed: availableSql(dialect, true), localPresence: localPresenceSql(dialect) });

export interface MatchRow {
  id: string;
  application_id: string | null;
  first_name: string | null;
  last_name: string | null;
  property_state: string | null;
  loan_purpose: string | null;
  loan_amount: number | null;
  campaign: string;
}

export function leadFromRow(r: MatchRow): MatchedLead {
  return {
    prospectId: r.id,
    applicationId: r.application_id,
    name: [r.first_name, r.last_name].filter(Boolean).join(' '),
    state: r.property_state,
    loanPurpose: r.loan_purpose,
    loanAmount: r.loan_amount === null ? null : Number(r.loan_amount),
    campaign: r.campaign,
  };
}

export interface AgentRow extends RingableUserRow {
  /** 0/1 on SQLite, booleans on PostgreSQL. */
  show_incoming_call_details: number | boolean;
}

export function agentFromRow(r: AgentRow): InboundAgent {
  return { ...ringableUserFromRow(r), showIncomingCallDetails: !!r.show_incoming_call_details };
}
