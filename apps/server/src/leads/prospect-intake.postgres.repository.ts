import type { EntityManager } from '@mikro-orm/knex';
import { newId } from '../database/entities/base';
import { withPooledConnection } from '../database/pooled-connection';
import { OUTBOX_COLUMNS } from '../webhooks/webhook-outbox.repository';
import { SHARED_SUBSCRIPTION_LOCK_SQL, wantsEventSql } from '../webhooks/webhook-subscription.repository';
import { initialStatusSql, IntakeTx, IntakeWriter, MatchRow, matchFromRow, matchSql, MAX_PHONES, NEW_PROSPECT_COLUMNS, newProspectValues, outboxValues, updateAssignments } from './prospect-intake.sql';

// PostgreSQL's intake: one pooled connection per batch, named prepared statements (parsed once per
// connection), as few round trips per post as the savepoints allow: (release the previous post's
// and) take a savepoint, match, one insert of the prospect with its phones. Dates go as Date
// (timestamptz), `extra` as jsonb, booleans as booleans: what MikroORM's PostgreSQL platform reads back.

/** The parts of a pg client used here (pg is reached through knex, which types it loosely). */
interface PgClient {
  query<R>(query: { name?: string; text: string; values?: unknown[] }): Promise<{ rows: R[] }>;
}

/** The prospect, its phones and (withEvent) its lead.accepted outbox event in one statement (the phones' foreign key is checked at its end). */
const insertProspect = (withEvent: boolean) => ({
  name: withEvent ? 'intake_insert_prospect_event' : 'intake_insert_prospect',
  text: `with p as (
           insert into prospect (${NEW_PROSPECT_COLUMNS})
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::jsonb, $15, $16, $17, $18, $19, $20, $21, 'new', false, $22, $22)
         )${
           withEvent
             ? `, e as (
           insert into webhook_event (${OUTBOX_COLUMNS}) values ($25, $26, $27, $28, $29, $30, false)
         )`
             : ''
         }
         insert into prospect_phone (id, campaign_id, phone, prospect_id)
         select u.id, $3, u.phone, $1 from unnest($23::text[], $24::text[]) as u(id, phone)`,
});
const INSERT_PROSPECT = insertProspect(false);
const INSERT_PROSPECT_EVENT = insertProspect(true);
const INSERT_PHONE = { name: 'intake_insert_phone', text: 'insert into prospect_phone (id, campaign_id, phone, prospect_id) values ($1, $2, $3, $4)' };
const PHONES_OF = { name: 'intake_phones_of', text: 'select phone from prospect_phone where prospect_id = $1' };
const INITIAL_STATUS = { name: 'intake_initial_status', text: initialStatusSql('$1') };
/** Held until the batch ends: a subscription saved meanwhile waits for its commit (WebhookSubscriptionRepository.flush). */
const SUBSCRIPTIONS_LOCK = { name: 'intake_subscriptions_lock', text: SHARED_SUBSCRIPTION_LOCK_SQL };
const WANTS_LEAD_ACCEPTED = { name: 'intake_wants_lead_accepted', text: wantsEventSql('$1', 'postgresql', 'lead.accepted') };
const matchQuery = (phoneCount: number) => ({ name: `intake_match_${phoneCount}`, text: matchSql(phoneCount, (n) => `$${n}`) });

export class PostgresIntakeWriter implements IntakeWriter {
  // Batches on several pooled connections at once hide the round trips; the unique
  // (campaign_id, phone) index and the retry keep a lead posted into two of them one prospect.
  readonly concurrentBatches = 4;
  constructor(private readonly em: EntityManager) {}

  /** Parses every statement once (in a transaction that is rolled back), so a schema mismatch fails at start. */
  async prepare(): Promise<void> {
    await withPooledConnection(this.em, async (conn: PgClient) => {
      await conn.query({ text: 'begin' });
      try {
        for (let n = 1; n <= MAX_PHONES; n++) await conn.query({ ...matchQuery(n), values: [newId(), ...Array<string>(n).fill('')] });
        await conn.query({ ...PHONES_OF, values: [newId()] });
        await conn.query({ ...INITIAL_STATUS, values: [newId()] });
        await conn.query({ ...SUBSCRIPTIONS_LOCK, values: [newId()] });
        await conn.query({ ...WANTS_LEAD_ACCEPTED, values: [newId()] });
        // Nothing matches these ids, so nothing is written; the insert statements are parsed here.
        const prospectValues = [newId(), newId(), newId(), ...Array<null>(10).fill(null), '{}', ...Array<null>(7).fill(null), new Date(), [], []];
        await conn.query({ name: 'intake_check_insert', text: `explain ${INSERT_PROSPECT.text}`, values: prospectValues });
        await conn.query({ name: 'intake_check_insert_event', text: `explain ${INSERT_PROSPECT_EVENT.text}`, values: [...prospectValues, newId(), newId(), '', null, '', new Date()] });
        await conn.query({ name: 'intake_check_phone', text: `explain ${INSERT_PHONE.text}`, values: [newId(), newId(), '', newId()] });
      } finally {
        await conn.query({ text: 'rollback' });
      }
    });
  }

