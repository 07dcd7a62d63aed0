import type { LeadField, LeadInput } from '@leadline/domain';
import type { Settled } from '../database/group-commit';
import type { OutboxEvent } from '../webhooks/webhook-payload.util';

// What the two intake writers (prospect-intake.sqlite/postgres.repository.ts) share: the
// transaction's interface and the SQL both run. No database access here.

/** A prospect of the campaign that owns one of the posted phones. */
export interface IntakeMatch {
  id: string;
  applicationId: string | null;
  /** The lead already has consent evidence (a later post never replaces it). */
  hasConsent: boolean;
  /** Its current lead fields, as leadChanges compares them. */
  current: Partial<Record<LeadField, string | number | null>> & { extra: Record<string, string> };
}

export interface NewProspect {
  id: string;
  createdAt: Date;
  orgId: string;
  campaignId: string;
  lead: LeadInput;
  leadProvider: string | null;
  /** Distinct normalised phones, each indexed for matching. */
  phones: string[];
}

/** The operations available inside one intake transaction. */
export interface IntakeTx {
  /** The campaign's prospect owning any of these phones: one with an application first, then the newest. */
  match(campaignId: string, phones: string[]): Promise<IntakeMatch | null>;
  /**
   * The campaign's initial lead status (the one new leads get: DialQueueService), or null. Read once
   * per campaign and batch, so the accepted listener reads nothing for campaigns without one.
   */
  initialStatus(campaignId: string): Promise<string | null>;
  /**
   * Whether an active webhook subscription of the org wants lead.accepted. Asked once per org at
   * the start of a batch, outside any post's savepoint. Serialised with saving a subscription
   * (SQLite: the batch holds the write lock; PostgreSQL: a shared advisory lock until the batch
   * ends, subscriptionLockKeySql), so a subscription saved before the batch is seen, and one saved
   * after it was not there when the batch's leads were accepted.
   */
  wantsLeadAccepted(orgId: string): Promise<boolean>;
  /** Inserts the prospect, its phones and, when given, its lead.accepted outbox event (docs/webhooks.md). */
  createProspect(p: NewProspect, accepted: OutboxEvent | null): Promise<void>;
  /** Indexes the phones this prospect is not indexed under yet (the index keeps every phone it ever had). */
  addPhones(campaignId: string, prospectId: string, phones: string[]): Promise<void>;
  /** Writes the given lead fields (undefined ones are left alone) and the update time. */
  updateProspect(id: string, changes: Partial<LeadInput>): Promise<void>;
  /**
   * Runs `work` in a savepoint: when it throws, its writes are undone and its error returned,
   * while the rest of the batch goes on. Driver errors come back as MikroORM exceptions
   * (UniqueConstraintViolationException, ForeignKeyConstraintViolationException …).
   */
  isolated<T>(work: () => Promise<T>): Promise<Settled<T>>;
}

/** One database's implementation of the intake transaction. */
export interface IntakeWriter {
  /** How many batches may be written at once (SQLite has one writer; PostgreSQL writes concurrently). */
  readonly concurrentBatches: number;
  /** Prepares the statements once (after the migrations): a schema mismatch fails here. */
  prepare(): Promise<void>;
  /** Runs `work` in one write transaction and commits; when the commit fails nothing of the batch is stored and the error is thrown. */
  writeBatch<T>(work: (tx: IntakeTx) => Promise<T>): Promise<T>;
}

/** The campaign's initial lead status (placeholder: the campaign id). */
export const initialStatusSql = (param: string): string => `select id from lead_status where campaign_id = ${param} and is_initial limit 1`;

/** A new prospect's columns, as both writers insert them: newProspectValues binds the first 21. */
export const NEW_PROSPECT_COLUMNS =
  'id, org_id, campaign_id, first_name, last_name, mobile_phone, home_phone, work_phone, email, property_state, loan_purpose, loan_amount, lead_provider, extra, ' +
  'consent_text, consent_timestamp, consent_at, consent_source_url, consent_ip, consent_certificate, consent_received_at, status, ignored, created_at, updated_at';

