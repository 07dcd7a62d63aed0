import type { RequiredEntityData } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import type { WebhookDeliveryStatus, WebhookEventType } from '@leadline/domain';
import { WebhookAttempt, WebhookDelivery, WebhookEvent, WebhookSubscription } from '../database/entities';
import { newId } from '../database/entities/base';
import type { OutboxEvent } from './webhook-payload.util';

/** A delivery this instance holds the lease of, with everything sending it needs. */
export interface ClaimedDelivery {
  id: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  body: string;
  url: string;
  secrets: string[];
  timeoutMs: number;
  maxConcurrency: number;
  attempts: number;
  queuedAt: Date;
}

/** How an attempt ended, for the delivery row. */
export type AttemptOutcome = { kind: 'delivered' } | { kind: 'retry'; at: Date } | { kind: 'dead' };

export interface AttemptRecord {
  startedAt: Date;
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
}

export interface DeliveryFilter {
  status?: WebhookDeliveryStatus;
}

/** A lease lasts the subscription's timeout plus this: the attempt has ended by then, even on a busy machine. */
const LEASE_MARGIN_MS = 5_000;

/**
 * Webhook deliveries, shared by every server instance through the database. Each step that must
 * happen once is a guarded statement: queuing an event's deliveries (a unique key per event and
 * subscription), taking a delivery to send it (a lease, by a guarded UPDATE), recording the
 * attempt (only by the lease holder). Runs outside requests: each call forks.
 */
