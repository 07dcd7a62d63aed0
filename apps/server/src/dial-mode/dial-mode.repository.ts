import { raw } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import { CallMode, DEFAULT_DIAL_MODE_SETTINGS, DialSubState } from '@leadline/domain';
import { Application, CallingRuleHold, Campaign, DialCallingWindow, DialModeAccess, DialModeSetting, DialQueueEntry, LeadStatus, Org, Prospect, User } from '../database/entities';

/** A unit of work of the repository's own transactions, handed back to its methods. */
export type DialTx = EntityManager;

/** A campaign × call mode an operator may work. */
export interface DialScope {
  campaignId: string;
  mode: CallMode;
}

export interface QueueCount {
  campaignId: string;
  mode: CallMode;
  subState: DialSubState;
  count: number;
}

export interface NewQueueEntry {
  orgId: string;
  campaignId: string;
  prospectId: string;
  mode: CallMode;
  phone: string;
  priority: number;
  dueAt: Date;
  dialByAt: Date;
  callableAt: Date | null;
  /** The calling rule holding the lead back until callableAt (null: none). */
  callingRule: string | null;
  callingRuleHold: CallingRuleHold | null;
  enteredAt: Date;
}

export type QueueEntryPatch = Partial<Pick<DialQueueEntry, 'subState' | 'priority' | 'dueAt' | 'dialByAt' | 'callableAt' | 'callingRule' | 'callingRuleHold' | 'attempts' | 'lastResult' | 'lastDialedAt' | 'heldActiveAt'>>;

/** When a lead may be called and the rule holding it back until then, if any. */
export interface CallableSchedule {
  callableAt: Date | null;
  callingRule: string | null;
  callingRuleHold: CallingRuleHold | null;
}

export interface QueueFilter {
  campaignId?: string;
  mode?: CallMode;
  subState?: DialSubState;
}

// The queue order (libs/domain compareQueueOrder), as SQL.
const QUEUE_ORDER = { priority: 'desc', dialByAt: 'asc', dueAt: 'asc', id: 'asc' } as const;

