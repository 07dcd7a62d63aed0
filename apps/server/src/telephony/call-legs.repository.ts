import { EntityManager, raw } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import type { LocalPresenceCandidate } from '@leadline/domain';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { CallActivity, LocalPresenceMapping, Org, PhoneCall, PhoneCallKind, User } from '../database/entities';
import { newId } from '../database/entities/base';
import { GroupedWrites } from '../database/grouped-writes';
import type { SqlDialect } from '../database/portable-schema';
import { placeholder, PreparedSql, preparedSql, PreparedStatements } from '../database/prepared-sql';
import { WebhookOutboxRepository } from '../webhooks/webhook-outbox.repository';
import { BORROWER_LEG_PURPOSES } from '../webhooks/webhook-payload.util';
import { callOwner, ownedIn, RecoveryScope } from './call-owner';
import type { AdoptableRows } from './conversation/live-call.repository';

/**
 * Agents marked on a call, each guarded by "not on a call now" (params: since, owner, the ids: a
 * JSON array on SQLite, an array on PostgreSQL); RETURNING names exactly the rows it changed. Found
 * by their ids: no index holds everyone not on a call (Migration20261220000000OnCallIndex: one did,
 * and both planners searched it instead of the primary key).
 */
export const reserveAgentsSql = (dialect: SqlDialect) =>
  `update app_user set on_call_since = ${placeholder(dialect, 1)}, on_call_owner = ${placeholder(dialect, 2)}
    where ${dialect === 'sqlite' ? 'id in (select value from json_each(?))' : 'id = any($3::text[])'} and on_call_since is null
    returning id`;

/** A call-activity row's columns as a new leg writes them (the others start null). */
const ACTIVITY_COLUMNS = ['id', 'org_id', 'prospect_id', 'call_id', 'direction', 'purpose', 'from_number', 'to_number', 'user_id', 'channel_id', 'caller_id_reason', 'detail', 'owner', 'started_at', 'updated_at', 'result'];
const CALL_COLUMNS = ['id', 'org_id', 'kind', 'owner', 'prospect_id', 'phase', 'started_at'];

/** `rows` rows of `columns` in one INSERT (numbered placeholders, row after row). */
const insertSql = (dialect: SqlDialect, table: string, columns: string[], rows: number) => {
  const values = Array.from({ length: rows }, (_, r) => `(${columns.map((_c, i) => placeholder(dialect, r * columns.length + i + 1)).join(', ')})`);
  return `insert into ${table} (${columns.join(', ')}) values ${values.join(', ')}`;
};

const NOTHING_KEPT: AdoptableRows = { callIds: [], activityIds: [], userIds: [] };
const notIn = (field: string, ids: string[]): Record<string, unknown> => (ids.length ? { [field]: { $nin: ids } } : {});

export type ActivityPatch = Partial<Pick<CallActivity, 'answeredAt' | 'endedAt' | 'ringSeconds' | 'talkSeconds' | 'result' | 'recording' | 'fromNumber' | 'callerIdReason' | 'detail' | 'recordingRule' | 'recordingRuleState' | 'recordingRuleStateFrom'>>;

export interface NewActivity {
  /** The row's id when the caller needs it before the row is written (a new one otherwise). */
  id?: string;
  orgId: string;
  prospectId: string | null;
  /** The call the leg belongs to. */
  callId: string | null;
  direction: 'outbound' | 'inbound';
  purpose: string;
  fromNumber: string | null;
  toNumber: string | null;
  userId: string | null;
  channelId: string;
  callerIdReason?: string | null;
  detail?: string | null;
}

export interface NewCall {
  id: string;
  orgId: string;
  kind: PhoneCallKind;
  prospectId: string | null;
}

export type CallPatch = Partial<Pick<PhoneCall, 'phase' | 'bridgeId' | 'recording' | 'connectedAt' | 'endedAt'>>;

/** The columns of a leg's and a call's patches (written as plain SQL: they are on every leg's path). */
const ACTIVITY_PATCH_COLUMNS: Record<keyof ActivityPatch, string> = {
  answeredAt: 'answered_at',
  endedAt: 'ended_at',
  ringSeconds: 'ring_seconds',
  talkSeconds: 'talk_seconds',
  result: 'result',
  recording: 'recording',
  fromNumber: 'from_number',
  callerIdReason: 'caller_id_reason',
  detail: 'detail',
  recordingRule: 'recording_rule',
  recordingRuleState: 'recording_rule_state',
  recordingRuleStateFrom: 'recording_rule_state_from',
};
const CALL_PATCH_COLUMNS: Record<keyof CallPatch, string> = { phase: 'phase', bridgeId: 'bridge_id', recording: 'recording', connectedAt: 'connected_at', endedAt: 'ended_at' };

