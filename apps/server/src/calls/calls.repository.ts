import { EntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import { Application, Org, Prospect, ProspectPhone, User } from '../database/entities';

export interface ProspectWithOwner {
  prospect: Prospect;
  /** The application's primary agent, when the prospect is assigned. */
  primaryAgentId: string | null;
}

/** What click-to-call reads to place a call (runs in HTTP requests). */
@Injectable()
export class CallsRepository {
  constructor(private readonly em: EntityManager) {}

  user(orgId: string, id: string): Promise<User | null> {
    return this.em.findOne(User, { id, org: orgId });
  }

  org(orgId: string): Promise<Org> {
    return this.em.findOneOrFail(Org, { id: orgId });
  }

  async application(orgId: string, id: string): Promise<ProspectWithOwner | null> {
    const application = await this.em.findOne(Application, { id, prospect: { org: orgId } }, { populate: ['prospect'] });
    return application ? { prospect: application.prospect, primaryAgentId: application.primaryAgent.id } : null;
  }

  async prospect(orgId: string, id: string): Promise<ProspectWithOwner | null> {
    const prospect = await this.em.findOne(Prospect, { id, org: orgId });
    if (!prospect) return null;
    const application = await this.em.findOne(Application, { prospect: id }, { fields: ['primaryAgent'] });
    return { prospect, primaryAgentId: application?.primaryAgent.id ?? null };
  }

  /** The org's most recent prospect with this phone (E.164), to link a call to a typed number. */
  async prospectByPhone(orgId: string, e164: string): Promise<ProspectWithOwner | null> {
    const [row] = await this.em.find(ProspectPhone, { phone: e164, prospect: { org: orgId } }, { populate: ['prospect'], orderBy: { prospect: { createdAt: 'desc' } }, limit: 1 });
    return row ? this.prospect(orgId, row.prospect.id) : null;
  }
}
