// Webhooks (docs/webhooks.md) over real HTTP, a real database and a real HTTP receiver on loopback:
// subscriptions (admins only, bad input refused), lead events signed and valid by the published
// JSON Schemas, in order per lead; a receiver that fails (500, no answer, connection refused) and
// recovers gets every event, duplicates only with the same event id; dead-lettering and replay;
// the per-endpoint concurrency limit and timeout; pause and resume; test-send; nothing written
// by a change that rolled back.
import { EntityManager } from '@mikro-orm/knex';
import { aLead, assignProspect, createCampaign, createUser, CreatedUser, createWebhook, issueToken, loginAs, postLead } from '../factories';
import { eventually, startServer, TestServer } from '../harness/server';
import { Received, WebhookReceiver } from '../harness/webhook-receiver';
import { webhookSchemaErrors } from '../harness/webhook-schemas';
import { IT_DATABASE } from '../harness/it-env';
import { WebhookDispatcher } from '../../apps/server/src/webhooks/webhook-dispatcher.service';
import { WebhookOutboxRepository } from '../../apps/server/src/webhooks/webhook-outbox.repository';
import { SHARED_SUBSCRIPTION_LOCK_SQL, subscriptionLockKeySql, wantsEventSql } from '../../apps/server/src/webhooks/webhook-subscription.repository';
import { preparedSql } from '../../apps/server/src/database/prepared-sql';
import type { WebhookDeliveryView, WebhookSubscriptionView } from '@leadline/contracts';

// Retries in a test's time: 200 ms, 400 ms … at most 1 s apart.
const FAST_RETRIES = { WEBHOOK_RETRY_BASE_MS: '200', WEBHOOK_RETRY_MAX_DELAY_MS: '1000' };

/** Posts a lead to a campaign and returns its prospect id. */
async function newLead(server: TestServer, campaign: { id: string; apiKey: string }, over: Record<string, string> = {}): Promise<string> {
  const res = await postLead(server, campaign, aLead(over));
  expect(res.body.StatusCode).toBe(1);
  return res.body.Data.ProspectId as string;
}

/** The event types received (2xx-answered, first time each) for one lead, in order. */
function typesFor(receiver: WebhookReceiver, prospectId: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const r of receiver.accepted) {
    const about = r.json.data.lead?.prospectId ?? r.json.data.prospectId;
    if (about !== prospectId || seen.has(r.json.id)) continue;
    seen.add(r.json.id);
    out.push(r.json.type);
  }
  return out;
}

async function deliveries(server: TestServer, token: string, subscriptionId: string, query = ''): Promise<WebhookDeliveryView[]> {
  const res = await server.request('GET', `/api/webhooks/${subscriptionId}/deliveries?pageSize=200${query}`, { token });
  expect(res.status).toBe(200);
  return res.body.items as WebhookDeliveryView[];
}

