import { EntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import type { WebhookDeliveryStatus } from '@leadline/domain';
import { Org, WebhookSubscription } from '../database/entities';

export type SubscriptionCounts = Record<WebhookDeliveryStatus, number>;

const noCounts = (): SubscriptionCounts => ({ pending: 0, delivered: 0, dead: 0 });

/** Webhook subscriptions of an org (runs in HTTP requests). */
@Injectable()
export class WebhookSubscriptionRepository {
  constructor(private readonly em: EntityManager) {}

  list(orgId: string): Promise<WebhookSubscription[]> {
    return this.em.find(WebhookSubscription, { org: orgId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  get(orgId: string, id: string): Promise<WebhookSubscription | null> {
    return this.em.findOne(WebhookSubscription, { id, org: orgId });
  }

  create(orgId: string, values: Omit<WebhookSubscription, 'id' | 'org' | 'createdAt' | 'updatedAt'>): WebhookSubscription {
    const now = new Date();
    return this.em.create(WebhookSubscription, { ...values, org: this.em.getReference(Org, orgId), createdAt: now, updatedAt: now });
  }

  async flush(): Promise<void> {
    await this.em.flush();
  }

  /** Removes it with its deliveries and their attempts. */
  async remove(subscription: WebhookSubscription): Promise<void> {
    await this.em.nativeDelete(WebhookSubscription, { id: subscription.id });
  }

  /** Deliveries per status of each subscription. */
  async counts(ids: string[]): Promise<Map<string, SubscriptionCounts>> {
    const out = new Map(ids.map((id) => [id, noCounts()]));
    if (!ids.length) return out;
    const rows = await this.em.execute<{ subscription_id: string; status: WebhookDeliveryStatus; n: number | string }[]>(
      `select subscription_id, status, count(*) as n from webhook_delivery where subscription_id in (${ids.map(() => '?').join(', ')}) group by subscription_id, status`,
      ids,
    );
    for (const r of rows) {
      const counts = out.get(r.subscription_id);
      // count(*) comes back as a string from PostgreSQL.
      if (counts) counts[r.status] = Number(r.n);
    }
    return out;
  }
}
