import { EntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import { DistributionGroup, Org, User } from '../database/entities';

@Injectable()
export class DistributionGroupRepository {
  constructor(private readonly em: EntityManager) {}

  list(orgId: string): Promise<DistributionGroup[]> {
    return this.em.find(DistributionGroup, { org: orgId }, { populate: ['members'], orderBy: { name: 'asc' } });
  }

  get(orgId: string, id: string): Promise<DistributionGroup | null> {
    return this.em.findOne(DistributionGroup, { id, org: orgId }, { populate: ['members'] });
  }

  usersOf(orgId: string, ids: string[]): Promise<User[]> {
    return this.em.find(User, { id: { $in: ids }, org: orgId });
  }

  newGroup(orgId: string): DistributionGroup {
    const group = new DistributionGroup();
    group.org = this.em.getReference(Org, orgId);
    return group;
  }

  async save(group: DistributionGroup): Promise<void> {
    await this.em.persistAndFlush(group);
  }

  async remove(group: DistributionGroup): Promise<void> {
    await this.em.removeAndFlush(group);
  }
}
