// Webhooks across processes (the compiled server, dist/): a server killed with SIGKILL while
// deliveries were in flight or waiting for a retry sends them after its restart (same event ids);
// two instances on one database and one Redis send each delivery once, and together keep a
// subscription's concurrency limit.
import { mkdtempSync } from 'node:fs';
import * as path from 'node:path';
import { aLead, createCampaign, createUser, createWebhook, postLead } from '../factories';
import { startCluster, Cluster } from '../harness/cluster';
import { IT_DIR } from '../harness/it-env';
import { startRedis, RedisHandle } from '../harness/redis';
import { ApiClient, eventually, ServerProcess, spawnServer } from '../harness/server';
import { WebhookReceiver } from '../harness/webhook-receiver';
import { webhookSchemaErrors } from '../harness/webhook-schemas';
import type { WebhookDeliveryView } from '@leadline/contracts';

const FAST_RETRIES = { WEBHOOK_RETRY_BASE_MS: '300', WEBHOOK_RETRY_MAX_DELAY_MS: '1000' };

async function post(server: ApiClient, campaign: { id: string; apiKey: string }): Promise<string> {
  const res = await postLead(server, campaign, aLead());
  expect(res.body.StatusCode).toBe(1);
  return res.body.Data.ProspectId as string;
}

async function deliveryLog(server: ApiClient, token: string, id: string): Promise<WebhookDeliveryView[]> {
  return (await server.request('GET', `/api/webhooks/${id}/deliveries?pageSize=200`, { token })).body.items;
}

describe('webhooks across server processes', () => {
  const receivers: WebhookReceiver[] = [];
  afterAll(async () => {
    for (const r of receivers) await r.stop();
  });

  it('kill -9 between commit and send: after the restart every event is delivered, with the same ids', async () => {
    const receiver = await WebhookReceiver.start();
    receivers.push(receiver);
    receiver.answer = () => ({ hang: true });
    const dataDir = mkdtempSync(path.join(IT_DIR, 'webhooks-crash-'));
    let server: ServerProcess = await spawnServer({ LEADLINE_DATA_DIR: dataDir, ...FAST_RETRIES });
    try {
      const admin = await server.login();
      const sub = await createWebhook(server, admin, receiver.url, { events: ['lead.accepted'], timeoutSeconds: 30, maxConcurrency: 3 });
      const campaign = await createCampaign(server, admin, { distributionType: 'none' });
      // Three deliveries in flight (the receiver holds them) …
      const inFlight = [await post(server, campaign), await post(server, campaign), await post(server, campaign)];
      await eventually(() => receiver.inFlight === 3, 10_000);
      // … and one committed but not sent yet (the subscription is at its limit of 3).
      const waiting = await post(server, campaign);
      await new Promise((r) => setTimeout(r, 1000));
      expect(receiver.received).toHaveLength(3);

      await server.kill();
      await receiver.stop();
      receiver.answer = () => ({ status: 200 });
      await receiver.listen();
      const heldIds = receiver.received.map((r) => r.json.id);
      expect(heldIds).toHaveLength(3);

      // Same data and settings (a port of its own): the same instance in a new life.
      server = await spawnServer(Object.fromEntries(Object.entries(server.env).filter(([name]) => name !== 'PORT')));
      await eventually(() => new Set(receiver.accepted.map((r) => r.json.id)).size === 4, 20_000);
      const delivered = receiver.accepted.map((r) => r.json);
      expect(new Set(delivered.map((b) => b.data.lead.prospectId))).toEqual(new Set([...inFlight, waiting]));
      // The three held when the server died went out again as the same events.
      for (const id of heldIds) expect(delivered.some((b) => b.id === id)).toBe(true);
      for (const r of receiver.received) expect(webhookSchemaErrors(r.json)).toEqual([]);
      expect(receiver.unverified(sub.secret)).toEqual([]);
      const log = await eventually(async () => {
        const l = await deliveryLog(server, await server.login(), sub.id);
        return l.length === 4 && l.every((d) => d.status === 'delivered') ? l : undefined;
      });
      expect(log).toHaveLength(4);
    } finally {
      await server.stop();
    }
  });

  describe('two instances, one database, one Redis', () => {
    let redis: RedisHandle;
    let cluster: Cluster;

    beforeAll(async () => {
      redis = await startRedis();
      cluster = await startCluster(2, { name: 'webhooks', redisUrl: redis.url, env: FAST_RETRIES });
    });

    afterAll(async () => {
      await cluster?.stop();
      await redis?.stop();
    });

    it('sends each delivery once, in order per lead, within the subscription’s concurrency limit across both', async () => {
      const [A, B] = cluster.instances;
      const receiver = await WebhookReceiver.start();
      receivers.push(receiver);
      receiver.answer = (_r, n) => ({ status: 200, delayMs: 20 + (n % 4) * 30 });
      const admin = await A.login();
      const sub = await createWebhook(A, admin, receiver.url, { events: ['lead.accepted', 'lead.assigned'], maxConcurrency: 3 });
      const agent = await createUser(A, admin, { role: 'agent' });
      const campaign = await createCampaign(A, admin, { distributionType: 'none' });
      // Leads come in through both; each is assigned through the other one.
      const leads: string[] = [];
      for (let i = 0; i < 20; i++) leads.push(await post(i % 2 ? B : A, campaign));
      for (const [i, id] of leads.entries()) {
        const res = await (i % 2 ? A : B).request('POST', `/api/prospects/${id}/assign`, { token: admin, body: { userId: agent.id } });
        expect(res.status).toBe(201);
      }

      await eventually(() => receiver.accepted.length >= 40, 30_000);
      await new Promise((r) => setTimeout(r, 1500));
      // Each event exactly once (the receiver answered every request 200, so nothing was retried).
      const copies = [...receiver.byEventId().values()].map((c) => c.length);
      expect(copies).toHaveLength(40);
      expect(copies.every((n) => n === 1)).toBe(true);
      for (const id of leads) {
        const types = receiver.received.filter((r) => r.json.data.lead.prospectId === id).map((r) => r.json.type);
        expect(types).toEqual(['lead.accepted', 'lead.assigned']);
      }
      expect(receiver.maxInFlight).toBeLessThanOrEqual(3);
      expect(receiver.unverified(sub.secret)).toEqual([]);
      // Both instances send. The instance that writes an event starts sending at once and the
      // other finds it on its next poll, so on a loaded machine one instance may take a whole
      // burst; then a few leads go in through the one that sent nothing, and it must send.
      const sendersOf = async () => new Set((await deliveryLog(B, admin, sub.id)).flatMap((d) => d.attemptLog.map((a) => a.sentBy.split('#')[0])));
      let senders = await sendersOf();
      if (senders.size === 1) {
        const idle = cluster.instances.find((i) => !senders.has(`${i.env.ARI_APP}@${i.env.ARI_URL}`))!;
        for (let i = 0; i < 5; i++) await post(idle, campaign);
        await eventually(() => receiver.accepted.length >= 45, 30_000);
        senders = await sendersOf();
      }
      expect(senders.size).toBe(2);
      expect([...receiver.byEventId().values()].every((c) => c.length === 1)).toBe(true);
    });
  });
});