@Injectable()
export class WebhookDeliveryRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Queues deliveries for up to `limit` events not fanned out yet, in event order: one per
   * active subscription of the org that wants the event type and existed when it happened.
   * Events nobody wants are deleted. Returns how many events were handled.
   */
  async fanOut(limit: number): Promise<number> {
    return this.em.fork().transactional(async (em) => {
      const events = await em.find(WebhookEvent, { fannedOut: false }, { orderBy: { seq: 'asc' }, limit, fields: ['seq', 'orgId', 'type', 'prospectId', 'createdAt'] });
      if (!events.length) return 0;
      const subscriptions = await em.find(WebhookSubscription, { org: { $in: [...new Set(events.map((e) => e.orgId))] }, active: true }, { fields: ['id', 'org', 'events', 'createdAt'] });
      const rows: RequiredEntityData<WebhookDelivery>[] = [];
      const unwanted: number[] = [];
      for (const e of events) {
        const wanting = subscriptions.filter((s) => s.org.id === e.orgId && s.events.includes(e.type as WebhookEventType) && s.createdAt.getTime() <= e.createdAt.getTime());
        if (!wanting.length) unwanted.push(e.seq);
        for (const s of wanting) rows.push(newDelivery(em, e.seq, s.id, e.prospectId ?? null, e.createdAt));
      }
      // Another instance fanning out the same events at the same moment queues the same rows: the unique key keeps one.
      if (rows.length) await em.createQueryBuilder(WebhookDelivery).insert(rows).onConflict(['event', 'subscription']).ignore().execute();
      await em.nativeUpdate(WebhookEvent, { seq: { $in: events.map((e) => e.seq) } }, { fannedOut: true });
      if (unwanted.length) await em.execute(`delete from webhook_event where seq in (${unwanted.map(() => '?').join(', ')}) and not exists (select 1 from webhook_delivery d where d.event_seq = webhook_event.seq)`, unwanted, 'run');
      return events.length;
    });
  }

  /**
   * Deliveries due at `now`, oldest due first: pending, not leased (or the lease ran out), of an
   * active subscription, and not behind an earlier pending delivery of the same lead to the same
   * subscription (a lead's events go out in order). `exceptSubscriptions`: left out (at their limit).
   */
  async due(now: Date, limit: number, exceptSubscriptions: string[] = []): Promise<{ id: string; subscriptionId: string }[]> {
    const em = this.em.fork();
    const at = this.dbDate(em, now);
    const except = exceptSubscriptions.length ? `and d.subscription_id not in (${exceptSubscriptions.map(() => '?').join(', ')})` : '';
    const rows = await em.execute<{ id: string; subscription_id: string }[]>(
      `select d.id, d.subscription_id from webhook_delivery d
         join webhook_subscription s on s.id = d.subscription_id
        where d.status = 'pending' and s.active = true and d.next_attempt_at <= ? and (d.lease_until is null or d.lease_until < ?)
          and ${NOT_BEHIND_EARLIER} ${except}
        order by d.next_attempt_at, d.event_seq
        limit ?`,
      [at, at, ...exceptSubscriptions, limit],
    );
    return rows.map((r) => ({ id: r.id, subscriptionId: r.subscription_id }));
  }

  /**
   * Takes one delivery to send: null when someone else has it or it is no longer due; 'at_limit'
   * when the subscription already has `maxConcurrency` deliveries in flight (across every instance).
   * The subscription row is locked first (PostgreSQL), so two instances count and claim one
   * after the other; SQLite has one writer anyway.
   */
  async claim(id: string, subscriptionId: string, owner: string, now: Date): Promise<ClaimedDelivery | 'at_limit' | null> {
    return this.em.fork().transactional(async (em) => {
      const at = this.dbDate(em, now);
      await em.execute('update webhook_subscription set updated_at = updated_at where id = ?', [subscriptionId], 'run');
      const subscription = await em.findOne(WebhookSubscription, { id: subscriptionId, active: true });
      if (!subscription) return null;
      const inFlight = await em.count(WebhookDelivery, { subscription: subscriptionId, status: 'pending', leaseUntil: { $gte: now } });
      if (inFlight >= subscription.maxConcurrency) return 'at_limit';
      const leaseUntil = new Date(now.getTime() + subscription.timeoutSeconds * 1000 + LEASE_MARGIN_MS);
      const taken = await em.execute<{ affectedRows?: number; rowCount?: number }>(
        `update webhook_delivery set lease_owner = ?, lease_until = ?
          where id = ? and status = 'pending' and next_attempt_at <= ? and (lease_until is null or lease_until < ?)
            and not exists (select 1 from webhook_delivery p where p.subscription_id = webhook_delivery.subscription_id and p.prospect_id = webhook_delivery.prospect_id and p.status = 'pending' and p.event_seq < webhook_delivery.event_seq)`,
        [owner, this.dbDate(em, leaseUntil), id, at, at],
        'run',
      );
      if (affected(taken) !== 1) return null;
      const delivery = await em.findOneOrFail(WebhookDelivery, { id }, { populate: ['event'] });
      const secrets = [subscription.secret];
      if (subscription.previousSecret && subscription.previousSecretExpiresAt && subscription.previousSecretExpiresAt.getTime() > now.getTime()) secrets.push(subscription.previousSecret);
      return {
        id,
        subscriptionId,
        eventId: delivery.event.eventId,
        eventType: delivery.event.type,
        body: delivery.event.body,
        url: subscription.url,
        secrets,
        timeoutMs: subscription.timeoutSeconds * 1000,
        maxConcurrency: subscription.maxConcurrency,
        attempts: delivery.attempts,
        queuedAt: delivery.queuedAt,
      };
    });
  }

  /**
   * Records an attempt and its outcome. The delivery row changes only while `owner` still holds
   * the lease; the attempt is logged either way, unless the delivery is gone (its subscription
   * was deleted meanwhile).
   */
  async finish(claim: ClaimedDelivery, owner: string, attempt: AttemptRecord, outcome: AttemptOutcome): Promise<'recorded' | 'lease_lost' | 'gone'> {
    return this.em.fork().transactional(async (em) => {
      const at = new Date(attempt.startedAt.getTime() + attempt.latencyMs);
      const patch: Partial<WebhookDelivery> = {
        attempts: claim.attempts + 1,
        lastStatusCode: attempt.statusCode,
        lastError: attempt.error,
        lastLatencyMs: attempt.latencyMs,
        leaseOwner: null,
        leaseUntil: null,
        ...(outcome.kind === 'delivered' ? { status: 'delivered', deliveredAt: at, nextAttemptAt: null } : outcome.kind === 'dead' ? { status: 'dead', deadAt: at, nextAttemptAt: null } : { nextAttemptAt: outcome.at }),
      };
      const updated = (await em.nativeUpdate(WebhookDelivery, { id: claim.id, leaseOwner: owner, status: 'pending' }, patch)) === 1;
      if (!updated && (await em.count(WebhookDelivery, { id: claim.id })) === 0) return 'gone';
      em.create(WebhookAttempt, { delivery: em.getReference(WebhookDelivery, claim.id), attempt: claim.attempts + 1, sentBy: owner, ...attempt });
      await em.flush();
      return updated ? 'recorded' : 'lease_lost';
    });
  }

  /** Gives leases back without an attempt (the server is stopping): another instance, or the next start, sends them at once. */
  async release(ids: string[], owner: string): Promise<void> {
    if (ids.length) await this.em.fork().nativeUpdate(WebhookDelivery, { id: { $in: ids }, leaseOwner: owner }, { leaseOwner: null, leaseUntil: null });
  }

  /**
   * Leases held by an earlier life of this instance (`ownerPrefix`: its call owner and '#'), given
   * back at start: whatever it was sending when it died is sent again at once, not after its lease.
   */
  async releasePreviousLives(ownerPrefix: string, owner: string): Promise<number> {
    const result = await this.em
      .fork()
      .execute("update webhook_delivery set lease_owner = null, lease_until = null where status = 'pending' and substr(lease_owner, 1, ?) = ? and lease_owner <> ?", [ownerPrefix.length, ownerPrefix, owner], 'run');
    return affected(result);
  }

  /** A test event, queued for one subscription only. */
  async queueTest(subscriptionId: string, event: OutboxEvent): Promise<string> {
    return this.em.fork().transactional(async (em) => {
      await em.insert(WebhookEvent, { eventId: event.id, orgId: event.orgId, type: event.type, prospectId: null, body: event.body, createdAt: event.createdAt, fannedOut: true });
      const { seq } = await em.findOneOrFail(WebhookEvent, { eventId: event.id }, { fields: ['seq'] });
      const row = newDelivery(em, seq, subscriptionId, null, event.createdAt);
      await em.insert(WebhookDelivery, row);
      return row.id;
    });
  }

  /** A subscription's deliveries, newest first, with their attempts (newest first). */
  async list(subscriptionId: string, filter: DeliveryFilter, page: number, pageSize: number): Promise<[WebhookDelivery[], number, Map<string, WebhookAttempt[]>]> {
    const em = this.em.fork();
    const [items, total] = await em.findAndCount(
      WebhookDelivery,
      { subscription: subscriptionId, ...(filter.status ? { status: filter.status } : {}) },
      { populate: ['event'], orderBy: { createdAt: 'desc', event: 'desc' }, limit: pageSize, offset: (page - 1) * pageSize, fields: ['*', 'event.eventId', 'event.type', 'event.seq'] as never },
    );
    const attempts = new Map<string, WebhookAttempt[]>(items.map((d) => [d.id, []]));
    if (items.length) {
      const rows = await em.find(WebhookAttempt, { delivery: { $in: items.map((d) => d.id) } }, { orderBy: { attempt: 'desc', startedAt: 'desc' } });
      for (const a of rows) attempts.get(a.delivery.id)?.push(a);
    }
    return [items, total, attempts];
  }

  /** A finished delivery (delivered or dead-lettered) of the subscription queued again, with a new retry window. */
  async replay(subscriptionId: string, deliveryId: string, now: Date): Promise<boolean> {
    return (await this.em.fork().nativeUpdate(WebhookDelivery, { id: deliveryId, subscription: subscriptionId, status: { $in: ['delivered', 'dead'] } }, replayed(now))) === 1;
  }

  /** Every dead-lettered delivery of the subscription queued again. */
  async replayDead(subscriptionId: string, now: Date): Promise<number> {
    return this.em.fork().nativeUpdate(WebhookDelivery, { subscription: subscriptionId, status: 'dead' }, replayed(now));
  }

  async exists(subscriptionId: string, deliveryId: string): Promise<boolean> {
    return (await this.em.fork().count(WebhookDelivery, { id: deliveryId, subscription: subscriptionId })) === 1;
  }

  /**
   * Forgets events older than `before` whose deliveries are all finished (delivered or dead),
   * with those deliveries and attempts; pending ones (a paused subscription's) are kept.
   */
  async prune(before: Date): Promise<number> {
    const em = this.em.fork();
    const result = await em.execute(
      `delete from webhook_event where created_at < ? and fanned_out = true
         and not exists (select 1 from webhook_delivery d where d.event_seq = webhook_event.seq and d.status = 'pending')`,
      [this.dbDate(em, before)],
      'run',
    );
    return affected(result);
  }

  private dbDate(em: EntityManager, d: Date): unknown {
    return em.getPlatform().processDateProperty(d);
  }
}

