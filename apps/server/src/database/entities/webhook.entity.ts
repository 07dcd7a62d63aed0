import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, PrimaryKeyProp, Property, Unique } from '@mikro-orm/core';
import type { WebhookDeliveryStatus, WebhookEventType } from '@leadline/domain';
import { newId } from './base';
import { Org } from './org.entity';

/** Where an org wants its events POSTed (docs/webhooks.md). */
@Entity({ tableName: 'webhook_subscription' })
export class WebhookSubscription {
  @PrimaryKey({ type: 'string' })
  id: string = newId();

  @ManyToOne(() => Org)
  org!: Org;

  @Property({ type: 'string' })
  url!: string;

  @Property({ type: 'string', nullable: true })
  description?: string | null;

  @Property({ type: 'json' })
  events!: WebhookEventType[];

  /** Signs every delivery (HMAC-SHA256); shown once, at creation and rotation. */
  @Property({ type: 'string', hidden: true })
  secret!: string;

  /** After a rotation the old secret signs too, until previousSecretExpiresAt, so receivers can switch over. */
  @Property({ type: 'string', nullable: true, hidden: true })
  previousSecret?: string | null;

  @Property({ type: 'datetime', nullable: true })
  previousSecretExpiresAt?: Date | null;

  /** Paused subscriptions get no new events and send nothing; their queued deliveries wait. */
  @Property({ type: 'boolean' })
  active: boolean = true;

  @Property({ type: 'integer' })
  maxConcurrency!: number;

  @Property({ type: 'integer' })
  timeoutSeconds!: number;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime' })
  updatedAt: Date = new Date();
}

/**
 * The outbox: one row per event, written in the same transaction as the change it reports (no
 * event lost on a crash, none invented by a rollback). `seq` orders events; `body` is the exact
 * JSON every delivery of it sends.
 */
@Entity({ tableName: 'webhook_event' })
@Index({ properties: ['fannedOut', 'seq'] })
export class WebhookEvent {
  [PrimaryKeyProp]?: 'seq';
  [OptionalProps]?: 'seq' | 'fannedOut';

  @PrimaryKey({ type: 'integer', autoincrement: true })
  seq!: number;

  /** The event id receivers de-duplicate on (the body's `id`). */
  @Property({ type: 'string', unique: true })
  eventId!: string;

  @Property({ type: 'string' })
  orgId!: string;

  @Property({ type: 'string' })
  type!: WebhookEventType | 'webhook.test';

  /** The lead it is about (events of one lead are delivered in order); null for calls without a lead. */
  @Property({ type: 'string', nullable: true })
  prospectId?: string | null;

  @Property({ type: 'text' })
  body!: string;

  @Property({ type: 'datetime' })
  createdAt!: Date;

  /** Deliveries have been queued for the subscriptions that want it. */
  @Property({ type: 'boolean' })
  fannedOut: boolean = false;
}

/** One event for one subscription: queued, retried with backoff, delivered or dead-lettered. */
@Entity({ tableName: 'webhook_delivery' })
@Unique({ properties: ['event', 'subscription'] })
@Index({ properties: ['status', 'nextAttemptAt'] })
@Index({ properties: ['subscription', 'prospectId', 'event'] })
@Index({ properties: ['subscription', 'createdAt'] })
export class WebhookDelivery {
  @PrimaryKey({ type: 'string' })
  id: string = newId();

  @ManyToOne(() => WebhookEvent, { deleteRule: 'cascade' })
  event!: WebhookEvent;

  @ManyToOne(() => WebhookSubscription, { deleteRule: 'cascade' })
  subscription!: WebhookSubscription;

  /** Copied from the event: the per-lead order is checked on this table alone. */
  @Property({ type: 'string', nullable: true })
  prospectId?: string | null;

  @Property({ type: 'string' })
  status: WebhookDeliveryStatus = 'pending';

  @Property({ type: 'integer' })
  attempts: number = 0;

  /** Start of the retry window (queued, or replayed). */
  @Property({ type: 'datetime' })
  queuedAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  nextAttemptAt?: Date | null;

  /** The instance sending it right now, until leaseUntil (then anyone may take it over). */
  @Property({ type: 'string', nullable: true })
  leaseOwner?: string | null;

  @Property({ type: 'datetime', nullable: true })
  leaseUntil?: Date | null;

  @Property({ type: 'integer', nullable: true })
  lastStatusCode?: number | null;

  @Property({ type: 'string', nullable: true })
  lastError?: string | null;

  @Property({ type: 'integer', nullable: true })
  lastLatencyMs?: number | null;

  @Property({ type: 'datetime', nullable: true })
  deliveredAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  deadAt?: Date | null;

  @Property({ type: 'datetime' })
  createdAt!: Date;
}

/** One HTTP attempt of a delivery, for the delivery log. */
@Entity({ tableName: 'webhook_attempt' })
@Index({ properties: ['delivery', 'attempt'] })
export class WebhookAttempt {
  @PrimaryKey({ type: 'string' })
  id: string = newId();

  @ManyToOne(() => WebhookDelivery, { deleteRule: 'cascade' })
  delivery!: WebhookDelivery;

  @Property({ type: 'integer' })
  attempt!: number;

  @Property({ type: 'datetime' })
  startedAt!: Date;

  @Property({ type: 'integer', nullable: true })
  statusCode?: number | null;

  @Property({ type: 'string', nullable: true })
  error?: string | null;

  @Property({ type: 'integer' })
  latencyMs!: number;

  @Property({ type: 'string' })
  sentBy!: string;
}
