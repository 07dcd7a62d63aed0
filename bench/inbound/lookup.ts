// The lookup alone: what InboundService reads to route a call — InboundRepository.matchLead (two
// queries: the caller's prospect_phone rows joined to their prospect and campaign, then those
// prospects' applications) and InboundRepository.available (everyone who could take a call).
// Timed twice on the seeded file, server stopped: through the server's own repository and
// MikroORM options (what a call really costs, hydration included), and as the very SQL MikroORM
// logged for it, run with better-sqlite3 (statements prepared once). EXPLAIN QUERY PLAN of each.
import 'reflect-metadata';
import Database from 'better-sqlite3';
import { MikroORM } from '@mikro-orm/better-sqlite';
import { performance } from 'node:perf_hooks';
import { mikroOrmOptions } from '../../apps/server/src/database/mikro-orm.config';
import { InboundRepository } from '../../apps/server/src/inbound/inbound.repository';
import { spread, Spread } from '../ring-all/measure';
import type { Caller } from './seed';

/** What the benchmark's calls route to: Texas callers, ten agents rung at most (INBOUND_MAX_AGENTS). */
const ROUTED_STATE = 'TX';
const RING_LIMIT = 10;

export interface QueryPlan {
  name: string;
  sql: string;
  lines: string[];
  /** Plan lines that read a whole table or index (`SCAN …`). */
  scans: string[];
}

export interface LookupResult {
  iterations: number;
  plans: QueryPlan[];
  raw: { phone: Spread; application: Spread; available: Spread; availableWhere: Spread; total: Spread };
  orm: { matchLead: Spread; available: Spread; total: Spread };
  /** Rows available() returns, and how many rows its plan's index hands SQLite to filter. */
  availableRows: number;
  availableVisited?: { index: string; rows: number };
  users: number;
  /** matchLead answers that differ from what the seeding says the caller must match. */
  mismatches: string[];
}

const ms = (from: number) => performance.now() - from;

function planOf(db: Database.Database, name: string, sql: string, params: unknown[]): QueryPlan {
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[];
  const lines = rows.map((r) => r.detail);
  return { name, sql, lines, scans: lines.filter((l) => /^SCAN\b/.test(l)) };
}

