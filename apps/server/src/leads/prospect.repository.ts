import type { FilterQuery } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import type { ProspectStatus } from '@leadline/domain';
import { Application, AssignmentVia, Prospect, User } from '../database/entities';
import { newId } from '../database/entities/base';

export interface ProspectFilter {
  status?: ProspectStatus[];
  campaignId?: string;
}

@Injectable()
export class ProspectRepository {
  constructor(private readonly em: EntityManager) {}

  /** Runs `work` in one transaction on a forked entity manager. */
  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.em.fork().transactional(work);
  }

  /**
   * The guarded status change that makes "exactly one winner" true: it only succeeds when the
   * prospect is still in one of `from`; the caller learns whether it won.
   */
  async transition(em: EntityManager, id: string, from: ProspectStatus[], to: ProspectStatus, patch: Partial<Pick<Prospect, 'failureReason' | 'failureDetail' | 'ignored' | 'takenAt'>> = {}): Promise<boolean> {
    const changed = await em.nativeUpdate(Prospect, { id, status: { $in: from } }, { status: to, updatedAt: new Date(), ...patch });
    return changed === 1;
  }

  /** One INSERT in `em`'s transaction (no unit of work to flush: a ring-all claim waits on it). */
  async insertApplication(em: EntityManager, prospectId: string, agentId: string, via: AssignmentVia, assignedById: string | null): Promise<{ id: string; createdAt: Date }> {
    const application = { id: newId(), createdAt: new Date() };
    await em.insert(Application, { ...application, prospect: prospectId, primaryAgent: agentId, via, assignedBy: assignedById });
    return application;
  }

  get(orgId: string, id: string): Promise<Prospect | null> {
    return this.em.findOne(Prospect, { id, org: orgId }, { populate: ['campaign'] });
  }

  userInOrg(orgId: string, userId: string): Promise<User | null> {
    return this.em.findOne(User, { id: userId, org: orgId });
  }

  applicationOf(prospectId: string): Promise<Application | null> {
    return this.em.findOne(Application, { prospect: prospectId });
  }

  async list(orgId: string, filter: ProspectFilter, page: number, pageSize: number): Promise<[Prospect[], number]> {
    return this.em.findAndCount(
      Prospect,
      this.where(orgId, filter),
      { populate: ['campaign'], orderBy: { createdAt: 'desc', id: 'desc' }, limit: pageSize, offset: (page - 1) * pageSize },
    );
  }

  /** Every prospect of the filter, newest first, at most `limit` (the CSV export). */
  exportRows(orgId: string, filter: ProspectFilter, limit: number): Promise<Prospect[]> {
    return this.em.find(Prospect, this.where(orgId, filter), { populate: ['campaign'], orderBy: { createdAt: 'desc', id: 'desc' }, limit });
  }

  private where(orgId: string, filter: ProspectFilter): FilterQuery<Prospect> {
    return { org: orgId, ...(filter.status ? { status: { $in: filter.status } } : {}), ...(filter.campaignId ? { campaign: filter.campaignId } : {}) };
  }

  async listApplications(orgId: string, agentId: string | undefined, page: number, pageSize: number): Promise<[Application[], number]> {
    return this.em.findAndCount(
      Application,
      { prospect: { org: orgId }, ...(agentId ? { primaryAgent: agentId } : {}) },
      { populate: ['prospect', 'prospect.campaign', 'primaryAgent'], orderBy: { createdAt: 'desc', id: 'desc' }, limit: pageSize, offset: (page - 1) * pageSize },
    );
  }

  getApplication(orgId: string, id: string): Promise<Application | null> {
    return this.em.findOne(Application, { id, prospect: { org: orgId } }, { populate: ['prospect', 'prospect.campaign', 'primaryAgent'] });
  }
}