/** How a writer's database takes a date (SQLite: epoch milliseconds; PostgreSQL: a Date). */
export type DbDate = (d: Date) => unknown;

/** The consent columns and their values (dates through `date`); received now. */
function consentValues(consent: LeadInput['consent'], now: Date, date: DbDate): [string, unknown][] {
  return [
    ['consent_text', consent?.text ?? null],
    ['consent_timestamp', consent?.timestamp ?? null],
    ['consent_at', consent?.at ? date(new Date(consent.at)) : null],
    ['consent_source_url', consent?.sourceUrl ?? null],
    ['consent_ip', consent?.ip ?? null],
    ['consent_certificate', consent?.certificate ?? null],
    ['consent_received_at', consent ? date(now) : null],
  ];
}

/** The values of a new prospect's columns id … consent_received_at (`extra` as JSON text; consent received at its creation). */
export function newProspectValues({ id, createdAt, orgId, campaignId, lead, leadProvider }: NewProspect, date: DbDate): unknown[] {
  return [
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
    ...consentValues(lead.consent, createdAt, date).map(([, value]) => value),
  ];
}

/** Lead fields and their prospect columns (what an update may write). */
export const LEAD_COLUMNS = {
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

/** What the match query selects (the same columns on both databases). */
export interface MatchRow {
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
  /** JSON text on SQLite, already parsed on PostgreSQL (jsonb). */
  extra: string | Record<string, string> | null;
  /** 0/1 on SQLite, a boolean on PostgreSQL. */
  has_consent: number | boolean;
}

/** Uses the unique (campaign_id, phone) index; ties on created_at go to the larger id, so the choice does not depend on the query plan. */
export function matchSql(phoneCount: number, placeholder: (n: number) => string): string {
  const phones = Array.from({ length: phoneCount }, (_, i) => placeholder(i + 2)).join(', ');
  return `select p.id, a.id as application_id, p.first_name, p.last_name, p.mobile_phone, p.home_phone, p.work_phone, p.email,
                 p.property_state, p.loan_purpose, p.loan_amount, p.lead_provider, p.extra, (p.consent_received_at is not null) as has_consent
            from prospect_phone pp
            join prospect p on p.id = pp.prospect_id
            left join application a on a.prospect_id = p.id
           where pp.campaign_id = ${placeholder(1)} and pp.phone in (${phones})
           order by (a.id is not null) desc, p.created_at desc, p.id desc
           limit 1`;
}

export function matchFromRow(row: MatchRow): IntakeMatch {
  return {
    id: row.id,
    applicationId: row.application_id,
    hasConsent: !!row.has_consent,
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
      extra: typeof row.extra === 'string' ? (JSON.parse(row.extra) as Record<string, string>) : (row.extra ?? {}),
    },
  };
}

/** The lead fields of an update, as [column, value] pairs (undefined fields left out; extra as JSON text; consent received now). */
export function updateAssignments(changes: Partial<LeadInput>, now: Date, date: DbDate): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [field, column] of Object.entries(LEAD_COLUMNS) as [LeadField, string][]) {
    const value = changes[field];
    if (value !== undefined) out.push([column, value]);
  }
  if (changes.extra !== undefined) out.push(['extra', JSON.stringify(changes.extra)]);
  if (changes.consent !== undefined) out.push(...consentValues(changes.consent, now, date));
  out.push(['updated_at', date(now)]);
  return out;
}

export const MAX_PHONES = 3;

/** An outbox row's values id … body (OUTBOX_COLUMNS; the writers add created_at and fanned_out). */
export function outboxValues(e: OutboxEvent): (string | null)[] {
  return [e.id, e.orgId, e.type, e.prospectId, e.body];
}

