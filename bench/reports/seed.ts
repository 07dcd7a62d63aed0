// Bulk seed for the reports benchmark: leads, their applications and their call legs written
// straight into the database (prepared statements in big transactions on SQLite, unnest()-batched
// inserts on PostgreSQL), spread evenly over `days` days that end now. Deterministic.
import Database from 'better-sqlite3';
import { knex, Knex } from '@mikro-orm/knex';
import { randomUUID } from 'node:crypto';
import { FAILURE_REASONS } from '@leadline/domain';

export interface SeedPlan {
  orgId: string;
  campaigns: { id: string; leadProvider: string; agentIds: string[] }[];
  prospects: number;
  /** Call legs per lead (3 Ring All legs, 1 borrower leg, the rest inbound or click-to-call). */
  legsPerLead: number;
  days: number;
  endAt: number;
}

interface Row {
  prospect: unknown[];
  application: unknown[] | null;
  legs: unknown[][];
}

const REASONS = Object.values(FAILURE_REASONS);
const LDP_NUMBERS = Array.from({ length: 20 }, (_, i) => `+1512555${String(1000 + i)}`);
const AREAS = ['512', '737', '214', '469', '713', '281', '210', '312', '773', '415', '650', '408', '305', '786', '404'];

/** A small fast PRNG (mulberry32), so both databases get the same data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Lead `i` with its application and legs; times as epoch ms. */
function leadRow(plan: SeedPlan, i: number, rnd: () => number): Row {
  const start = plan.endAt - plan.days * 86_400_000;
  const createdAt = Math.floor(start + ((i + rnd()) * plan.days * 86_400_000) / plan.prospects);
  const campaign = plan.campaigns[i % plan.campaigns.length];
  const agent = campaign.agentIds[Math.floor(rnd() * campaign.agentIds.length)];
  const other = campaign.agentIds[(campaign.agentIds.indexOf(agent) + 1) % campaign.agentIds.length];
  const third = campaign.agentIds[(campaign.agentIds.indexOf(agent) + 2) % campaign.agentIds.length];
  const id = randomUUID();
  const r = rnd();
  const ring = createdAt + 100 + Math.floor(rnd() * 800);
  const taken = ring + 2_000 + Math.floor(rnd() * 25_000);
  const answered = rnd() < 0.7 ? taken + 8_000 + Math.floor(rnd() * 40_000) : null;
  let status = 'assigned';
  let via: string | null = 'ring_all';
  let failure: string | null = null;
  if (r > 0.8 && r <= 0.88) via = 'distribute_all';
  else if (r > 0.88 && r <= 0.9) via = 'manual';
  else if (r > 0.9 && r <= 0.92) via = 'default_agent';
  else if (r > 0.92 && r <= 0.98) {
    status = 'exception';
    via = null;
    failure = REASONS[Math.floor(rnd() * REASONS.length)];
  } else if (r > 0.98) {
    status = 'new';
    via = null;
  }
  const ringAll = via === 'ring_all' || status === 'exception';
  const prospect = [id, plan.orgId, campaign.id, 'Bench', `Lead ${i}`, `+1${AREAS[i % AREAS.length]}555${String(i % 10_000).padStart(4, '0')}`, campaign.leadProvider, '{}', status, 0, failure, ringAll ? ring : null, via === 'ring_all' ? taken : null, via === 'ring_all' ? answered : null, createdAt, createdAt];
  const application = via ? [randomUUID(), id, agent, via, via === 'distribute_all' ? taken : createdAt + 600_000] : null;
  const legs: unknown[][] = [];
  const leg = (userId: string | null, purpose: string, direction: string, startedAt: number, answeredAt: number | null, result: string, talk: number | null, from: string | null, to: string | null, reason: string | null) =>
    legs.push([randomUUID(), plan.orgId, id, direction, purpose, from, to, userId, startedAt, answeredAt, startedAt + 60_000, talk, result, reason, startedAt + 60_000]);
  const wonAnswer = taken - 1_000;
  leg(agent, 'ring_all_agent', 'outbound', ring, via === 'ring_all' ? wonAnswer : null, via === 'ring_all' ? 'won' : 'no_answer', null, '+15125550100', 'PJSIP/a', 'org_caller_id');
  leg(other, 'ring_all_agent', 'outbound', ring, null, 'cancelled', null, '+15125550100', 'PJSIP/b', 'org_caller_id');
  leg(third, 'ring_all_agent', 'outbound', ring, null, 'no_answer', null, '+15125550100', 'PJSIP/c', 'org_caller_id');
  leg(agent, 'borrower', 'outbound', taken, answered, answered ? 'completed' : 'no_answer', answered ? 60 + Math.floor(rnd() * 600) : null, LDP_NUMBERS[i % LDP_NUMBERS.length], `+1${AREAS[(i * 7) % AREAS.length]}5550000`, 'local_presence');
  for (let k = 4; k < plan.legsPerLead; k++) {
    const inbound = rnd() < 0.5;
    const at = createdAt + 3_600_000 + k * 60_000;
    leg(agent, inbound ? 'inbound_agent' : 'click_to_call_agent', inbound ? 'inbound' : 'outbound', at, at + 4_000, 'answered', 90, null, null, null);
  }
  return { prospect, application, legs };
}