export async function measureLookup(dbFile: string, orgId: string, callers: Caller[], iterations: number): Promise<LookupResult> {
  const logged: string[] = [];
  const orm = await MikroORM.init({ ...mikroOrmOptions({ kind: 'sqlite', path: dbFile }), debug: ['query'], colors: false, logger: (m: string) => logged.push(m) });
  const db = new Database(dbFile, { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  try {
    const repo = new InboundRepository(orm.em);
    const mismatches: string[] = [];

    // One matched single-lead call through the repository, to read the SQL it runs.
    const single = callers.find((c) => c.kind === 'lead-state') ?? callers[0];
    logged.length = 0;
    await repo.matchLead(orgId, single.phone);
    await repo.available(orgId, ROUTED_STATE, RING_LIMIT);
    const statement = (table: string) => {
      const line = logged.find((l) => l.includes(`from \`${table}\``));
      const sql = line ? /(select .*?)(?:\s*\[took [^\]]*\])?\s*$/s.exec(line.replace(/^\[query\]\s*/, ''))?.[1] : undefined;
      if (!sql) throw new Error(`MikroORM logged no query on ${table}:\n${logged.join('\n')}`);
      return sql.trim();
    };
    const phoneSql = statement('prospect_phone');
    const applicationSql = statement('application');
    const availableSql = statement('app_user');
    if (!applicationSql.includes('in (?)')) throw new Error(`unexpected application query: ${applicationSql}`);
    orm.config.getLogger().setDebugMode(false);

    // In the order of the placeholders: org, logged in, calls on, the licence state, the limit.
    const availableParams = [orgId, 1, 1, ROUTED_STATE, RING_LIMIT];
    const phoneStmt = db.prepare(phoneSql);
    const availableStmt = db.prepare(availableSql);
    // The same FROM and WHERE with nothing to hand back: what finding the rows costs, without turning them into objects.
    const availableWhereStmt = db.prepare(availableSql.replace(/^select .*? from /s, 'select count(*) as n from '));
    const applicationStmts = new Map<number, Database.Statement>();
    const applicationStmt = (n: number) => {
      let s = applicationStmts.get(n);
      if (!s) {
        s = db.prepare(applicationSql.replace('in (?)', `in (${Array<string>(n).fill('?').join(', ')})`));
        applicationStmts.set(n, s);
      }
      return s;
    };

    const raw = { phone: [] as number[], application: [] as number[], available: [] as number[], availableWhere: [] as number[], total: [] as number[] };
    const viaOrm = { matchLead: [] as number[], available: [] as number[], total: [] as number[] };
    let availableRows = 0;
    const warmUp = Math.min(50, iterations);
    for (let i = 0; i < warmUp + iterations; i++) {
      const c = callers[i % callers.length];
      const counted = i >= warmUp;

      let t = performance.now();
      const phoneRows = phoneStmt.all(c.phone, orgId) as { prospect_id: string }[];
      const tPhone = ms(t);
      t = performance.now();
      const ids = [...new Set(phoneRows.map((r) => r.prospect_id))];
      if (ids.length) applicationStmt(ids.length).all(...ids);
      const tApplication = ms(t);
      t = performance.now();
      availableRows = availableStmt.all(...availableParams).length;
      const tAvailable = ms(t);
      t = performance.now();
      availableWhereStmt.get(...availableParams);
      const tAvailableWhere = ms(t);

      t = performance.now();
      const lead = await repo.matchLead(orgId, c.phone);
      const tMatch = ms(t);
      t = performance.now();
      await repo.available(orgId, ROUTED_STATE, RING_LIMIT);
      const tOrmAvailable = ms(t);

      if ((lead?.prospectId ?? null) !== c.prospectId && mismatches.length < 5) mismatches.push(`${c.kind} ${c.phone}: matched ${lead?.prospectId ?? 'nothing'}, seeded ${c.prospectId ?? 'nothing'}`);
      if (!counted) continue;
      raw.phone.push(tPhone);
      if (ids.length) raw.application.push(tApplication);
      raw.available.push(tAvailable);
      raw.availableWhere.push(tAvailableWhere);
      raw.total.push(tPhone + tApplication + tAvailable);
      viaOrm.matchLead.push(tMatch);
      viaOrm.available.push(tOrmAvailable);
      viaOrm.total.push(tMatch + tOrmAvailable);
    }

    // Plans, with the parameters of a real call (a repeat lead's two prospects for the IN list).
    const repeat = callers.find((c) => c.kind === 'repeat-lead') ?? single;
    const repeatIds = [...new Set((phoneStmt.all(repeat.phone, orgId) as { prospect_id: string }[]).map((r) => r.prospect_id))];
    const plans = [
      planOf(db, 'matchLead 1: prospect_phone ⋈ prospect ⋈ campaign by phone', phoneSql, [repeat.phone, orgId]),
      planOf(db, `matchLead 2: applications of the matched prospects`, applicationSql.replace('in (?)', `in (${repeatIds.map(() => '?').join(', ')})`), repeatIds),
      planOf(db, 'available: logged in, calls on, not on a call, licensed, with a phone', availableSql, availableParams),
    ];
    const users = (db.prepare('select count(*) as n from app_user').get() as { n: number }).n;
    const index = /USING (?:COVERING )?INDEX (\S+)/.exec(plans[2].lines.join('\n'))?.[1];
    let availableVisited: LookupResult['availableVisited'];
    if (index) {
      const cols = (db.prepare(`select name from pragma_index_info(?) order by seqno`).all(index) as { name: string }[]).map((r) => r.name);
      const first = cols[0];
      const rows =
        first === 'on_call_since'
          ? (db.prepare('select count(*) as n from app_user where on_call_since is null').get() as { n: number }).n
          : first === 'org_id'
            ? (db.prepare('select count(*) as n from app_user where org_id = ?').get(orgId) as { n: number }).n
            : undefined;
      if (rows !== undefined) availableVisited = { index, rows };
    }

    return {
      iterations,
      plans,
      raw: { phone: spread(raw.phone), application: spread(raw.application), available: spread(raw.available), availableWhere: spread(raw.availableWhere), total: spread(raw.total) },
      orm: { matchLead: spread(viaOrm.matchLead), available: spread(viaOrm.available), total: spread(viaOrm.total) },
      availableRows,
      availableVisited,
      users,
      mismatches,
    };
  } finally {
    db.close();
    await orm.close();
  }
}
