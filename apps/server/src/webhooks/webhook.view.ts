import type { WebhookAttemptView, WebhookDeliveryView, WebhookSubscriptionView } from '@leadline/contracts';
import type { WebhookAttempt, WebhookDelivery, WebhookSubscription } from '../database/entities';
import type { SubscriptionCounts } from './webhook-subscription.repository';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function toSubscriptionView(s: WebhookSubscription, counts: SubscriptionCounts, secret?: string): WebhookSubscriptionView {
  return {
    id: s.id,
    url: s.url,
    description: s.description ?? null,
    events: [...s.events],
    active: s.active,
    maxConcurrency: s.maxConcurrency,
    timeoutSeconds: s.timeoutSeconds,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
    previousSecretExpiresAt: s.previousSecret ? iso(s.previousSecretExpiresAt) : null,
    counts,
    ...(secret ? { secret } : {}),
  };
}

export function toAttemptView(a: WebhookAttempt): WebhookAttemptView {
  return { attempt: a.attempt, startedAt: a.startedAt.toISOString(), statusCode: a.statusCode ?? null, error: a.error ?? null, latencyMs: a.latencyMs, sentBy: a.sentBy };
}

export function toDeliveryView(d: WebhookDelivery, attempts: WebhookAttempt[]): WebhookDeliveryView {
  return {
    id: d.id,
    eventId: d.event.eventId,
    eventType: d.event.type,
    prospectId: d.prospectId ?? null,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.status === 'pending' ? iso(d.nextAttemptAt) : null,
    createdAt: d.createdAt.toISOString(),
    deliveredAt: iso(d.deliveredAt),
    deadAt: iso(d.deadAt),
    lastStatusCode: d.lastStatusCode ?? null,
    lastError: d.lastError ?? null,
    lastLatencyMs: d.lastLatencyMs ?? null,
    attemptLog: attempts.map(toAttemptView),
  };
}