  /** One transaction on one pooled connection; answered only after the commit (synchronous_commit: durable). */
  writeBatch<T>(work: (tx: IntakeTx) => Promise<T>): Promise<T> {
    return withPooledConnection(this.em, async (conn: PgClient) => {
      await conn.query({ text: 'begin' });
      try {
        const result = await work(this.tx(conn));
        await conn.query({ text: 'commit' });
        return result;
      } catch (err) {
        await conn.query({ text: 'rollback' }).catch(() => undefined);
        throw err;
      }
    });
  }

  private tx(conn: PgClient): IntakeTx {
    const driver = this.em.getDriver();
    let savepointOpen = false;
    const initial = new Map<string, string | null>();
    return {
      async initialStatus(campaignId) {
        let id = initial.get(campaignId);
        if (id === undefined) {
          const { rows } = await conn.query<{ id: string }>({ ...INITIAL_STATUS, values: [campaignId] });
          initial.set(campaignId, (id = rows[0]?.id ?? null));
        }
        return id;
      },

      // Read once the shared lock is held (its own statement: a statement's snapshot is taken when it starts).
      async wantsLeadAccepted(orgId) {
        await conn.query({ ...SUBSCRIPTIONS_LOCK, values: [orgId] });
        const { rows } = await conn.query<{ wanted: boolean }>({ ...WANTS_LEAD_ACCEPTED, values: [orgId] });
        return rows[0]?.wanted === true;
      },

      async match(campaignId, phones) {
        if (!phones.length) return null;
        const { rows } = await conn.query<MatchRow>({ ...matchQuery(phones.length), values: [campaignId, ...phones] });
        return rows.length ? matchFromRow(rows[0]) : null;
      },

      async createProspect(p, accepted) {
        const values = [...newProspectValues(p, (d) => d), p.createdAt, p.phones.map(() => newId()), p.phones];
        await conn.query(accepted ? { ...INSERT_PROSPECT_EVENT, values: [...values, ...outboxValues(accepted), accepted.createdAt] } : { ...INSERT_PROSPECT, values });
      },

      async addPhones(campaignId, prospectId, phones) {
        const { rows } = await conn.query<{ phone: string }>({ ...PHONES_OF, values: [prospectId] });
        const known = new Set(rows.map((r) => r.phone));
        for (const phone of phones) if (!known.has(phone)) await conn.query({ ...INSERT_PHONE, values: [newId(), campaignId, phone, prospectId] });
      },

      async updateProspect(id, changes) {
        const assignments = updateAssignments(changes, new Date(), (d) => d);
        const sets = assignments.map(([column], i) => `${column} = $${i + 1}${column === 'extra' ? '::jsonb' : ''}`);
        // Rare (a post updating an assigned lead): an unnamed statement.
        await conn.query({ text: `update prospect set ${sets.join(', ')} where id = $${assignments.length + 1}`, values: [...assignments.map(([, value]) => value), id] });
      },

      async isolated(work) {
        // A finished post's savepoint is released together with the next post's savepoint, in one
        // round trip (the COMMIT releases the last one).
        await conn.query({ text: savepointOpen ? 'release savepoint intake_post; savepoint intake_post' : 'savepoint intake_post' });
        savepointOpen = true;
        try {
          const value = await work();
          return { ok: true, value };
        } catch (err) {
          await conn.query({ text: 'rollback to savepoint intake_post; release savepoint intake_post' });
          savepointOpen = false;
          return { ok: false, error: isPgError(err) ? driver.convertException(err) : err };
        }
      },
    };
  }
}

/** A server-side error of PostgreSQL (it carries a SQLSTATE code). */
function isPgError(err: unknown): err is Error & { code: string } {
  const code = err instanceof Error ? (err as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
}