/**
 * What every call writes, whatever its kind: its row and its legs' call activity, and the agents
 * it holds as "on a call". It runs outside HTTP requests: each call forks.
 */
@Injectable()
export class CallLegRepository {
  /** This instance, as stamped on the calls, reservations and legs it runs. */
  readonly owner: string;
  private readonly sql: PreparedSql;
  private readonly reserveSql: string;
  /**
   * Legs' patches, agents' marks and calls' phases: many legs are answered and end close together
   * (a round's losers, twenty rounds at once), and on SQLite each commit is an fsync.
   */
  private readonly writes: GroupedWrites;

  constructor(
    private readonly em: EntityManager,
    config: AppConfig,
    private readonly outbox: WebhookOutboxRepository,
    private readonly clock: Clock,
  ) {
    this.owner = callOwner(config.ari);
    this.sql = preparedSql(em, 'call_legs');
    this.reserveSql = reserveAgentsSql(this.sql.dialect);
    this.writes = new GroupedWrites(em, this.sql);
  }

  /**
   * Marks agents as on a call, each guarded by "not on a call", in one statement: two calls never
   * ring the same agent. Returns the ids actually reserved, in the order given. `on`: a
   * transaction of the caller's to run in (a ring-all round's start: DistributionRepository.beginWith).
   */
  async reserveAgents(agentIds: string[], now: Date, on: PreparedStatements = this.sql): Promise<string[]> {
    if (!agentIds.length) return [];
    // One prepared statement for all of them (a round rings up to 10): each row is still guarded on
    // its own. It runs before a round's first ring: no query built, nothing hydrated.
    const ids = this.sql.dialect === 'sqlite' ? JSON.stringify(agentIds) : agentIds;
    const rows = await on.all<{ id: string }>('reserve_agents', this.reserveSql, [this.sql.date(now), this.owner, ids]);
    const reserved = new Set(rows.map((r) => r.id));
    return agentIds.filter((id) => reserved.has(id));
  }

  /** Marks an agent as on a call whether or not they already were (a second call of their own). */
  async markOnCall(agentId: string, now: Date): Promise<void> {
    const { dialect } = this.sql;
    await this.writes.sqlStatement(
      'mark_on_call',
      `update app_user set on_call_since = ${placeholder(dialect, 1)}, on_call_owner = ${placeholder(dialect, 2)} where id = ${placeholder(dialect, 3)} and on_call_since is null`,
      [this.sql.date(now), this.owner, agentId],
    );
  }

  /** An agent on a call this instance took over: on a call (since now, unless they already were), owned by this instance. */
  async holdForAdoptedCall(agentId: string, now: Date): Promise<void> {
    const em = this.em.fork();
    await em.nativeUpdate(User, { id: agentId, onCallSince: null }, { onCallSince: now });
    await em.nativeUpdate(User, { id: agentId }, { onCallOwner: this.owner });
  }

  async releaseAgent(agentId: string, endedAt: Date): Promise<void> {
    const { dialect } = this.sql;
    await this.writes.sqlStatement(
      'release_agent',
      `update app_user set on_call_since = null, on_call_owner = null, last_call_ended_at = ${placeholder(dialect, 1)} where id = ${placeholder(dialect, 2)}`,
      [this.sql.date(endedAt), agentId],
    );
  }

  /** The org a call belongs to (its caller IDs and dialling policy). */
  org(orgId: string): Promise<Org> {
    return this.em.fork().findOneOrFail(Org, { id: orgId });
  }

  /**
   * A call's row with its first legs' rows, in one commit; the legs' row ids, in order. Plain SQL
   * (one INSERT per table): a ring-all round writes these while its phones ring.
   */
  async openCall(c: NewCall, legs: NewActivity[] = []): Promise<string[]> {
    const { sql } = this;
    const rows = legs.map((a) => this.activityValues(a));
    await sql.transaction(async (tx) => {
      await tx.run('insert_call', insertSql(sql.dialect, 'phone_call', CALL_COLUMNS, 1), [c.id, c.orgId, c.kind, this.owner, c.prospectId, 'setup', sql.date(new Date())]);
      if (rows.length) await tx.run(`insert_activities_${rows.length}`, insertSql(sql.dialect, 'call_activity', ACTIVITY_COLUMNS, rows.length), rows.flat());
    });
    return rows.map((r) => r[0] as string);
  }

