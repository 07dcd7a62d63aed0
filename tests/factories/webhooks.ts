// Webhook subscriptions through the REST API.
import type { WebhookSubscriptionView } from '../../libs/contracts/src/webhooks';
import type { ApiClient } from '../harness/server';

/** A subscription body: every event type, test-friendly timeout. */
export function aWebhook(url: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { url, events: ['lead.accepted', 'lead.assigned', 'lead.exception', 'call.ended', 'dial_mode.result', 'inbound.missed'], description: 'integration test receiver', timeoutSeconds: 2, ...overrides };
}

/** Creates a subscription as an admin; the answer carries its secret (shown once). */
export async function createWebhook(server: ApiClient, token: string, url: string, overrides: Record<string, unknown> = {}): Promise<WebhookSubscriptionView & { secret: string }> {
  const res = await server.request('POST', '/api/webhooks', { token, body: aWebhook(url, overrides) });
  if (res.status !== 201) throw new Error(`POST /api/webhooks: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as WebhookSubscriptionView & { secret: string };
}
