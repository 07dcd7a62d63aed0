import { EventSubscriber, FlushEventArgs } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import type { DistributionType } from '@leadline/domain';
import { Campaign, DistributionGroup, Org, User } from '../database/entities';

/** What Action Post needs of a campaign: a plain snapshot, safe to share between requests. */
export interface CampaignIntake {
  id: string;
  name: string;
  orgId: string;
  apiKey: string;
  leadProvider: string | null;
  distributionType: DistributionType;
}

/** How long a cached campaign is trusted at most (a safety net for changes made outside this process). */
const CACHE_TTL_MS = 10_000;

/**
 * Campaigns by id for Action Post, kept in memory. Every change to a campaign made through
 * MikroORM in this process drops its entry at once (on save / remove here, and on any flush that
 * touches a campaign), so a rotated key stops working immediately; a version counter keeps a load
 * that raced with a change from caching what it read before the change.
 */
class CampaignIntakeCache {
  private readonly entries = new Map<string, { value: CampaignIntake; until: number }>();
  private version = 0;

  get(id: string): CampaignIntake | undefined {
    const hit = this.entries.get(id);
    if (!hit) return undefined;
    if (hit.until <= Date.now()) {
      this.entries.delete(id);
      return undefined;
    }
    return hit.value;
  }

  /** The version to hand back to `set`: a load stores its result only if nothing changed meanwhile. */
  begin(): number {
    return this.version;
  }

  set(id: string, value: CampaignIntake, version: number): void {
    if (version === this.version) this.entries.set(id, { value, until: Date.now() + CACHE_TTL_MS });
  }

  invalidate(id?: string): void {
    this.version++;
    if (id === undefined) this.entries.clear();
    else this.entries.delete(id);
  }
}

@Injectable()
export class CampaignRepository {
  private readonly intakeCache = new CampaignIntakeCache();

  constructor(private readonly em: EntityManager) {
    // Any flush that writes a campaign (whoever made it) drops the cached copy.
    const cache = this.intakeCache;
    const subscriber: EventSubscriber = {
      onFlush(args: FlushEventArgs): void {
        for (const cs of args.uow.getChangeSets()) if (cs.meta.class === Campaign) cache.invalidate(String(cs.entity.id));
      },
      afterFlush(args: FlushEventArgs): void {
        for (const cs of args.uow.getChangeSets()) if (cs.meta.class === Campaign) cache.invalidate(String(cs.entity.id));
      },
    };
    em.getEventManager().registerSubscriber(subscriber);
  }

  list(orgId: string): Promise<Campaign[]> {
    return this.em.find(Campaign, { org: orgId }, { orderBy: { name: 'asc' } });
  }

  get(orgId: string, id: string): Promise<Campaign | null> {
    return this.em.findOne(Campaign, { id, org: orgId });
  }

  /** For Action Post, which is not tied to a logged-in org. Served from memory (see CampaignIntakeCache). */
  async findForIntake(id: string): Promise<CampaignIntake | null> {
    const cached = this.intakeCache.get(id);
    if (cached) return cached;
    const version = this.intakeCache.begin();
    const campaign = await this.em.fork().findOne(Campaign, { id }, { populate: ['apiKey'] });
    // Unknown ids are not cached: they are refused anyway, and would let anyone fill the memory.
    if (!campaign) return null;
    const value: CampaignIntake = { id: campaign.id, name: campaign.name, orgId: campaign.org.id, apiKey: campaign.apiKey, leadProvider: campaign.leadProvider ?? null, distributionType: campaign.distributionType };
    this.intakeCache.set(id, value, version);
    return value;
  }

  group(orgId: string, id: string): Promise<DistributionGroup | null> {
    return this.em.findOne(DistributionGroup, { id, org: orgId });
  }

  user(orgId: string, id: string): Promise<User | null> {
    return this.em.findOne(User, { id, org: orgId });
  }

  newCampaign(orgId: string): Campaign {
    const campaign = new Campaign();
    campaign.org = this.em.getReference(Org, orgId);
    return campaign;
  }

  async save(campaign: Campaign): Promise<void> {
    this.intakeCache.invalidate(campaign.id);
    try {
      await this.em.persistAndFlush(campaign);
    } finally {
      this.intakeCache.invalidate(campaign.id);
    }
  }

  async remove(campaign: Campaign): Promise<void> {
    const id = campaign.id;
    this.intakeCache.invalidate(id);
    try {
      await this.em.removeAndFlush(campaign);
    } finally {
      this.intakeCache.invalidate(id);
    }
  }
}
