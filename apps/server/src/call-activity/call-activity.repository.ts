import { EntityManager } from '@mikro-orm/sqlite';
import { Injectable } from '@nestjs/common';
import { CallActivity } from '../database/entities';

export interface CallActivityFilter {
  orgId: string;
  prospectId?: string;
  userId?: string;
}

@Injectable()
export class CallActivityRepository {
  constructor(private readonly em: EntityManager) {}

  list(filter: CallActivityFilter, page: number, pageSize: number): Promise<[CallActivity[], number]> {
    return this.em.findAndCount(
      CallActivity,
      { org: filter.orgId, ...(filter.prospectId ? { prospect: filter.prospectId } : {}), ...(filter.userId ? { user: filter.userId } : {}) },
      { populate: ['user'], orderBy: { startedAt: 'desc', id: 'desc' }, limit: pageSize, offset: (page - 1) * pageSize },
    );
  }
}