  async updateCall(id: string, patch: CallPatch): Promise<void> {
    const update = this.patchStatement('call', 'phone_call', CALL_PATCH_COLUMNS, patch, id);
    if (update) await this.writes.sqlStatement(update.key, update.sql, update.params);
  }

  async openActivity(a: NewActivity): Promise<string> {
    return (await this.openActivities([a]))[0];
  }

  /** Several call-activity rows in one INSERT (one commit for all the legs of a round). */
  async openActivities(legs: NewActivity[]): Promise<string[]> {
    if (!legs.length) return [];
    const rows = legs.map((a) => this.activityValues(a));
    await this.sql.run(`insert_activities_${rows.length}`, insertSql(this.sql.dialect, 'call_activity', ACTIVITY_COLUMNS, rows.length), rows.flat());
    return rows.map((r) => r[0] as string);
  }

  /** A new leg's values, in ACTIVITY_COLUMNS' order. */
  private activityValues(a: NewActivity): unknown[] {
    const { sql } = this;
    // The clock dial mode schedules by: the state calling rules count these calls against it.
    const startedAt = sql.date(this.clock.now());
    return [a.id ?? newId(), a.orgId, a.prospectId, a.callId, a.direction, a.purpose, a.fromNumber, a.toNumber, a.userId, a.channelId, a.callerIdReason ?? null, a.detail ?? null, this.owner, startedAt, sql.date(new Date()), 'ringing'];
  }

  /**
   * Patches a call leg. The patch that ends it (sets endedAt for the first time) also writes its
   * call.ended / inbound.missed webhook events, in the same transaction.
   */
  async updateActivity(id: string, patch: ActivityPatch): Promise<void> {
    if (!patch.endedAt) {
      const update = this.patchStatement('leg', 'call_activity', ACTIVITY_PATCH_COLUMNS, patch, id);
      if (update) await this.writes.sqlStatement(update.key, update.sql, update.params);
      return;
    }
    await this.writes.run(async (em) => {
      // Guarded: of two patches that end the same leg, only the first reports it.
      if (await em.nativeUpdate(CallActivity, { id, endedAt: null }, patch)) await this.outbox.callLegEnded(em, id);
      else await em.nativeUpdate(CallActivity, { id }, patch);
    });
  }

  /**
   * Ends an agent's leg (ten per ring-all round): agents' legs report no webhook event, so the
   * first end is one plain UPDATE, guarded by "not ended" and by the leg's purpose. A leg it does
   * not change (ended before, or a borrower's leg after all) takes updateActivity's transaction.
   */
  async endAgentLeg(id: string, patch: ActivityPatch & { endedAt: Date }): Promise<void> {
    const { dialect } = this.sql;
    const notReporting = (first: number) => `ended_at is null and purpose not in (${BORROWER_LEG_PURPOSES.map((_p, i) => placeholder(dialect, first + i)).join(', ')})`;
    const end = this.patchStatement('leg_end', 'call_activity', ACTIVITY_PATCH_COLUMNS, patch, id, { sql: notReporting, params: BORROWER_LEG_PURPOSES });
    if (end && (await this.writes.sqlStatement(end.key, end.sql, end.params))) return;
    await this.updateActivity(id, patch);
  }

  /**
   * `update <table> set <the patch's columns> where id = … [and <guard>]`, or null for an empty
   * patch. Its key names the columns it sets, so each shape of patch is one prepared statement.
   * The guard's placeholders are numbered from `first`, after the patch's and the id's.
   */
  private patchStatement<P extends object>(
    name: string,
    table: string,
    columns: Record<keyof P, string>,
    patch: P,
    id: string,
    guard?: { sql: (first: number) => string; params: readonly unknown[] },
  ): { key: string; sql: string; params: unknown[] } | null {
    const { dialect } = this.sql;
    const set: string[] = [];
    const params: unknown[] = [];
    let mask = 0;
    (Object.keys(columns) as (keyof P)[]).forEach((field, bit) => {
      const value = patch[field];
      if (value === undefined) return;
      mask |= 1 << bit;
      params.push(value instanceof Date ? this.sql.date(value) : value);
      set.push(`${columns[field]} = ${placeholder(dialect, params.length)}`);
    });
    if (!set.length) return null;
    params.push(id);
    const where = `id = ${placeholder(dialect, params.length)}${guard ? ` and ${guard.sql(params.length + 1)}` : ''}`;
    return { key: `${name}_${mask}`, sql: `update ${table} set ${set.join(', ')} where ${where}`, params: [...params, ...(guard?.params ?? [])] };
  }

