import { EntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import { Application, CallActivity } from '../database/entities';
import { LIKE_ESCAPE } from '../common/like-pattern.util';
import { CallActivityCriteria, CallActivitySort } from './call-activity-query.util';

// Sort keys map to columns here and nowhere else: the request only ever picks a key.
const SORT_COLUMN: Record<CallActivitySort, string> = {
  startedAt: 'a.started_at',
  endedAt: 'a.ended_at',
  talkSeconds: 'a.talk_seconds',
  ringSeconds: 'a.ring_seconds',
  result: 'a.result',
  direction: 'a.direction',
  purpose: 'a.purpose',
  from: 'a.from_number',
  to: 'a.to_number',
  by: 'u.name',
};

@Injectable()
export class CallActivityRepository {
  constructor(private readonly em: EntityManager) {}

  /** One page of legs matching the criteria, with the total; every value is a bound parameter. */
  list(c: CallActivityCriteria, page: number, pageSize: number): Promise<[CallActivity[], number]> {
    const qb = this.em.createQueryBuilder(CallActivity, 'a').select('*').leftJoinAndSelect('a.user', 'u').where({ org: c.orgId });
    if (c.userId) qb.andWhere({ user: c.userId });
    if (c.prospectId) qb.andWhere({ prospect: c.prospectId });
    if (c.byUserIds) qb.andWhere({ user: { $in: c.byUserIds } });
    // A leg that never connected talked for 0 seconds.
    if (c.talkMin !== undefined) qb.andWhere('coalesce(a.talk_seconds, 0) >= ?', [c.talkMin]);
    if (c.talkMax !== undefined) qb.andWhere('coalesce(a.talk_seconds, 0) <= ?', [c.talkMax]);
    if (c.startedFrom) qb.andWhere({ startedAt: { $gte: c.startedFrom } });
    if (c.startedTo) qb.andWhere({ startedAt: { $lte: c.startedTo } });
    if (c.phones) qb.andWhere({ $or: [{ fromNumber: { $in: c.phones } }, { toNumber: { $in: c.phones } }] });
    if (c.phoneLike) qb.andWhere('(a.from_number like ? escape ? or a.to_number like ? escape ?)', [c.phoneLike, LIKE_ESCAPE, c.phoneLike, LIKE_ESCAPE]);
    if (c.byNameLike) qb.andWhere('lower(u.name) like ? escape ?', [c.byNameLike, LIKE_ESCAPE]);
    // Nulls (not ended, never answered) last either way; the id keeps pages stable on ties.
    qb.orderBy([{ [SORT_COLUMN[c.sort]]: `${c.order} nulls last` }, { id: c.order }]);
    return qb.limit(pageSize).offset((page - 1) * pageSize).getResultAndCount();
  }

  /** The prospect an application of this org was made from. */
  async prospectIdOfApplication(orgId: string, applicationId: string): Promise<string | null> {
    const application = await this.em.findOne(Application, { id: applicationId, prospect: { org: orgId } }, { fields: ['prospect'] });
    return application?.prospect.id ?? null;
  }

  /** One leg of this org, with just what deciding access to its recording needs. */
  /** A leg's recording name; `orgId` null: any org's (a signed link names the leg itself). */
  async recordingOf(orgId: string | null, id: string): Promise<{ id: string; userId: string | null; recording: string | null } | null> {
    const leg = await this.em.findOne(CallActivity, { id, ...(orgId ? { org: orgId } : {}) }, { fields: ['id', 'user', 'recording'] });
    return leg ? { id: leg.id, userId: leg.user?.id ?? null, recording: leg.recording ?? null } : null;
  }
}
