import { EntityManager } from '@mikro-orm/sqlite';
import { Injectable } from '@nestjs/common';
import { Campaign, DistributionGroup, Org } from '../database/entities';

@Injectable()
export class CampaignRepository {
  constructor(private readonly em: EntityManager) {}

  list(orgId: string): Promise<Campaign[]> {
    return this.em.find(Campaign, { org: orgId }, { orderBy: { name: 'asc' } });
  }

  get(orgId: string, id: string): Promise<Campaign | null> {
    return this.em.findOne(Campaign, { id, org: orgId });
  }

  /** For Action Post, which is not tied to a logged-in org. */
  findById(id: string): Promise<Campaign | null> {
    return this.em.findOne(Campaign, { id }, { populate: ['apiKey'] });
  }

  group(orgId: string, id: string): Promise<DistributionGroup | null> {
    return this.em.findOne(DistributionGroup, { id, org: orgId });
  }

  newCampaign(orgId: string): Campaign {
    const campaign = new Campaign();
    campaign.org = this.em.getReference(Org, orgId);
    return campaign;
  }

  async save(campaign: Campaign): Promise<void> {
    await this.em.persistAndFlush(campaign);
  }

  async remove(campaign: Campaign): Promise<void> {
    await this.em.removeAndFlush(campaign);
  }
}