describe('webhooks (real HTTP receiver, real database)', () => {
  let server: TestServer;
  let admin: string;
  let agent: CreatedUser;
  const receivers: WebhookReceiver[] = [];
  const subscriptions: string[] = [];

  async function aReceiver(): Promise<WebhookReceiver> {
    const r = await WebhookReceiver.start();
    receivers.push(r);
    return r;
  }

  /** A subscription of its own for a test; later tests' events do not reach earlier tests' receivers. */
  async function subscribe(receiver: WebhookReceiver, over: Record<string, unknown> = {}) {
    const s = await createWebhook(server, admin, receiver.url, over);
    subscriptions.push(s.id);
    return s;
  }

  beforeAll(async () => {
    server = await startServer(FAST_RETRIES);
    admin = await server.login();
    agent = await createUser(server, admin, { name: 'Avery Agent', role: 'agent' });
  });

  afterEach(async () => {
    // Each test's subscriptions are removed after it, so its receiver hears nothing more.
    for (const id of subscriptions.splice(0)) await server.request('DELETE', `/api/webhooks/${id}`, { token: admin });
  });

  afterAll(async () => {
    await server?.close();
    for (const r of receivers) await r.stop();
  });

  it('is for admins only; bad input gets 400 with the field, and changes nothing', async () => {
    const manager = await createUser(server, admin, { role: 'manager' });
    for (const token of [await loginAs(server, manager), await loginAs(server, agent)]) {
      expect((await server.request('GET', '/api/webhooks', { token })).status).toBe(403);
      expect((await server.request('POST', '/api/webhooks', { token, body: { url: 'http://127.0.0.1:1/x', events: ['lead.accepted'] } })).status).toBe(403);
    }
    expect((await server.request('GET', '/api/webhooks')).status).toBe(401);

    const bad: [Record<string, unknown>, string][] = [
      [{ url: 'ftp://crm.example.com/x', events: ['lead.accepted'] }, 'url'],
      [{ url: 'not a url', events: ['lead.accepted'] }, 'url'],
      [{ url: 'https://user:secret@crm.example.com/x', events: ['lead.accepted'] }, 'url'],
      [{ url: 'https://crm.example.com/x', events: [] }, 'events'],
      [{ url: 'https://crm.example.com/x', events: ['lead.bogus'] }, 'events'],
      [{ url: 'https://crm.example.com/x', events: ['lead.accepted', 'lead.accepted'] }, 'events'],
      [{ url: 'https://crm.example.com/x', events: ['webhook.test'] }, 'events'],
      [{ url: 'https://crm.example.com/x', events: ['lead.accepted'], timeoutSeconds: 0 }, 'timeoutSeconds'],
      [{ url: 'https://crm.example.com/x', events: ['lead.accepted'], maxConcurrency: 17 }, 'maxConcurrency'],
      [{ url: 'https://crm.example.com/x', events: ['lead.accepted'], secret: 'mine' }, 'secret'],
      [{ events: ['lead.accepted'] }, 'url'],
    ];
    for (const [body, field] of bad) {
      const res = await server.request('POST', '/api/webhooks', { token: admin, body });
      expect({ body, status: res.status, code: res.body.code }).toEqual({ body, status: 400, code: 'VALIDATION_FAILED' });
      expect(res.body.fields.map((f: { field: string }) => f.field)).toContain(field);
    }
    expect((await server.request('GET', '/api/webhooks', { token: admin })).body).toEqual([]);

    // Good input: the secret is shown once, never listed or read back.
    const created = await createWebhook(server, admin, 'https://crm.example.com/hooks', { events: ['lead.accepted'] });
    subscriptions.push(created.id);
    expect(created).toMatchObject({ url: 'https://crm.example.com/hooks', events: ['lead.accepted'], active: true, maxConcurrency: 4, timeoutSeconds: 2, counts: { pending: 0, delivered: 0, dead: 0 } });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{32}$/);
    const read = await server.request('GET', `/api/webhooks/${created.id}`, { token: admin });
    expect(read.status).toBe(200);
    expect(read.body.secret).toBeUndefined();
    expect(JSON.stringify((await server.request('GET', '/api/webhooks', { token: admin })).body)).not.toContain(created.secret);

    const rotated = await server.request('POST', `/api/webhooks/${created.id}/rotate-secret`, { token: admin });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(created.secret);
    expect(Date.parse(rotated.body.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(23 * 3_600_000);

    const patched = await server.request('PATCH', `/api/webhooks/${created.id}`, { token: admin, body: { url: 'gopher://x' } });
    expect(patched.status).toBe(400);
    expect((await server.request('GET', `/api/webhooks/${created.id}`, { token: admin })).body.url).toBe('https://crm.example.com/hooks');

    expect((await server.request('GET', '/api/webhooks/not-a-uuid', { token: admin })).status).toBe(400);
    const missing = await server.request('GET', '/api/webhooks/6f1c1a52-3c0e-4a8e-9a51-2f3f0b0f7c11', { token: admin });
    expect(missing).toMatchObject({ status: 404, body: { code: 'WEBHOOK_NOT_FOUND' } });
    const noDelivery = await server.request('POST', `/api/webhooks/${created.id}/deliveries/6f1c1a52-3c0e-4a8e-9a51-2f3f0b0f7c11/replay`, { token: admin });
    expect(noDelivery).toMatchObject({ status: 404, body: { code: 'WEBHOOK_DELIVERY_NOT_FOUND' } });
  });

  it('delivers lead.accepted, lead.assigned and lead.exception: signed, schema-valid, in order per lead, only the events asked for', async () => {
    const receiver = await aReceiver();
    const onlyAssigned = await aReceiver();
    const sub = await subscribe(receiver);
    await subscribe(onlyAssigned, { events: ['lead.assigned'] });

    // A lead that stays unassigned, then is assigned by hand.
    const quiet = await createCampaign(server, admin, { name: 'Quiet', distributionType: 'none' });
    const manual = await newLead(server, quiet, { FirstName: 'Manny', LastName: 'Manual', state: 'TX', CreditRating: 'Excellent' });
    await eventually(() => typesFor(receiver, manual).length === 1);
    const applicationId = await assignProspect(server, admin, manual, agent.id);

    // A distribution that fails (nobody logged in), then the campaign's default agent gets it.
    const member = await createUser(server, admin, { role: 'agent', stateLicences: ['TX'] });
    const group = await server.request('POST', '/api/distribution-groups', { token: admin, body: { name: 'Nobody home', memberIds: [member.id] } });
    const failing = await createCampaign(server, admin, { name: 'Failing', distributionType: 'distribute_all', distributionGroupId: group.body.id, defaultAgentId: agent.id });
    const failed = await newLead(server, failing, { FirstName: 'Fay', LastName: 'Fallback' });

    await eventually(() => typesFor(receiver, manual).length === 2 && typesFor(receiver, failed).length === 3, 15_000);
    expect(typesFor(receiver, manual)).toEqual(['lead.accepted', 'lead.assigned']);
    expect(typesFor(receiver, failed)).toEqual(['lead.accepted', 'lead.exception', 'lead.assigned']);

    const byType = (type: string, prospectId: string) => receiver.accepted.find((r) => r.json.type === type && (r.json.data.lead?.prospectId ?? r.json.data.prospectId) === prospectId)!.json;
    const accepted = byType('lead.accepted', manual);
    expect(accepted).toMatchObject({ type: 'lead.accepted', version: 1, data: { distributionType: 'none', lead: { prospectId: manual, firstName: 'Manny', lastName: 'Manual', propertyState: 'TX', campaign: { id: quiet.id, name: 'Quiet' } } } });
    expect(accepted.data.lead.mobilePhone).toMatch(/^\+1512555\d{4}$/);
    expect(byType('lead.assigned', manual)).toMatchObject({ data: { applicationId, via: 'manual', agent: { id: agent.id, name: 'Avery Agent' }, assignedBy: { email: 'admin@it.test' } } });
    // The lead as the assignment read it back from its row: the same as the post gave it.
    expect(byType('lead.assigned', manual).data.lead).toEqual(accepted.data.lead);
    expect(accepted.data.lead).toMatchObject({ loanAmount: 350000, extra: { CreditRating: 'Excellent' } });
    expect(byType('lead.exception', failed)).toMatchObject({ data: { reason: 'No available agents were found', lead: { firstName: 'Fay' } } });
    expect(byType('lead.assigned', failed)).toMatchObject({ data: { via: 'default_agent', agent: { id: agent.id }, assignedBy: null } });

    // As a receiver checks them: signature, headers, schema.
    expect(receiver.unverified(sub.secret)).toEqual([]);
    expect(receiver.unverified('whsec_someone_else').length).toBe(receiver.received.length);
    for (const r of receiver.received) {
      expect(webhookSchemaErrors(r.json)).toEqual([]);
      expect(r.headers).toMatchObject({ 'content-type': 'application/json', 'leadline-event-id': r.json.id, 'leadline-event-type': r.json.type, 'leadline-delivery-attempt': '1' });
      expect(Number(r.headers['leadline-timestamp'])).toBeCloseTo(Date.now() / 1000, -2);
    }

    // The other subscription asked for lead.assigned only.
    await eventually(() => onlyAssigned.accepted.length === 2);
    expect(onlyAssigned.received.map((r) => r.json.type)).toEqual(['lead.assigned', 'lead.assigned']);

    // The delivery log says the same, once the last delivery is recorded (after its answer came).
    const log = await eventually(async () => {
      const all = await deliveries(server, admin, sub.id);
      return all.filter((d) => d.status === 'delivered').length >= 5 ? all : undefined;
    });
    expect(log.filter((d) => d.status === 'delivered')).toHaveLength(5);
    for (const d of log) expect(d.attemptLog).toEqual([expect.objectContaining({ attempt: 1, statusCode: 200, error: null, latencyMs: expect.any(Number) })]);
  });

  it('sends one lead.assigned when six managers assign the same lead at once', async () => {
    const receiver = await aReceiver();
    await subscribe(receiver, { events: ['lead.assigned'] });
    const campaign = await createCampaign(server, admin, { distributionType: 'none' });
    const prospectId = await newLead(server, campaign);
    const managers = await Promise.all(Array.from({ length: 6 }, () => createUser(server, admin, { role: 'manager' })));
    // Not logged in with their passwords: six argon2 checks were most of this test's time.
    const tokens = await Promise.all(managers.map((m) => issueToken(server, m.id)));
    const answers = await Promise.all(tokens.map((token) => server.request('POST', `/api/prospects/${prospectId}/assign`, { token, body: { userId: agent.id } })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409, 409].sort());
    await eventually(() => receiver.accepted.length === 1);
    // Give a second (wrong) one time to arrive.
    await new Promise((r) => setTimeout(r, 1500));
    expect(receiver.received).toHaveLength(1);
  });

  it('writes no event for a change that rolls back (the outbox is in the transaction)', async () => {
    const receiver = await aReceiver();
    await subscribe(receiver, { events: ['lead.exception', 'lead.accepted'] });
    const campaign = await createCampaign(server, admin, { distributionType: 'none' });
    const prospectId = await newLead(server, campaign);
    await eventually(() => receiver.accepted.length === 1);
    const outbox = server.app.get(WebhookOutboxRepository);
    const em = server.app.get(EntityManager);
    await expect(
      em.fork().transactional(async (tx) => {
        await outbox.leadException(tx, { prospectId, reason: 'Fatal error', detail: 'rolled back', at: new Date() });
        throw new Error('the change fails after its event was written');
      }),
    ).rejects.toThrow('the change fails');
    // The same call committed is delivered: the rolled-back one never is.
    await em.fork().transactional((tx) => outbox.leadException(tx, { prospectId, reason: 'Fatal error', detail: 'committed', at: new Date() }));
    await eventually(() => receiver.accepted.length === 2);
    await new Promise((r) => setTimeout(r, 1000));
    expect(receiver.received.map((r) => r.json.data.detail ?? null)).toEqual([null, 'committed']);
  });

  it('delivers every event after the receiver fails (500, no answer, connection refused) and recovers: in order per lead, duplicates only with the same id', async () => {
    const receiver = await aReceiver();
    const sub = await subscribe(receiver, { events: ['lead.accepted', 'lead.assigned'], timeoutSeconds: 1, maxConcurrency: 4 });
    // 1-6: 500; 7-9: no answer (the 1 s timeout); then the port closes (until attempts are refused); then slow and fast 200s.
    receiver.answer = (_r, n) => (n <= 6 ? { status: 500 } : n <= 9 ? { hang: true } : { status: 200, delayMs: n % 3 === 0 ? 150 : 0 });
    const campaign = await createCampaign(server, admin, { distributionType: 'none' });
    const leads: string[] = [];
    for (let i = 0; i < 10; i++) leads.push(await newLead(server, campaign));
    // The three unanswered ones time out (1 s) before the port closes. At least three: on a loaded
    // machine a 500 may come later than 1 s too (CI once waited 30 s here for exactly three).
    const attempts = async () => (await deliveries(server, admin, sub.id)).flatMap((d) => d.attemptLog);
    await eventually(async () => receiver.received.length >= 9 && (await attempts()).filter((a) => a.error === 'no answer within 1 s').length >= 3, 30_000);
    await receiver.stop();
    for (const id of leads) await assignProspect(server, admin, id, agent.id);
    // While the port is closed, attempts fail with "connection refused".
    await eventually(async () => (await deliveries(server, admin, sub.id)).some((d) => d.attemptLog.some((a) => a.error === 'connection refused')), 10_000);
    // A little longer closed: more of them are refused, and retried.
    await new Promise((r) => setTimeout(r, 500));
    await receiver.listen();

    await eventually(() => new Set(receiver.accepted.map((r) => r.json.id)).size === 20, 30_000, 100);
    for (const id of leads) expect(typesFor(receiver, id)).toEqual(['lead.accepted', 'lead.assigned']);
    // A lead's lead.assigned was never sent before its lead.accepted was answered 2xx.
    for (const id of leads) {
      const firstAccepted = receiver.accepted.find((r) => r.json.type === 'lead.accepted' && r.json.data.lead.prospectId === id)!;
      const firstAssignedTry = receiver.received.find((r) => r.json.type === 'lead.assigned' && r.json.data.lead.prospectId === id)!;
      expect(receiver.received.indexOf(firstAssignedTry)).toBeGreaterThan(receiver.received.indexOf(firstAccepted));
    }
    // Duplicates only as the same event: same id, byte-identical body; signatures good throughout.
    for (const [, copies] of receiver.byEventId()) expect(new Set(copies.map((c) => c.body)).size).toBe(1);
    expect(receiver.received.length).toBeGreaterThan(20);
    expect(receiver.unverified(sub.secret)).toEqual([]);

    // The last answers are recorded just after the receiver sent them.
    const log = await eventually(async () => {
      const l = await deliveries(server, admin, sub.id);
      return l.length === 20 && l.every((d) => d.status === 'delivered') ? l : undefined;
    });
    const errors = log.flatMap((d) => d.attemptLog.map((a) => a.error ?? String(a.statusCode)));
    expect(errors).toEqual(expect.arrayContaining(['answered 500', 'no answer within 1 s', 'connection refused', '200']));
    const timedOut = log.flatMap((d) => d.attemptLog).filter((a) => a.error === 'no answer within 1 s');
    for (const a of timedOut) expect(a.latencyMs).toBeGreaterThanOrEqual(990);
    // A retried delivery says which attempt it is.
    const retried = receiver.received.filter((r) => Number(r.headers['leadline-delivery-attempt']) > 1);
    expect(retried.length).toBeGreaterThan(0);
  });

  it('keeps at most maxConcurrency requests in flight to one URL', async () => {
    const receiver = await aReceiver();
    receiver.answer = () => ({ status: 200, delayMs: 300 });
    await subscribe(receiver, { events: ['lead.accepted'], maxConcurrency: 2 });
    const campaign = await createCampaign(server, admin, { distributionType: 'none' });
    for (let i = 0; i < 8; i++) await newLead(server, campaign);
    await eventually(() => receiver.accepted.length === 8, 15_000);
    expect(receiver.maxInFlight).toBe(2);
  });

  it('pauses (nothing sent, nothing queued) and resumes; sends a test delivery', async () => {
    const receiver = await aReceiver();
    const sub = await subscribe(receiver, { events: ['lead.accepted'] });
    const campaign = await createCampaign(server, admin, { distributionType: 'none' });
    const paused = await server.request('PATCH', `/api/webhooks/${sub.id}`, { token: admin, body: { active: false } });
    expect(paused.body).toMatchObject({ active: false });
    const test = await server.request('POST', `/api/webhooks/${sub.id}/test`, { token: admin });
    expect(test.status).toBe(202);
    await newLead(server, campaign);
    await new Promise((r) => setTimeout(r, 1500));
    expect(receiver.received).toHaveLength(0);
    // Events of the paused time were not queued for it; the test delivery waited.
    expect((await deliveries(server, admin, sub.id)).map((d) => d.eventType)).toEqual(['webhook.test']);

    await server.request('PATCH', `/api/webhooks/${sub.id}`, { token: admin, body: { active: true } });
    await eventually(() => receiver.accepted.length === 1);
    expect(receiver.received[0].json).toMatchObject({ id: test.body.eventId, type: 'webhook.test', data: { subscriptionId: sub.id } });
    expect(webhookSchemaErrors(receiver.received[0].json)).toEqual([]);
    await newLead(server, campaign);
    await eventually(() => receiver.accepted.length === 2);
    expect(receiver.received[1].json.type).toBe('lead.accepted');
  });

  describe('with a short retry window', () => {
    let shortServer: TestServer;
    let shortAdmin: string;

    beforeAll(async () => {
      shortServer = await startServer({ ...FAST_RETRIES, WEBHOOK_RETRY_WINDOW_SECONDS: '5' });
      shortAdmin = await shortServer.login();
    });

    afterAll(async () => {
      await shortServer?.close();
    });

    it('dead-letters a delivery after its window, and replays dead-lettered and delivered ones with the same event id', async () => {
      const receiver = await aReceiver();
      receiver.answer = () => ({ status: 503 });
      const sub = await createWebhook(shortServer, shortAdmin, receiver.url, { events: ['lead.accepted'] });
      const campaign = await createCampaign(shortServer, shortAdmin, { distributionType: 'none' });
      const first = await postLead(shortServer, campaign, aLead());
      const second = await postLead(shortServer, campaign, aLead());
      expect([first.body.StatusCode, second.body.StatusCode]).toEqual([1, 1]);

      const dead = await eventually(async () => {
        const log = await deliveries(shortServer, shortAdmin, sub.id, '&status=dead');
        return log.length === 2 ? log : undefined;
      }, 25_000);
      for (const d of dead) {
        expect(d.attempts).toBeGreaterThanOrEqual(2);
        expect(d.deadAt).not.toBeNull();
        expect(d.lastStatusCode).toBe(503);
        expect(d.attemptLog.every((a) => a.statusCode === 503)).toBe(true);
      }
      const view: WebhookSubscriptionView = (await shortServer.request('GET', `/api/webhooks/${sub.id}`, { token: shortAdmin })).body;
      expect(view.counts).toEqual({ pending: 0, delivered: 0, dead: 2 });
      const triedBefore = receiver.received.length;
      await new Promise((r) => setTimeout(r, 1000));
      expect(receiver.received.length).toBe(triedBefore);

      // The receiver is fixed: replay every dead-lettered one.
      receiver.answer = () => ({ status: 200 });
      const replayed = await shortServer.request('POST', `/api/webhooks/${sub.id}/deliveries/replay-dead`, { token: shortAdmin });
      expect(replayed.body).toEqual({ replayed: 2 });
      await eventually(() => receiver.accepted.length === 2);
      expect(new Set(receiver.accepted.map((r) => r.json.id))).toEqual(new Set(dead.map((d) => d.eventId)));

      // One delivered delivery, replayed: the same event again.
      const delivered = await eventually(async () => (await deliveries(shortServer, shortAdmin, sub.id, '&status=delivered')).find((d) => d.eventId === dead[0].eventId));
      expect((await shortServer.request('POST', `/api/webhooks/${sub.id}/deliveries/${delivered.id}/replay`, { token: shortAdmin })).body).toEqual({ replayed: 1 });
      await eventually(() => receiver.accepted.length === 3);
      expect(receiver.accepted[2].json.id).toBe(dead[0].eventId);
      expect(receiver.accepted[2].body).toBe(receiver.accepted.find((r: Received) => r.json.id === dead[0].eventId)!.body);

      // A pending one cannot be replayed. (The receiver has the replay before the delivery is marked
      // delivered again: wait for that, or the first replay below would be the refused one.)
      await eventually(async () => (await deliveries(shortServer, shortAdmin, sub.id, '&status=delivered')).some((d) => d.id === delivered.id));
      receiver.answer = () => ({ hang: true });
      expect((await shortServer.request('POST', `/api/webhooks/${sub.id}/deliveries/${delivered.id}/replay`, { token: shortAdmin })).body).toEqual({ replayed: 1 });
      const conflict = await shortServer.request('POST', `/api/webhooks/${sub.id}/deliveries/${delivered.id}/replay`, { token: shortAdmin });
      expect(conflict).toMatchObject({ status: 409, body: { code: 'CONFLICT' } });
      await shortServer.request('DELETE', `/api/webhooks/${sub.id}`, { token: shortAdmin });
    });
  });

  describe("Action Post's lead.accepted and an assignment's lead.assigned outbox rows (the dispatcher stopped, so rows stay where they are written)", () => {
    let quiet: TestServer;
    let quietAdmin: string;
    let campaign: { id: string; apiKey: string };

    const outboxRows = async (type: string, prospectId: string): Promise<number> => {
      const rows = await quiet.app.get(EntityManager).fork().execute<{ n: number | string }[]>(`select count(*) as n from webhook_event where type = ? and prospect_id = ?`, [type, prospectId]);
      return Number(rows[0].n);
    };
    const leadAcceptedRows = (prospectId: string) => outboxRows('lead.accepted', prospectId);

    beforeAll(async () => {
      quiet = await startServer();
      quietAdmin = await quiet.login();
      await quiet.app.get(WebhookDispatcher).onApplicationShutdown();
      campaign = await createCampaign(quiet, quietAdmin, { distributionType: 'none' });
    });

    afterAll(async () => {
      await quiet?.close();
    });

    it('is written only while an active subscription wants lead.accepted: none, another event, added, paused, resumed', async () => {
      const receiver = await aReceiver();
      expect(await leadAcceptedRows(await newLead(quiet, campaign))).toBe(0);
      const sub = await createWebhook(quiet, quietAdmin, receiver.url, { events: ['lead.exception'] });
      expect(await leadAcceptedRows(await newLead(quiet, campaign))).toBe(0);
      const patch = (body: Record<string, unknown>) => quiet.request('PATCH', `/api/webhooks/${sub.id}`, { token: quietAdmin, body });
      expect((await patch({ events: ['lead.exception', 'lead.accepted'] })).status).toBe(200);
      expect(await leadAcceptedRows(await newLead(quiet, campaign))).toBe(1);
      expect((await patch({ active: false })).status).toBe(200);
      expect(await leadAcceptedRows(await newLead(quiet, campaign))).toBe(0);
      expect((await patch({ active: true })).status).toBe(200);
      expect(await leadAcceptedRows(await newLead(quiet, campaign))).toBe(1);
      // A repeat post of a stored lead writes nothing new.
      const repeat = aLead();
      const first = await postLead(quiet, campaign, repeat);
      const again = await postLead(quiet, campaign, repeat);
      expect(again.body.Data.ProspectId).toBe(first.body.Data.ProspectId);
      expect(await leadAcceptedRows(first.body.Data.ProspectId as string)).toBe(1);
      await quiet.request('DELETE', `/api/webhooks/${sub.id}`, { token: quietAdmin });
    });

    it('an assignment writes its lead.assigned row only while an active subscription wants it: none, another event, added, paused', async () => {
      const receiver = await aReceiver();
      const agent = await createUser(quiet, quietAdmin, { role: 'agent' });
      const assignedRows = async () => {
        const prospectId = await newLead(quiet, campaign);
        await assignProspect(quiet, quietAdmin, prospectId, agent.id);
        return outboxRows('lead.assigned', prospectId);
      };
      expect(await assignedRows()).toBe(0);
      const sub = await createWebhook(quiet, quietAdmin, receiver.url, { events: ['lead.accepted'] });
      expect(await assignedRows()).toBe(0);
      const patch = (body: Record<string, unknown>) => quiet.request('PATCH', `/api/webhooks/${sub.id}`, { token: quietAdmin, body });
      expect((await patch({ events: ['lead.assigned'] })).status).toBe(200);
      expect(await assignedRows()).toBe(1);
      expect((await patch({ active: false })).status).toBe(200);
      expect(await assignedRows()).toBe(0);
      await quiet.request('DELETE', `/api/webhooks/${sub.id}`, { token: quietAdmin });
    });

    if (IT_DATABASE === 'postgres') {
      /**
       * Saves a subscription (to `events`) while `inTransaction` holds a transaction open (it runs
       * `held` inside it): the save must wait for that transaction's end. The subscription, for the
       * caller to check and delete.
       */
      const savingWaitsFor = async (events: string[], inTransaction: (orgId: string, held: () => Promise<void>) => Promise<void>) => {
        const receiver = await aReceiver();
        const sub = await createWebhook(quiet, quietAdmin, receiver.url, { events: ['lead.exception'] });
        const orgId = (await quiet.app.get(EntityManager).fork().execute<{ org_id: string }[]>('select org_id from webhook_subscription where id = ?', [sub.id]))[0].org_id;
        let saved = false;
        let saving: Promise<unknown> | undefined;
        await inTransaction(orgId, async () => {
          saving = quiet.request('PATCH', `/api/webhooks/${sub.id}`, { token: quietAdmin, body: { events } }).then((r) => {
            saved = true;
            return r;
          });
          await new Promise((r) => setTimeout(r, 700));
          expect(saved).toBe(false);
        });
        expect(await saving).toMatchObject({ status: 200 });
        return sub;
      };

      it('PostgreSQL: saving a subscription waits for an Action Post batch that holds the subscription lock', async () => {
        // What a batch does before its posts (prospect-intake.postgres.repository.ts).
        const sub = await savingWaitsFor(['lead.accepted'], (orgId, held) =>
          quiet.app.get(EntityManager).fork().transactional(async (tx) => {
            await tx.execute(`select pg_advisory_xact_lock_shared(${subscriptionLockKeySql('?')})`, [orgId]);
            await held();
          }),
        );
        expect(await leadAcceptedRows(await newLead(quiet, campaign))).toBe(1);
        await quiet.request('DELETE', `/api/webhooks/${sub.id}`, { token: quietAdmin });
      });

      it('PostgreSQL: saving a subscription waits for an assignment that asked whether lead.assigned is wanted', async () => {
        // What an assignment's transaction does after its guarded update (ProspectRepository.assign).
        const sub = await savingWaitsFor(['lead.assigned'], (orgId, held) =>
          preparedSql(quiet.app.get(EntityManager), 'test_assignment').transaction(async (tx) => {
            await tx.all('subscriptions_lock', SHARED_SUBSCRIPTION_LOCK_SQL, [orgId]);
            expect(await tx.all('wants', wantsEventSql('$1', 'postgresql', 'lead.assigned'), [orgId])).toEqual([{ wanted: false }]);
            await held();
          }),
        );
        await quiet.request('DELETE', `/api/webhooks/${sub.id}`, { token: quietAdmin });
      });
    }
  });
});
