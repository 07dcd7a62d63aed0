// The lookup alone: what InboundService reads and decides to route a call, run through the
// server's own code (lookUpInbound with InboundRepository and CallbackRepository on MikroORM's
// connection pool: org, the caller's lead, the available licensed agents, the local-presence DID
// check, the eligibility pick), with the server stopped. Also each repository read on its own, and
// the same SQL texts (inbound-lookup.sql.ts) on a bare better-sqlite3 connection (statements
// prepared once): what the statements cost without the pool and the row mapping. EXPLAIN QUERY
// PLAN of each.
import 'reflect-metadata';
import Database from 'better-sqlite3';
import { MikroORM } from '@mikro-orm/better-sqlite';
import { performance } from 'node:perf_hooks';
import { mikroOrmOptions } from '../../apps/server/src/database/mikro-orm.config';
import { InboundRepository } from '../../apps/server/src/inbound/inbound.repository';
import { availableSql, licenceParams, matchLeadSql } from '../../apps/server/src/inbound/inbound-lookup.sql';
import { lookUpInbound } from '../../apps/server/src/inbound/inbound-lookup';
import { CallbackRepository } from '../../apps/server/src/local-presence/callback.repository';
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
  /** The same SQL on a bare better-sqlite3 connection. */
  raw: { match: Spread; available: Spread; availableWhere: Spread; total: Spread };
  /** The server's code: lookUpInbound (the whole lookup and pick), and its two main reads on their own. */
  server: { lookup: Spread; matchLead: Spread; available: Spread };
  /** Rows available() returns, and how many rows its plan's index hands SQLite to filter. */
  availableRows: number;
  availableVisited?: { index: string; rows: number };
  users: number;
  /** Lookups whose lead or agents differ from what the seeding says. */
  mismatches: string[];
}

const ms = (from: number) => performance.now() - from;

function planOf(db: Database.Database, name: string, sql: string, params: unknown[]): QueryPlan {
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[];
  const lines = rows.map((r) => r.detail);
  return { name, sql, lines, scans: lines.filter((l) => /^SCAN\b/.test(l)) };
}

