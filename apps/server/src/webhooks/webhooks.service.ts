import { Injectable, Logger } from '@nestjs/common';
import { WEBHOOK_LIMITS, webhookUrlProblem } from '@leadline/domain';
import type { Page } from '@leadline/contracts';
import { randomBytes } from 'node:crypto';
import { DomainError, ErrorCode, notFound, validationFailed } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { WebhookSubscription } from '../database/entities';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookDispatcher } from './webhook-dispatcher.service';
import { outboxEvent } from './webhook-payload.util';
import { WebhookSubscriptionRepository } from './webhook-subscription.repository';
import { CreateWebhookDto, DeliveryQueryDto, UpdateWebhookDto, WebhookDeliveryView, WebhookSubscriptionView } from './webhook.dto';
import { toDeliveryView, toSubscriptionView } from './webhook.view';

/** After a rotation the previous secret signs deliveries too for this long, so receivers can switch over. */
export const PREVIOUS_SECRET_GRACE_MS = 24 * 3_600_000;

const newSecret = () => `whsec_${randomBytes(24).toString('base64url')}`;

/** Webhook subscriptions and their delivery logs (admins; docs/webhooks.md). */
@Injectable()
export class WebhooksService {
  private readonly logger = new Logger(WebhooksService.name);

  constructor(
    private readonly subscriptions: WebhookSubscriptionRepository,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly dispatcher: WebhookDispatcher,
    private readonly config: AppConfig,
  ) {}

  async list(orgId: string): Promise<WebhookSubscriptionView[]> {
    const rows = await this.subscriptions.list(orgId);
    const counts = await this.subscriptions.counts(rows.map((s) => s.id));
    return rows.map((s) => toSubscriptionView(s, counts.get(s.id)!));
  }

  async get(orgId: string, id: string): Promise<WebhookSubscriptionView> {
    return this.view(await this.find(orgId, id));
  }

  /** The secret is in this answer only. */
  async create(orgId: string, dto: CreateWebhookDto): Promise<WebhookSubscriptionView> {
    this.checkUrl(dto.url);
    const secret = newSecret();
    const s = this.subscriptions.create(orgId, {
      url: dto.url,
      description: dto.description?.trim() || null,
      events: [...dto.events],
      secret,
      previousSecret: null,
      previousSecretExpiresAt: null,
      active: dto.active ?? true,
      maxConcurrency: dto.maxConcurrency ?? WEBHOOK_LIMITS.maxConcurrency.default,
      timeoutSeconds: dto.timeoutSeconds ?? WEBHOOK_LIMITS.timeoutSeconds.default,
    });
    await this.subscriptions.flush(orgId);
    this.logger.log(`webhook ${s.id} created for ${s.events.join(', ')}`);
    return this.view(s, secret);
  }

  async update(orgId: string, id: string, dto: UpdateWebhookDto): Promise<WebhookSubscriptionView> {
    const s = await this.find(orgId, id);
    if (dto.url !== undefined) {
      this.checkUrl(dto.url);
      s.url = dto.url;
    }
    if (dto.events !== undefined) s.events = [...dto.events];
    if (dto.description !== undefined) s.description = dto.description?.trim() || null;
    if (dto.active !== undefined) s.active = dto.active;
    if (dto.maxConcurrency !== undefined) s.maxConcurrency = dto.maxConcurrency;
    if (dto.timeoutSeconds !== undefined) s.timeoutSeconds = dto.timeoutSeconds;
    s.updatedAt = new Date();
    await this.subscriptions.flush(orgId);
    // Resumed: its waiting deliveries go now.
    if (dto.active) this.dispatcher.kick();
    return this.view(s);
  }

  async remove(orgId: string, id: string): Promise<void> {
    await this.subscriptions.remove(await this.find(orgId, id));
    this.logger.log(`webhook ${id} deleted`);
  }

  /** A new secret, in this answer only; the previous one keeps signing (alongside) for PREVIOUS_SECRET_GRACE_MS. */
  async rotateSecret(orgId: string, id: string): Promise<WebhookSubscriptionView> {
    const s = await this.find(orgId, id);
    const secret = newSecret();
    s.previousSecret = s.secret;
    s.previousSecretExpiresAt = new Date(Date.now() + PREVIOUS_SECRET_GRACE_MS);
    s.secret = secret;
    s.updatedAt = new Date();
    await this.subscriptions.flush(orgId);
    this.logger.log(`webhook ${id}: secret rotated`);
    return this.view(s, secret);
  }

  /** Queues a webhook.test event for this subscription alone (a paused subscription sends it once resumed, like any delivery). */
  async test(orgId: string, id: string): Promise<{ deliveryId: string; eventId: string }> {
    const s = await this.find(orgId, id);
    const event = outboxEvent('webhook.test', { orgId, prospectId: null, at: new Date(), data: { subscriptionId: s.id, message: 'A test delivery from Leadline: if you can read this, your endpoint works.' } });
    const deliveryId = await this.deliveries.queueTest(s.id, event);
    this.dispatcher.kick();
    return { deliveryId, eventId: event.id };
  }

  async deliveryLog(orgId: string, id: string, q: DeliveryQueryDto): Promise<Page<WebhookDeliveryView>> {
    await this.find(orgId, id);
    const [items, total, attempts] = await this.deliveries.list(id, { status: q.status }, q.page, q.pageSize);
    return { items: items.map((d) => toDeliveryView(d, attempts.get(d.id) ?? [])), total, page: q.page, pageSize: q.pageSize };
  }

  /** Sends a delivered or dead-lettered delivery again (same event id and body), with a new retry window. */
  async replay(orgId: string, id: string, deliveryId: string): Promise<{ replayed: number }> {
    await this.find(orgId, id);
    if (!(await this.deliveries.replay(id, deliveryId, new Date()))) {
      if (!(await this.deliveries.exists(id, deliveryId))) throw notFound(ErrorCode.WebhookDeliveryNotFound, 'Webhook delivery', deliveryId);
      throw new DomainError(ErrorCode.Conflict, 'This delivery is still being tried; replay it once it is delivered or dead-lettered');
    }
    this.dispatcher.kick();
    return { replayed: 1 };
  }

  async replayDead(orgId: string, id: string): Promise<{ replayed: number }> {
    await this.find(orgId, id);
    const replayed = await this.deliveries.replayDead(id, new Date());
    if (replayed) this.dispatcher.kick();
    this.logger.log(`webhook ${id}: ${replayed} dead-lettered deliveries replayed`);
    return { replayed };
  }

  private async find(orgId: string, id: string): Promise<WebhookSubscription> {
    const s = await this.subscriptions.get(orgId, id);
    if (!s) throw notFound(ErrorCode.WebhookNotFound, 'Webhook', id);
    return s;
  }

  private async view(s: WebhookSubscription, secret?: string): Promise<WebhookSubscriptionView> {
    const counts = await this.subscriptions.counts([s.id]);
    return toSubscriptionView(s, counts.get(s.id)!, secret);
  }

  private checkUrl(url: string): void {
    const problem = webhookUrlProblem(url, { production: this.config.env === 'production' });
    if (problem) throw validationFailed([{ field: 'url', message: problem }], 'Webhook refused');
  }
}
