import { EntityManager, raw } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import type { FailureReason, LocalPresenceCandidate } from '@leadline/domain';
import { AppConfig } from '../config/app-config';
import { CallActivity, Campaign, LocalPresenceMapping, Org, Prospect, User } from '../database/entities';
import { callOwner } from '../telephony/call-owner';

/**
 * Whose leftovers a recovery touches: `all` (no other instance runs), the rows of every owner
 * but the live ones (`except`; rows without an owner included), or only these owners' (`only`).
 */
export type RecoveryScope = { all: true } | { except: string[] } | { only: string[] };

function ownedIn<T extends string>(field: T, scope: RecoveryScope): Record<string, unknown> {
  if ('all' in scope) return {};
  if ('only' in scope) return { [field]: { $in: scope.only } };
  return scope.except.length ? { $or: [{ [field]: null }, { [field]: { $nin: scope.except } }] } : {};
}

export interface DistributionContext {
  prospect: Prospect;
  campaign: Campaign;
  org: Org;
  members: User[];
}

export type ActivityPatch = Partial<Pick<CallActivity, 'answeredAt' | 'endedAt' | 'ringSeconds' | 'talkSeconds' | 'result' | 'recording' | 'fromNumber' | 'callerIdReason'>>;

export interface NewActivity {
  orgId: string;
  prospectId: string | null;
  direction: 'outbound' | 'inbound';
  purpose: string;
  fromNumber: string | null;
  toNumber: string | null;
  userId: string | null;
  channelId: string;
  callerIdReason?: string | null;
}

/** Everything distribution reads and writes. It runs outside HTTP requests: each call forks. */
@Injectable()
export class DistributionRepository {
  /** This instance, as stamped on the distributions, reservations and legs it runs. */
  readonly owner: string;

  constructor(
    private readonly em: EntityManager,
    config: AppConfig,
  ) {
    this.owner = callOwner(config.ari);
  }

  /** new → distributing, guarded: false when someone else started (or finished) it. */
  async begin(prospectId: string): Promise<boolean> {
    const n = await this.em.fork().nativeUpdate(Prospect, { id: prospectId, status: 'new' }, { status: 'distributing', distributionStartedAt: new Date(), distributionOwner: this.owner, updatedAt: new Date() });
    return n === 1;
  }

  async context(prospectId: string): Promise<DistributionContext | null> {
    const em = this.em.fork();
    const prospect = await em.findOne(Prospect, { id: prospectId }, { populate: ['campaign', 'campaign.distributionGroup', 'campaign.distributionGroup.members', 'org'] });
    if (!prospect) return null;
    const members = prospect.campaign.distributionGroup?.members.getItems() ?? [];
    return { prospect, campaign: prospect.campaign, org: prospect.org, members };
  }

  /**
   * Marks agents as on a call, each guarded by "not on a call", in one transaction: two
   * distributions never ring the same agent. Returns the ids actually reserved.
   */
  async reserveAgents(agentIds: string[], now: Date): Promise<string[]> {
    return this.em.fork().transactional(async (em) => {
      const reserved: string[] = [];
      for (const id of agentIds) {
        if ((await em.nativeUpdate(User, { id, onCallSince: null }, { onCallSince: now, onCallOwner: this.owner })) === 1) reserved.push(id);
      }
      return reserved;
    });
  }

  async releaseAgent(agentId: string, endedAt: Date): Promise<void> {
    await this.em.fork().nativeUpdate(User, { id: agentId }, { onCallSince: null, onCallOwner: null, lastCallEndedAt: endedAt });
  }

  /** distributing → exception, guarded. */
  async fail(prospectId: string, reason: FailureReason, detail: string | null): Promise<boolean> {
    const n = await this.em.fork().nativeUpdate(Prospect, { id: prospectId, status: 'distributing' }, { status: 'exception', failureReason: reason, failureDetail: detail, updatedAt: new Date() });
    return n === 1;
  }

  /** The campaign's default agent for a prospect, if it has one. */
  async defaultAgentOf(prospectId: string): Promise<{ orgId: string; agentId: string } | null> {
    const p = await this.em.fork().findOne(Prospect, { id: prospectId }, { populate: ['campaign'] });
    const agent = p?.campaign.defaultAgent;
    return p && agent ? { orgId: p.org.id, agentId: agent.id } : null;
  }

  /** Sets a speed-to-lead timestamp once. */
  async stamp(prospectId: string, field: 'firstRingAt' | 'takenAt' | 'borrowerAnsweredAt', at: Date): Promise<void> {
    await this.em.fork().nativeUpdate(Prospect, { id: prospectId, [field]: null }, { [field]: at });
  }

  async openActivity(a: NewActivity): Promise<string> {
    return (await this.openActivities([a]))[0];
  }

  /** Several call-activity rows in one transaction (one commit for all the legs of a round). */
  async openActivities(rows: NewActivity[]): Promise<string[]> {
    const em = this.em.fork();
    const created = rows.map((a) =>
      em.create(CallActivity, {
        org: em.getReference(Org, a.orgId),
        prospect: a.prospectId ? em.getReference(Prospect, a.prospectId) : null,
        direction: a.direction,
        purpose: a.purpose,
        fromNumber: a.fromNumber,
        toNumber: a.toNumber,
        user: a.userId ? em.getReference(User, a.userId) : null,
        channelId: a.channelId,
        callerIdReason: a.callerIdReason ?? null,
        owner: this.owner,
        startedAt: new Date(),
        result: 'ringing',
      }),
    );
    await em.flush();
    return created.map((r) => r.id);
  }

  async updateActivity(id: string, patch: ActivityPatch): Promise<void> {
    await this.em.fork().nativeUpdate(CallActivity, { id }, patch);
  }

  async setActivityUser(id: string, userId: string): Promise<void> {
    const em = this.em.fork();
    await em.nativeUpdate(CallActivity, { id }, { user: em.getReference(User, userId) });
  }

  /** Local dial presence numbers with their area codes and how often each was used today (UTC). */
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

  /** Prospects left mid-distribution by a previous process (of the owners in scope). */
  async interrupted(scope: RecoveryScope): Promise<string[]> {
    const rows = await this.em.fork().find(Prospect, { status: 'distributing', ...ownedIn('distributionOwner', scope) }, { fields: ['id'] });
    return rows.map((r) => r.id);
  }

  /** Prospects accepted but never started (the process died between commit and distribution). */
  async awaitingDistribution(): Promise<string[]> {
    const rows = await this.em.fork().find(Prospect, { status: 'new', campaign: { distributionType: { $ne: 'none' } } }, { fields: ['id'], orderBy: { createdAt: 'asc' } });
    return rows.map((r) => r.id);
  }

  /** No call survives the process that ran it: its agents are not on a call we know of. */
  async releaseAgents(scope: RecoveryScope): Promise<number> {
    return this.em.fork().nativeUpdate(User, { onCallSince: { $ne: null }, ...ownedIn('onCallOwner', scope) }, { onCallSince: null, onCallOwner: null });
  }

  /** Open call activity rows of a previous process get closed as interrupted. */
  async closeOpenActivities(at: Date, scope: RecoveryScope): Promise<number> {
    return this.em.fork().nativeUpdate(CallActivity, { endedAt: null, ...ownedIn('owner', scope) }, { endedAt: at, result: 'interrupted' });
  }
}
