import { EntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import { WEBHOOK_EVENT_TYPES, WebhookDeliveryStatus, WebhookEventType } from '@leadline/domain';
import { Org, WebhookSubscription } from '../database/entities';
import { SqlDialect, sqlDialectOf } from '../database/portable-schema';

/**
 * The PostgreSQL advisory lock key of an org's subscriptions (placeholder: the org id). Saving a
 * subscription holds it exclusively; an Action Post batch holds it shared while it reads whether
 * anyone wants lead.accepted (prospect-intake.sql.ts), so the two go one after the other.
 */
export const subscriptionLockKeySql = (param: string): string => `hashtextextended('leadline.webhook_subscription:' || ${param}, 0)`;

/**
 * The org's subscription lock taken shared until the transaction ends (param $1: the org id), by
 * a change that then asks whether anyone wants its event (an Action Post batch, an assignment), after
 * its own writes: a subscription saved before the change gets its event, one saved after does not
 * (it did not exist when the change was made). On SQLite the writing transaction holds the one
 * write lock instead, so saving a subscription waits for it there too.
 */
export const SHARED_SUBSCRIPTION_LOCK_SQL = `select pg_advisory_xact_lock_shared(${subscriptionLockKeySql('$1')})`;

/** Whether an active subscription of the org (placeholder: the org id) wants events of `type`: one row, `wanted` (events is JSON text on SQLite, jsonb on PostgreSQL). */
export const wantsEventSql = (param: string, db: SqlDialect, type: WebhookEventType): string => {
  if (!WEBHOOK_EVENT_TYPES.includes(type)) throw new Error(`unknown webhook event type ${String(type)}`);
  return `select exists (select 1 from webhook_subscription where org_id = ${param} and ${db === 'sqlite' ? `active = 1 and events like '%"${type}"%'` : `active and events @> '["${type}"]'::jsonb`}) as wanted`;
};

export type SubscriptionCounts = Record<WebhookDeliveryStatus, number>;

const noCounts = (): SubscriptionCounts => ({ pending: 0, delivered: 0, dead: 0 });

/** Webhook subscriptions of an org (runs in HTTP requests). */
@Injectable()
export class WebhookSubscriptionRepository {
  private readonly dialect: SqlDialect;

  constructor(private readonly em: EntityManager) {
    this.dialect = sqlDialectOf(em.getConnection().getKnex());
  }

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

  /**
   * Saves the org's subscription changes. On PostgreSQL under the org's subscription lock
   * (subscriptionLockKeySql), so an Action Post batch either sees the change or committed its
   * events before it; SQLite has one writer, and a batch holds it while it reads.
   */
  async flush(orgId: string): Promise<void> {
    if (this.dialect === 'sqlite') return this.em.flush();
    await this.em.begin();
    try {
      await this.em.execute(`select pg_advisory_xact_lock(${subscriptionLockKeySql('?')})`, [orgId]);
      await this.em.commit();
    } catch (err) {
      await this.em.rollback();
      throw err;
    }
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