/** Everything dial mode reads and writes. Called from requests and from DbContext.run. */
@Injectable()
export class DialModeRepository {
  constructor(private readonly em: EntityManager) {}

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.em.fork().transactional(work);
  }

  // ---- campaigns, statuses, settings, access, window ----

  campaign(orgId: string, id: string): Promise<Campaign | null> {
    return this.em.findOne(Campaign, { id, org: orgId });
  }

  campaigns(orgId: string): Promise<Campaign[]> {
    return this.em.find(Campaign, { org: orgId }, { orderBy: { name: 'asc', id: 'asc' } });
  }

  statuses(campaignId: string): Promise<LeadStatus[]> {
    return this.em.find(LeadStatus, { campaign: campaignId }, { orderBy: { position: 'asc', createdAt: 'asc', id: 'asc' } });
  }

  status(orgId: string, id: string): Promise<LeadStatus | null> {
    return this.em.findOne(LeadStatus, { id, org: orgId });
  }

  initialStatus(campaignId: string): Promise<LeadStatus | null> {
    return this.em.findOne(LeadStatus, { campaign: campaignId, isInitial: true });
  }

  async statusNameTaken(campaignId: string, name: string, exceptId?: string): Promise<boolean> {
    return (await this.em.count(LeadStatus, { campaign: campaignId, name, ...(exceptId ? { id: { $ne: exceptId } } : {}) })) > 0;
  }

  createStatus(orgId: string, campaignId: string, fields: Pick<LeadStatus, 'name' | 'addToDialMode' | 'callMode' | 'isInitial' | 'position'>): LeadStatus {
    return this.em.create(LeadStatus, { org: this.em.getReference(Org, orgId), campaign: this.em.getReference(Campaign, campaignId), ...fields, createdAt: new Date() });
  }

  /** Only one initial status per campaign. */
  async clearInitial(campaignId: string, exceptId: string): Promise<void> {
    await this.em.nativeUpdate(LeadStatus, { campaign: campaignId, isInitial: true, id: { $ne: exceptId } }, { isInitial: false });
  }

  async statusInUse(statusId: string): Promise<boolean> {
    return (await this.em.count(Prospect, { leadStatusId: statusId })) > 0;
  }

  async removeStatus(status: LeadStatus): Promise<void> {
    await this.em.remove(status).flush();
  }

  async flush(): Promise<void> {
    await this.em.flush();
  }

  setting(campaignId: string, mode: CallMode): Promise<DialModeSetting | null> {
    return this.em.findOne(DialModeSetting, { campaign: campaignId, mode }, { populate: ['exhaustedStatus'] });
  }

  settingsOf(campaignIds: string[]): Promise<DialModeSetting[]> {
    return campaignIds.length ? this.em.find(DialModeSetting, { campaign: { $in: campaignIds } }) : Promise.resolve([]);
  }

  newSetting(campaignId: string, mode: CallMode): DialModeSetting {
    const d = DEFAULT_DIAL_MODE_SETTINGS;
    return this.em.create(DialModeSetting, {
      campaign: this.em.getReference(Campaign, campaignId),
      mode,
      highPriority: d.highPriority,
      timeStandardMinutes: d.timeStandardMinutes,
      retryDelayMinutes: d.retryDelayMinutes,
      maxAttempts: d.maxAttempts,
      extraButtons: [...d.extraButtons],
      updatedAt: new Date(),
    });
  }

  statusRef(id: string): LeadStatus {
    return this.em.getReference(LeadStatus, id);
  }

  async accessUsers(campaignId: string, mode: CallMode): Promise<string[]> {
    const rows = await this.em.find(DialModeAccess, { campaign: campaignId, mode }, { orderBy: { user: 'asc' } });
    return rows.map((r) => r.user.id);
  }

  /** How many operators may work each campaign × mode of these campaigns, in one query ("campaignId/mode" → count). */
  async operatorCounts(campaignIds: string[]): Promise<Map<string, number>> {
    if (!campaignIds.length) return new Map();
    const rows = await this.em
      .createQueryBuilder(DialModeAccess, 'a')
      .select(['a.campaign', 'a.mode', raw('count(*) as n')])
      .where({ campaign: { $in: campaignIds } })
      .groupBy(['a.campaign', 'a.mode'])
      .execute<{ campaign: string; mode: CallMode; n: number | string }[]>('all', true);
    return new Map(rows.map((r) => [`${r.campaign}/${r.mode}`, Number(r.n)]));
  }

  async replaceAccess(campaignId: string, mode: CallMode, userIds: string[]): Promise<void> {
    await this.transaction(async (em) => {
      await em.nativeDelete(DialModeAccess, { campaign: campaignId, mode });
      for (const userId of userIds) em.create(DialModeAccess, { campaign: em.getReference(Campaign, campaignId), mode, user: em.getReference(User, userId) });
      await em.flush();
    });
  }

  async scopesOf(userId: string): Promise<DialScope[]> {
    const rows = await this.em.find(DialModeAccess, { user: userId });
    return rows.map((r) => ({ campaignId: r.campaign.id, mode: r.mode }));
  }

  usersInOrg(orgId: string, ids: string[]): Promise<User[]> {
    return ids.length ? this.em.find(User, { org: orgId, id: { $in: ids } }) : Promise.resolve([]);
  }

  window(campaignId: string): Promise<DialCallingWindow | null> {
    return this.em.findOne(DialCallingWindow, { campaign: campaignId });
  }

  windowsOf(campaignIds: string[]): Promise<DialCallingWindow[]> {
    return campaignIds.length ? this.em.find(DialCallingWindow, { campaign: { $in: campaignIds } }) : Promise.resolve([]);
  }

  async saveWindow(campaignId: string, startMinute: number, endMinute: number): Promise<void> {
    const existing = await this.window(campaignId);
    if (existing) Object.assign(existing, { startMinute, endMinute });
    else this.em.create(DialCallingWindow, { campaign: this.em.getReference(Campaign, campaignId), startMinute, endMinute });
    await this.em.flush();
  }

  // ---- leads ----

  prospect(orgId: string, id: string): Promise<Prospect | null> {
    return this.em.findOne(Prospect, { id, org: orgId });
  }

  async primaryAgentOf(prospectId: string): Promise<string | null> {
    const application = await this.em.findOne(Application, { prospect: prospectId }, { fields: ['primaryAgent'] });
    return application?.primaryAgent.id ?? null;
  }

  async setLeadStatus(em: EntityManager, prospectId: string, statusId: string | null): Promise<void> {
    await em.nativeUpdate(Prospect, { id: prospectId }, { leadStatusId: statusId, updatedAt: new Date() });
  }

  // ---- the queue ----

  entryOf(prospectId: string): Promise<DialQueueEntry | null> {
    return this.em.fork().findOne(DialQueueEntry, { prospect: prospectId });
  }

  entry(orgId: string, id: string): Promise<DialQueueEntry | null> {
    return this.em.fork().findOne(DialQueueEntry, { id, org: orgId }, { populate: ['prospect', 'campaign', 'lockedBy'] });
  }

  /** Puts a lead in a queue, replacing the entry it had (one entry per lead). */
  async replaceEntry(em: EntityManager, e: NewQueueEntry): Promise<string> {
    await em.nativeDelete(DialQueueEntry, { prospect: e.prospectId });
    const entry = em.create(DialQueueEntry, {
      org: em.getReference(Org, e.orgId),
      campaign: em.getReference(Campaign, e.campaignId),
      prospect: em.getReference(Prospect, e.prospectId),
      mode: e.mode,
      subState: 'unprocessed',
      phone: e.phone,
      priority: e.priority,
      dueAt: e.dueAt,
      dialByAt: e.dialByAt,
      callableAt: e.callableAt,
      callingRule: e.callingRule,
      callingRuleHold: e.callingRuleHold,
      attempts: 0,
      enteredAt: e.enteredAt,
    });
    await em.flush();
    return entry.id;
  }

  async removeEntry(em: EntityManager, prospectId: string): Promise<number> {
    return em.nativeDelete(DialQueueEntry, { prospect: prospectId });
  }

  /** The lead currently handed to an operator, if any. */
  lockedBy(userId: string): Promise<DialQueueEntry | null> {
    return this.em.fork().findOne(DialQueueEntry, { lockedBy: userId }, { populate: ['prospect', 'campaign'] });
  }

  /**
   * Due, unlocked entries in queue order, a page at a time. Leads mid-distribution (ring all,
   * distribute all) are left to their distribution.
   */
  candidates(orgId: string, scopes: DialScope[] | 'all', now: Date, offset: number, limit: number): Promise<DialQueueEntry[]> {
    return this.em.fork().find(
      DialQueueEntry,
      {
        org: orgId,
        lockedBy: null,
        callableAt: { $ne: null, $lte: now },
        prospect: { status: { $ne: 'distributing' } },
        ...(scopes === 'all' ? {} : { $or: scopes.map((s) => ({ campaign: s.campaignId, mode: s.mode })) }),
      },
      { populate: ['prospect', 'campaign'], orderBy: QUEUE_ORDER, offset, limit },
    );
  }

  /** The earliest moment an entry of these scopes becomes callable (for "nothing due until …"). */
  async nextCallableAt(orgId: string, scopes: DialScope[] | 'all', now: Date): Promise<Date | null> {
    const [row] = await this.em.fork().find(
      DialQueueEntry,
      { org: orgId, lockedBy: null, callableAt: { $gt: now }, ...(scopes === 'all' ? {} : { $or: scopes.map((s) => ({ campaign: s.campaignId, mode: s.mode })) }) },
      { fields: ['callableAt'], orderBy: { callableAt: 'asc' }, limit: 1 },
    );
    return row?.callableAt ?? null;
  }

  /** The guarded hand-out: of any number of operators taking one entry, exactly one gets it. */
  async lock(entryId: string, userId: string, now: Date): Promise<boolean> {
    const em = this.em.fork();
    return (await em.nativeUpdate(DialQueueEntry, { id: entryId, lockedBy: null }, { lockedBy: em.getReference(User, userId), lockedAt: now, heldActiveAt: now })) === 1;
  }

  /** Gives a handed-out entry back unchanged. */
  async unlock(entryId: string, userId: string): Promise<boolean> {
    return (await this.em.fork().nativeUpdate(DialQueueEntry, { id: entryId, lockedBy: userId }, { lockedBy: null, lockedAt: null, heldActiveAt: null })) === 1;
  }

  /** Something happened on the operator's hold (the lead was dialled, its call ended): its expiry starts again. */
  async touchHold(entryId: string, userId: string, now: Date): Promise<void> {
    await this.em.fork().nativeUpdate(DialQueueEntry, { id: entryId, lockedBy: userId }, { heldActiveAt: now });
  }

  /** Holds without activity since `cutoff` whose operator is not on a call (at most `limit`). */
  async staleHolds(cutoff: Date, limit: number): Promise<{ entryId: string; operatorId: string; prospectId: string; heldActiveAt: Date }[]> {
    const rows = await this.em.fork().find(
      DialQueueEntry,
      // Only held entries have a heldActiveAt; the operator's call, if any, is activity too.
      { heldActiveAt: { $lte: cutoff }, lockedBy: { onCallSince: null } },
      { fields: ['id', 'lockedBy', 'prospect', 'heldActiveAt'], orderBy: { heldActiveAt: 'asc' }, limit },
    );
    return rows.map((r) => ({ entryId: r.id, operatorId: r.lockedBy!.id, prospectId: r.prospect.id, heldActiveAt: r.heldActiveAt! }));
  }

  /**
   * Gives a stale hold back to its queue, guarded: only while the same operator still holds it, it
   * saw no activity since `cutoff` and the operator is not on a call. Every instance sweeps; exactly
   * one update wins.
   */
  async expireHold(entryId: string, operatorId: string, cutoff: Date): Promise<boolean> {
    const em = this.em.fork();
    const onCall = em.createQueryBuilder(User, 'u').select('u.id').where({ onCallSince: { $ne: null } });
    const changed = await em
      .createQueryBuilder(DialQueueEntry)
      .update({ lockedBy: null, lockedAt: null, heldActiveAt: null })
      .where({ id: entryId, lockedBy: { $eq: operatorId, $nin: onCall.getKnexQuery() }, heldActiveAt: { $lte: cutoff } })
      .execute('run');
    return (changed as { affectedRows?: number }).affectedRows === 1;
  }

  async forceUnlock(entryId: string): Promise<boolean> {
    return (await this.em.fork().nativeUpdate(DialQueueEntry, { id: entryId, lockedBy: { $ne: null } }, { lockedBy: null, lockedAt: null, heldActiveAt: null })) === 1;
  }

  /** Updates an entry the operator holds and gives it back to the queue, guarded by the lock. */
  async requeueLocked(em: EntityManager, entryId: string, userId: string, patch: QueueEntryPatch): Promise<boolean> {
    return (await em.nativeUpdate(DialQueueEntry, { id: entryId, lockedBy: userId }, { ...patch, lockedBy: null, lockedAt: null, heldActiveAt: null })) === 1;
  }

  async removeLocked(em: EntityManager, entryId: string, userId: string): Promise<boolean> {
    return (await em.nativeDelete(DialQueueEntry, { id: entryId, lockedBy: userId })) === 1;
  }

  async patchEntry(entryId: string, patch: QueueEntryPatch): Promise<void> {
    await this.em.fork().nativeUpdate(DialQueueEntry, { id: entryId }, patch);
  }

  /** Moves an unlocked entry's callable time (a calling rule refused it when it came up). */
  async deferUnlocked(entryId: string, schedule: CallableSchedule): Promise<void> {
    await this.em.fork().nativeUpdate(DialQueueEntry, { id: entryId, lockedBy: null }, schedule);
  }

  entriesOfCampaign(campaignId: string, mode?: CallMode): Promise<DialQueueEntry[]> {
    return this.em.fork().find(DialQueueEntry, { campaign: campaignId, ...(mode ? { mode } : {}) }, { populate: ['prospect'] });
  }

  /** Every held lead back to its queue, but those of `keepFor` (operators still on a call). */
  async releaseAllLocks(keepFor: string[] = []): Promise<number> {
    return this.em.fork().nativeUpdate(DialQueueEntry, { lockedBy: keepFor.length ? { $ne: null, $nin: keepFor } : { $ne: null } }, { lockedBy: null, lockedAt: null, heldActiveAt: null });
  }

  async counts(orgId: string): Promise<QueueCount[]> {
    const rows = await this.em
      .fork()
      .createQueryBuilder(DialQueueEntry, 'e')
      .select(['e.campaign', 'e.mode', 'e.subState', raw('count(*) as n')])
      .where({ org: orgId })
      .groupBy(['e.campaign', 'e.mode', 'e.subState'])
      .execute<{ campaign: string; mode: CallMode; subState: DialSubState; n: number | string }[]>('all', true);
    return rows.map((r) => ({ campaignId: r.campaign, mode: r.mode, subState: r.subState, count: Number(r.n) }));
  }

  orderList(orgId: string, filter: QueueFilter, page: number, pageSize: number): Promise<[DialQueueEntry[], number]> {
    return this.em.fork().findAndCount(
      DialQueueEntry,
      { org: orgId, ...(filter.campaignId ? { campaign: filter.campaignId } : {}), ...(filter.mode ? { mode: filter.mode } : {}), ...(filter.subState ? { subState: filter.subState } : {}) },
      { populate: ['prospect', 'campaign', 'lockedBy'], orderBy: QUEUE_ORDER, limit: pageSize, offset: (page - 1) * pageSize },
    );
  }
}