const PROSPECT_COLUMNS = ['id', 'org_id', 'campaign_id', 'first_name', 'last_name', 'mobile_phone', 'lead_provider', 'extra', 'status', 'ignored', 'failure_reason', 'first_ring_at', 'taken_at', 'borrower_answered_at', 'created_at', 'updated_at'];
const APPLICATION_COLUMNS = ['id', 'prospect_id', 'primary_agent_id', 'via', 'created_at'];
const LEG_COLUMNS = ['id', 'org_id', 'prospect_id', 'direction', 'purpose', 'from_number', 'to_number', 'user_id', 'started_at', 'answered_at', 'ended_at', 'talk_seconds', 'result', 'caller_id_reason', 'updated_at'];
// Datetime columns (epoch ms here; timestamptz on PostgreSQL).
const TIMES = new Set(['first_ring_at', 'taken_at', 'borrower_answered_at', 'created_at', 'updated_at', 'started_at', 'answered_at', 'ended_at']);

const BATCH = 5_000;

export async function seedSqlite(dbPath: string, plan: SeedPlan, progress: (line: string) => void): Promise<void> {
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const insert = (table: string, cols: string[]) => db.prepare(`insert into ${table} (${cols.join(', ')}) values (${cols.map(() => '?').join(', ')})`);
  const p = insert('prospect', PROSPECT_COLUMNS);
  const a = insert('application', APPLICATION_COLUMNS);
  const l = insert('call_activity', LEG_COLUMNS);
  const rnd = prng(42);
  const write = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const row = leadRow(plan, i, rnd);
      p.run(...row.prospect);
      if (row.application) a.run(...row.application);
      for (const leg of row.legs) l.run(...leg);
    }
  });
  for (let i = 0; i < plan.prospects; i += BATCH * 10) {
    write(i, Math.min(plan.prospects, i + BATCH * 10));
    if (i % 100_000 === 0) progress(`sqlite: ${i.toLocaleString('en-US')} leads written`);
    // Between transactions: lets Ctrl-C (the runner's cleanup) in.
    await new Promise((r) => setImmediate(r));
  }
  // Rows written with a past updated_at are not noticed by the stored days (docs/reports.md): as
  // after any import of history, drop the stored state so the restart builds every day.
  db.exec('delete from report_state');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('analyze');
  db.close();
}

export async function seedPostgres(url: string, plan: SeedPlan, progress: (line: string) => void): Promise<void> {
  const pg: Knex = knex({ client: 'pg', connection: url, pool: { min: 1, max: 1 } });
  try {
    const rnd = prng(42);
    const insert = (table: string, cols: string[], types: string[], rows: unknown[][]) => {
      if (!rows.length) return Promise.resolve();
      const arrays = cols.map((_, c) => rows.map((r) => r[c]));
      const select = cols.map((col, c) => (TIMES.has(col) ? `to_timestamp(u.c${c} / 1000.0)` : `u.c${c}`)).join(', ');
      const unnest = types.map((t, c) => `?::${TIMES.has(cols[c]) ? 'float8' : t}[]`).join(', ');
      return pg.raw(`insert into ${table} (${cols.join(', ')}) select ${select} from unnest(${unnest}) as u(${cols.map((_, c) => `c${c}`).join(', ')})`, arrays as unknown as Knex.RawBinding[]);
    };
    const prospectTypes = PROSPECT_COLUMNS.map((c) => (c === 'extra' ? 'jsonb' : c === 'ignored' ? 'boolean' : 'text'));
    const appTypes = APPLICATION_COLUMNS.map(() => 'text');
    const legTypes = LEG_COLUMNS.map((c) => (c === 'talk_seconds' ? 'int' : 'text'));
    for (let i = 0; i < plan.prospects; i += BATCH) {
      const rows = Array.from({ length: Math.min(BATCH, plan.prospects - i) }, (_, k) => leadRow(plan, i + k, rnd));
      await pg.transaction(async (trx) => {
        const run = (table: string, cols: string[], types: string[], r: unknown[][]) => (insert(table, cols, types, r) as Knex.Raw).transacting(trx);
        await run('prospect', PROSPECT_COLUMNS, prospectTypes, rows.map((r) => r.prospect.map((v, c) => (PROSPECT_COLUMNS[c] === 'ignored' ? false : v))));
        await run('application', APPLICATION_COLUMNS, appTypes, rows.flatMap((r) => (r.application ? [r.application] : [])));
        await run('call_activity', LEG_COLUMNS, legTypes, rows.flatMap((r) => r.legs));
      });
      if (i % 100_000 === 0) progress(`postgres: ${i.toLocaleString('en-US')} leads written`);
    }
    await pg.raw('delete from report_state'); // as on SQLite: the restart builds every day
    await pg.raw('analyze');
  } finally {
    await pg.destroy();
  }
}
