import { Global, Module } from '@nestjs/common';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookDispatcher } from './webhook-dispatcher.service';
import { WebhookHttpClient } from './webhook-http.client';
import { WebhookOutboxRepository } from './webhook-outbox.repository';
import { WebhookSubscriptionRepository } from './webhook-subscription.repository';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

/** The outbox, for every feature whose changes are webhook events (written in their own transactions). */
@Global()
@Module({ providers: [WebhookOutboxRepository], exports: [WebhookOutboxRepository] })
export class WebhookOutboxModule {}

/** Subscriptions, the delivery log and the dispatcher that sends (docs/webhooks.md). */
@Module({
  controllers: [WebhooksController],
  providers: [WebhooksService, WebhookSubscriptionRepository, WebhookDeliveryRepository, WebhookDispatcher, WebhookHttpClient],
})
export class WebhooksModule {}