/** `agentIds`: the agents licensed for the routed state (every call must pick exactly these, longest idle first). */
export async function measureLookup(dbFile: string, orgId: string, callers: Caller[], iterations: number, did: string, agentIds: string[]): Promise<LookupResult> {
  const orm = await MikroORM.init({ ...mikroOrmOptions({ kind: 'sqlite', path: dbFile }), debug: false });
  const db = new Database(dbFile, { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  try {
    const inbound = new InboundRepository(orm.em);
    const deps = { inbound, callbacks: new CallbackRepository(orm.em), maxAgents: RING_LIMIT, log: () => undefined };
    const mismatches: string[] = [];
    const expectedAgents = [...agentIds].sort().join(',');

    // The routed agents idle the shortest (as after their last call): available walks every available
    // user, longest idle first, before it reaches them. Their real call times come with the calls.
    const placeholders = agentIds.map(() => '?').join(', ');
    db.prepare(`update app_user set last_call_ended_at = ? where id in (${placeholders})`).run(Date.now(), ...agentIds);

    const matchSql = matchLeadSql('sqlite');
    const availSql = availableSql('sqlite', true);
    const availableParams = [orgId, ...licenceParams('sqlite', ROUTED_STATE), RING_LIMIT];
    const matchStmt = db.prepare(matchSql);
    const availableStmt = db.prepare(availSql);
    // The same FROM and WHERE, every row that passes counted: what the query would cost without the
    // index order and the LIMIT that let it stop after the longest-idle few.
    const availableWhereStmt = db.prepare(availSql.replace(/^select .*? from /s, 'select count(*) as n from ').replace(/order by .*$/s, ''));

    const raw = { match: [] as number[], available: [] as number[], availableWhere: [] as number[], total: [] as number[] };
    const server = { lookup: [] as number[], matchLead: [] as number[], available: [] as number[] };
    let availableRows = 0;
    const warmUp = Math.min(50, iterations);
    for (let i = 0; i < warmUp + iterations; i++) {
      const c = callers[i % callers.length];
      const counted = i >= warmUp;

      let t = performance.now();
      matchStmt.get(c.phone, orgId);
      const tMatch = ms(t);
      t = performance.now();
      availableRows = availableStmt.all(...availableParams).length;
      const tAvailable = ms(t);
      t = performance.now();
      availableWhereStmt.get(...availableParams.slice(0, -1));
      const tAvailableWhere = ms(t);

      t = performance.now();
      const picked = await lookUpInbound(deps, did, c.phone);
      const tLookup = ms(t);
      t = performance.now();
      await inbound.matchLead(orgId, c.phone);
      const tServerMatch = ms(t);
      t = performance.now();
      await inbound.available(orgId, ROUTED_STATE, RING_LIMIT);
      const tServerAvailable = ms(t);

      if (mismatches.length < 5) {
        if ((picked?.lead?.prospectId ?? null) !== c.prospectId) mismatches.push(`${c.kind} ${c.phone}: matched ${picked?.lead?.prospectId ?? 'nothing'}, seeded ${c.prospectId ?? 'nothing'}`);
        const got = (picked?.picked ?? []).map((a) => a.id);
        if ([...got].sort().join(',') !== expectedAgents) mismatches.push(`${c.kind} ${c.phone}: picked ${got.length} agent(s) ${got.join(', ')}, expected the ${agentIds.length} licensed for ${ROUTED_STATE}`);
      }
      if (!counted) continue;
      raw.match.push(tMatch);
      raw.available.push(tAvailable);
      raw.availableWhere.push(tAvailableWhere);
      raw.total.push(tMatch + tAvailable);
      server.lookup.push(tLookup);
      server.matchLead.push(tServerMatch);
      server.available.push(tServerAvailable);
    }

    // Plans, with the parameters of a real call (a repeat lead: two prospects under the number).
    const repeat = callers.find((c) => c.kind === 'repeat-lead') ?? callers[0];
    const plans = [
      planOf(db, "matchLead: the caller's lead (prospect_phone ⋈ prospect ⋈ campaign ⟕ application)", matchSql, [repeat.phone, orgId]),
      planOf(db, 'available: logged in, calls on, not on a call, licensed, with a phone', availSql, availableParams),
    ];
    const users = (db.prepare('select count(*) as n from app_user').get() as { n: number }).n;
    const index = /USING (?:COVERING )?INDEX (\S+)/.exec(plans[1].lines.join('\n'))?.[1];
    let availableVisited: LookupResult['availableVisited'];
    if (index) {
      const info = db.prepare(`select sql from sqlite_master where type = 'index' and name = ?`).get(index) as { sql: string | null } | undefined;
      const where = info?.sql ? /\bwhere\b(.*)$/is.exec(info.sql)?.[1] : undefined;
      const cols = (db.prepare(`select name from pragma_index_info(?) order by seqno`).all(index) as { name: string }[]).map((r) => r.name);
      const rows = where
        ? (db.prepare(`select count(*) as n from app_user where org_id = ? and (${where})`).get(orgId) as { n: number }).n
        : cols[0] === 'on_call_since'
          ? (db.prepare('select count(*) as n from app_user where on_call_since is null').get() as { n: number }).n
          : cols[0] === 'org_id'
            ? (db.prepare('select count(*) as n from app_user where org_id = ?').get(orgId) as { n: number }).n
            : undefined;
      if (rows !== undefined) availableVisited = { index, rows };
    }

    return {
      iterations,
      plans,
      raw: { match: spread(raw.match), available: spread(raw.available), availableWhere: spread(raw.availableWhere), total: spread(raw.total) },
      server: { lookup: spread(server.lookup), matchLead: spread(server.matchLead), available: spread(server.available) },
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
