import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/sqlite';
import { Injectable } from '@nestjs/common';
import type { LeadInput, ProspectStatus } from '@leadline/domain';
import { Application, AssignmentVia, Campaign, Org, Prospect, ProspectPhone, User } from '../database/entities';

export { UniqueConstraintViolationException };

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

  /** The prospects of a campaign owning any of these phones, assigned ones first, newest first. */
  async matchByPhones(em: EntityManager, campaignId: string, phones: string[]): Promise<{ prospect: Prospect; application: Application | null } | null> {
    const rows = await em.find(ProspectPhone, { campaign: campaignId, phone: { $in: phones } }, { populate: ['prospect'] });
    if (!rows.length) return null;
    const prospects = [...new Map(rows.map((r) => [r.prospect.id, r.prospect])).values()];
    const applications = await em.find(Application, { prospect: { $in: prospects.map((p) => p.id) } });
    const appOf = (p: Prospect) => applications.find((a) => a.prospect.id === p.id) ?? null;
    prospects.sort((a, b) => Number(!!appOf(b)) - Number(!!appOf(a)) || b.createdAt.getTime() - a.createdAt.getTime());
    return { prospect: prospects[0], application: appOf(prospects[0]) };
  }

  create(em: EntityManager, campaign: Campaign, lead: LeadInput, phones: string[]): Prospect {
    // References, not the campaign itself: it was loaded by another entity manager, and merging it
    // here would make this flush write the campaign row too.
    const campaignRef = em.getReference(Campaign, campaign.id);
    const prospect = em.create(Prospect, {
      org: em.getReference(Org, campaign.org.id),
      campaign: campaignRef,
      ...fieldsOf(lead),
      leadProvider: lead.leadProvider ?? campaign.leadProvider ?? null,
      extra: lead.extra,
      status: 'new',
      ignored: false,
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    for (const phone of phones) em.create(ProspectPhone, { campaign: campaignRef, phone, prospect });
    return prospect;
  }

  /**
   * Adds index rows for phones the prospect is not indexed under yet. The index keeps every phone
   * the prospect ever had (not only its current fields), so it is read rather than inferred.
   */
  async addPhones(em: EntityManager, prospect: Prospect, phones: string[]): Promise<void> {
    const indexed = await em.find(ProspectPhone, { prospect: prospect.id, phone: { $in: phones } });
    const known = new Set(indexed.map((row) => row.phone));
    for (const phone of phones.filter((p) => !known.has(p))) em.create(ProspectPhone, { campaign: prospect.campaign, phone, prospect });
  }

  /**
   * The guarded status change that makes "exactly one winner" true: it only succeeds when the
   * prospect is still in one of `from`; the caller learns whether it won.
   */
  async transition(em: EntityManager, id: string, from: ProspectStatus[], to: ProspectStatus, patch: Partial<Pick<Prospect, 'failureReason' | 'failureDetail' | 'ignored'>> = {}): Promise<boolean> {
    const changed = await em.nativeUpdate(Prospect, { id, status: { $in: from } }, { status: to, updatedAt: new Date(), ...patch });
    return changed === 1;
  }

  createApplication(em: EntityManager, prospectId: string, agentId: string, via: AssignmentVia, assignedById: string | null): Application {
    return em.create(Application, {
      prospect: em.getReference(Prospect, prospectId),
      primaryAgent: em.getReference(User, agentId),
      via,
      assignedBy: assignedById ? em.getReference(User, assignedById) : null,
      createdAt: new Date(),
    });
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
      { org: orgId, ...(filter.status ? { status: { $in: filter.status } } : {}), ...(filter.campaignId ? { campaign: filter.campaignId } : {}) },
      { populate: ['campaign'], orderBy: { createdAt: 'desc', id: 'desc' }, limit: pageSize, offset: (page - 1) * pageSize },
    );
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

export function fieldsOf(lead: Partial<LeadInput>) {
  return {
    firstName: lead.firstName,
    lastName: lead.lastName,
    mobilePhone: lead.mobilePhone,
    homePhone: lead.homePhone,
    workPhone: lead.workPhone,
    email: lead.email,
    propertyState: lead.propertyState,
    loanPurpose: lead.loanPurpose,
    loanAmount: lead.loanAmount,
  };
}