// A delivery waits while an earlier delivery of the same lead to the same subscription is pending.
const NOT_BEHIND_EARLIER =
  "not exists (select 1 from webhook_delivery p where p.subscription_id = d.subscription_id and p.prospect_id = d.prospect_id and p.status = 'pending' and p.event_seq < d.event_seq)";

function newDelivery(em: EntityManager, eventSeq: number, subscriptionId: string, prospectId: string | null, at: Date): RequiredEntityData<WebhookDelivery> & { id: string } {
  return {
    id: newId(),
    event: em.getReference(WebhookEvent, eventSeq),
    subscription: em.getReference(WebhookSubscription, subscriptionId),
    prospectId,
    status: 'pending',
    attempts: 0,
    queuedAt: at,
    nextAttemptAt: at,
    createdAt: at,
  };
}

function replayed(now: Date): Partial<WebhookDelivery> {
  return { status: 'pending', queuedAt: now, nextAttemptAt: now, deliveredAt: null, deadAt: null, leaseOwner: null, leaseUntil: null };
}

/** Rows changed by a statement run with method 'run' (SQLite and PostgreSQL report it differently). */
function affected(result: unknown): number {
  const r = result as { affectedRows?: number; rowCount?: number; changes?: number };
  return Number(r.affectedRows ?? r.rowCount ?? r.changes ?? 0);
}