  /** A leg that moved to another call (attended transfer). */
  async moveActivity(id: string, callId: string): Promise<void> {
    const em = this.em.fork();
    await em.nativeUpdate(CallActivity, { id }, { call: em.getReference(PhoneCall, callId) });
  }

  async setActivityUser(id: string, userId: string): Promise<void> {
    const em = this.em.fork();
    await em.nativeUpdate(CallActivity, { id }, { user: em.getReference(User, userId) });
  }

  /** The org's local presence numbers with their area codes and today's (UTC) outbound calls: two queries, whatever the count. */
  async localPresence(orgId: string, now: Date): Promise<LocalPresenceCandidate[]> {
    const em = this.em.fork();
    const mappings = await em.find(LocalPresenceMapping, { number: { org: orgId } }, { populate: ['number'] });
    const byNumber = new Map<string, string[]>();
    for (const m of mappings) byNumber.set(m.number.number, [...(byNumber.get(m.number.number) ?? []), m.areaCode]);
    if (!byNumber.size) return [];
    const startOfDay = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    const used = await em
      .createQueryBuilder(CallActivity, 'a')
      .select(['a.fromNumber', raw('count(*) as n')])
      .where({ org: orgId, fromNumber: { $in: [...byNumber.keys()] }, direction: 'outbound', startedAt: { $gte: startOfDay } })
      .groupBy('a.fromNumber')
      .execute<{ fromNumber: string; n: number | string }[]>('all', true);
    const usedToday = new Map(used.map((r) => [r.fromNumber, Number(r.n)]));
    return [...byNumber].map(([number, areaCodes]) => ({ number, areaCodes, usedToday: usedToday.get(number) ?? 0 }));
  }

  // ---- recovery after a crash or restart ----

  /** Agents marked on a call that no open call leg of theirs explains. */
  async reservationsWithoutLeg(): Promise<{ agentId: string; since: Date }[]> {
    const em = this.em.fork();
    const reserved = await em.find(User, { onCallSince: { $ne: null } }, { fields: ['id', 'onCallSince'] });
    if (!reserved.length) return [];
    const open = await em.find(CallActivity, { endedAt: null, user: { $in: reserved.map((u) => u.id) } }, { fields: ['user'] });
    const onLegs = new Set(open.map((a) => a.user?.id));
    return reserved.filter((u) => !onLegs.has(u.id)).map((u) => ({ agentId: u.id, since: u.onCallSince! }));
  }

  /** Frees an agent still under the reservation made at `since`; false when it changed meanwhile (another instance freed it). */
  async releaseReservation(agentId: string, since: Date, now: Date): Promise<boolean> {
    return (await this.em.fork().nativeUpdate(User, { id: agentId, onCallSince: since }, { onCallSince: null, onCallOwner: null, lastCallEndedAt: now })) === 1;
  }

  /** Agents of a previous process are not on a call we know of — but for the connected calls adopted at link-up (`keep`). */
  async releaseAgents(scope: RecoveryScope, keep: AdoptableRows = NOTHING_KEPT): Promise<number> {
    return this.em.fork().nativeUpdate(User, { onCallSince: { $ne: null }, ...ownedIn('onCallOwner', scope), ...notIn('id', keep.userIds) }, { onCallSince: null, onCallOwner: null });
  }

  /** Open calls and call-activity rows of a previous process get closed as interrupted (legs with their call.ended events), but for the connected calls adopted at link-up (`keep`). */
  async closeOpenActivities(at: Date, scope: RecoveryScope, keep: AdoptableRows = NOTHING_KEPT): Promise<number> {
    return this.em.fork().transactional(async (em) => {
      await em.nativeUpdate(PhoneCall, { endedAt: null, ...ownedIn('owner', scope), ...notIn('id', keep.callIds) }, { endedAt: at, phase: 'ended' });
      const open = await em.find(CallActivity, { endedAt: null, ...ownedIn('owner', scope), ...notIn('id', keep.activityIds) }, { fields: ['id'] });
      if (!open.length) return 0;
      const ids = open.map((r) => r.id);
      await em.nativeUpdate(CallActivity, { id: { $in: ids }, endedAt: null }, { endedAt: at, result: 'interrupted' });
      for (const id of ids) await this.outbox.callLegEnded(em, id);
      return ids.length;
    });
  }
}
