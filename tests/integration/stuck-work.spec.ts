// Nothing left stuck when a step fails (issue 19): a phone never rings for a call we gave up on,
// and agents a call reserved are freed when it cannot go on. Real Asterisk and SIPp; the failures
// are injected — an ARI answer held back past the server's 5 s timeout by a hop between the server
// and ARI, or a repository write that throws once.
import type { ClientToServerEvents, Presence, ServerToClientEvents } from '@leadline/contracts';
import { knex } from '@mikro-orm/knex';
import * as path from 'node:path';
import { io, Socket } from 'socket.io-client';
import { DistributionRepository } from '../../apps/server/src/distribution/distribution.repository';
import { AgentLines } from '../../apps/server/src/telephony/agent-lines';
import { CallLegRepository } from '../../apps/server/src/telephony/call-legs.repository';
import { startAriDelayProxy, AriDelayProxy } from '../harness/ari-delay-proxy';
import { startCluster } from '../harness/cluster';
import { startRedis } from '../harness/redis';
import { WebhookReceiver } from '../harness/webhook-receiver';
import { createWebhook } from '../factories';
import { IT_DIR, IT_PORT_BASE, IT_PORTS, IT_TRUNK_HOST, itAsteriskOptions } from '../harness/it-env';
import { eventually, startServer, TestServer } from '../harness/server';
import { SippHandle, startSipp, stopAllSipp } from '../harness/sipp';
import { agentSipp, callActivity, postLead, settledProspect, setupRingAll } from './ring-all.fixture';

const port = (n: number) => IT_PORT_BASE + 725 + n;
const CARRIER_PORT = IT_PORTS.trunk + 33;
const DID = '+18005550100';
// An originate: POST /ari/channels/<id> (not /channels/<id>/play and the like).
const isOriginate = (method: string, p: string) => method === 'POST' && /^\/ari\/channels\/[0-9a-f-]{36}$/.test(p);
const ARI_TIMEOUT_MS = 5000;

/** Seconds from the phone's INVITE to its CANCEL, as seen by polling its message log. */
async function ringSeconds(phone: SippHandle): Promise<number> {
  await eventually(async () => (await phone.receivedInvites()).length === 1, 15_000, 100);
  const rang = Date.now();
  await eventually(async () => (await phone.receivedRequests('CANCEL')).length === 1, 20_000, 100);
  return (Date.now() - rang) / 1000;
}

/** The agent's presence as a socket that connects now is told it (what the database says). */
async function presenceNow(server: TestServer, token: string): Promise<Presence['state']> {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(server.url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  try {
    return await new Promise<Presence['state']>((resolve, reject) => {
      socket.on('presence', (p) => resolve(p.state));
      socket.on('connect_error', reject);
    });
  } finally {
    socket.close();
  }
}

/** An agent of the inbound test org with a static-IP phone played by SIPp on `sipPort`. */
async function inboundAgent(server: TestServer, admin: string, sipPort: number): Promise<{ id: string; token: string }> {
  const email = `stuck-in-${sipPort}-${Date.now()}@it.test`;
  const user = await server.request('POST', '/api/users', { token: admin, body: { name: 'Agent Stuck', email, password: 'agent-password-123', role: 'agent', workPhoneType: 'static_ip', workPhone: `127.0.0.1:${sipPort}`, stateLicences: ['TX'] } });
  const token = await server.login(email, 'agent-password-123');
  await server.request('PATCH', '/api/me/session', { token, body: { loggedIn: true, callsOn: true } });
  return { id: user.body.id, token };
}

function carrierCall(caller: string, callMs: number): Promise<SippHandle> {
  return startSipp({
    scenario: 'inbound-call',
    port: CARRIER_PORT,
    ip: IT_TRUNK_HOST,
    remote: `127.0.0.1:${IT_PORTS.sip}`,
    vars: { caller, call_ms: String(callMs) },
    extraArgs: ['-m', '1', '-s', DID],
    traceDir: path.join(IT_DIR, 'sipp-stuck'),
    name: `stuck-carrier-${Date.now()}`,
  });
}

describe('No call or agent left stuck when a step fails (real Asterisk + SIPp)', () => {
  let proxy: AriDelayProxy | undefined;
  let server: TestServer | undefined;

  afterEach(async () => {
    await stopAllSipp();
    await server?.close();
    await proxy?.close();
    server = undefined;
    proxy = undefined;
  });

  async function serverBehindProxy(env: Record<string, string> = {}): Promise<TestServer> {
    const ast = itAsteriskOptions();
    proxy = await startAriDelayProxy(`http://127.0.0.1:${ast.ariPort}`);
    server = await startServer({ ARI_URL: proxy.url, ...env });
    await server.ari.waitUntilUp(15_000);
    return server;
  }

  it('ring all: an originate whose answer times out is hung up at once (the phone gets a CANCEL), the leg ends and the agent is free', async () => {
    const srv = await serverBehindProxy();
    const phone = await agentSipp(port(0), {}, 'no-answer');
    const setup = await setupRingAll(srv, { agents: 1, phoneAt: () => `127.0.0.1:${port(0)}`, ringTimeoutSeconds: 60 });
    proxy!.delay(isOriginate, ARI_TIMEOUT_MS + 4000);
    const prospectId = await postLead(srv, setup);

    // Asterisk created the channel (the phone rings); the server gave up after 5 s and hung it up,
    // long before the round's 60 s.
    const rang = await ringSeconds(phone);
    expect(proxy!.delayed).toHaveLength(1);
    expect(rang).toBeGreaterThanOrEqual(ARI_TIMEOUT_MS / 1000 - 1);
    expect(rang).toBeLessThan(20);
    const prospect = await settledProspect(srv, setup, prospectId, 20_000);
    expect(prospect).toMatchObject({ status: 'exception', failureReason: 'No agents answered the call' });
    const [leg] = await callActivity(srv, setup, prospectId);
    expect(leg).toMatchObject({ result: 'failed' });
    expect(leg.endedAt).toBeTruthy();
    expect((await srv.request('GET', '/api/me', { token: setup.agents[0].token })).body.onCall).toBe(false);
    // Nothing rings afterwards: one INVITE, and the app holds no channel.
    await new Promise((r) => setTimeout(r, 1000));
    expect(await phone.receivedInvites()).toHaveLength(1);
    expect((await srv.ari.asterisk.application(srv.ari.app)).channel_ids).toEqual([]);
  });

  it('inbound: an agent leg whose originate times out is hung up at once, and the caller reaches the fallback', async () => {
    // Inbound calls reach the app named in the test Asterisk's dialplan.
    const srv = await serverBehindProxy({ ARI_APP: itAsteriskOptions().ariApp, INBOUND_RING_TIMEOUT_SECONDS: '60' });
    const admin = await srv.login();
    const phone = await startSipp({ scenario: 'no-answer', port: port(1), traceDir: path.join(IT_DIR, 'sipp-stuck'), name: `stuck-agent-${Date.now()}` });
    const agent = await inboundAgent(srv, admin, port(1));
    proxy!.delay(isOriginate, ARI_TIMEOUT_MS + 4000);

    const carrier = await carrierCall('+15125550166', 12_000);
    expect(await ringSeconds(phone)).toBeLessThan(20); // not the 60 s ring timeout
    const rows = await eventually(async () => {
      const res = await srv.request('GET', '/api/call-activity?pageSize=50', { token: admin });
      const mine = res.body.items.filter((r: any) => r.from === '+15125550166');
      return mine.length === 2 && mine.every((r: any) => r.endedAt) ? mine : undefined;
    }, 30_000, 200);
    // The caller was answered by the voicemail prompt, not left ringing.
    expect(rows.find((r: any) => r.purpose === 'inbound')).toMatchObject({ result: 'voicemail' });
    expect(rows.find((r: any) => r.purpose === 'inbound_agent')).toMatchObject({ result: 'failed', by: { id: agent.id } });
    expect((await srv.request('GET', '/api/me', { token: agent.token })).body.onCall).toBe(false);
    await carrier.exited;
    expect(await phone.receivedInvites()).toHaveLength(1);
  });

  it('inbound: a call whose rows cannot be written stops ringing its agents, gives them back and hangs the caller up at once', async () => {
    const srv = await serverBehindProxy({ ARI_APP: itAsteriskOptions().ariApp, INBOUND_RING_TIMEOUT_SECONDS: '5' });
    const admin = await srv.login();
    const phone = await startSipp({ scenario: 'no-answer', port: port(2), traceDir: path.join(IT_DIR, 'sipp-stuck'), name: `stuck-agent-${Date.now()}` });
    const agent = await inboundAgent(srv, admin, port(2));
    // The call's rows cannot be written, once: they are written while the agent's phone rings.
    const openCall = jest.spyOn(srv.app.get(CallLegRepository), 'openCall').mockRejectedValueOnce(new Error('injected: database write failed'));

    const carrier = await carrierCall('+15125550167', 12_000);
    // The carrier gets a failure answer at once (it may route the call elsewhere), not ringing for nobody.
    const started = Date.now();
    const code = await carrier.exited;
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(code).not.toBe(0);
    const finals = (await carrier.parsedMessages()).filter((m) => m.direction === 'received' && (m.status ?? 0) >= 300);
    expect(finals[0]?.status).toBeGreaterThanOrEqual(400);
    expect(openCall).toHaveBeenCalledTimes(1);
    // The phone rung while the rows were being written is cancelled, long before the 5 s ring timeout.
    await eventually(async () => (await phone.receivedRequests('CANCEL')).length === 1, 3_000, 100);
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(await phone.receivedInvites()).toHaveLength(1);
    await eventually(async () => (await srv.request('GET', '/api/me', { token: agent.token })).body.onCall === false, 3_000, 100);
    expect(await presenceNow(srv, agent.token)).toBe('available');
    await eventually(async () => (await srv.ari.asterisk.application(srv.ari.app)).channel_ids.length === 0, 3_000, 100);
    // Nothing of the dropped call was kept.
    const kept = (await srv.request('GET', '/api/call-activity?pageSize=50', { token: admin })).body.items.filter((r: any) => r.from === '+15125550167');
    expect(kept).toEqual([]);

    // The next call rings the agent again.
    const next = await carrierCall('+15125550168', 1000);
    await eventually(async () => (await phone.receivedInvites()).length === 2, 15_000, 100);
    await next.exited;
    // Over on the server too (its rows closed) before the server stops.
    await eventually(async () => {
      const res = await srv.request('GET', '/api/call-activity?pageSize=50', { token: admin });
      const rows = res.body.items.filter((r: any) => r.from === '+15125550168');
      return rows.length === 2 && rows.every((r: any) => r.endedAt);
    }, 20_000, 200);
  });

  it('ring all: a round whose rows cannot be written stops ringing, gives its agents back and becomes a lead exception with the reason', async () => {
    const srv = await serverBehindProxy();
    const phone = await agentSipp(port(3), {}, 'no-answer');
    const setup = await setupRingAll(srv, { agents: 1, phoneAt: () => `127.0.0.1:${port(3)}`, ringTimeoutSeconds: 30 });
    const openCall = jest.spyOn(srv.app.get(CallLegRepository), 'openCall').mockRejectedValueOnce(new Error('injected: database write failed'));
    const prospectId = await postLead(srv, setup);
    const prospect = await settledProspect(srv, setup, prospectId, 20_000);
    expect(openCall).toHaveBeenCalledTimes(1);
    expect(prospect).toMatchObject({ status: 'exception', failureReason: 'Fatal error' });
    // The rows are written while the phones ring: the one phone rung is cancelled, well before the 30 s ring timeout.
    await eventually(async () => (await phone.receivedRequests('CANCEL')).length === 1, 5_000, 100);
    expect(await phone.receivedInvites()).toHaveLength(1);
    await eventually(async () => (await srv.request('GET', '/api/me', { token: setup.agents[0].token })).body.onCall === false, 5_000, 100);
    expect(await presenceNow(srv, setup.agents[0].token)).toBe('available');
    expect((await srv.ari.asterisk.application(srv.ari.app)).channel_ids).toEqual([]);
  });

  it('recovery sweep, one instance without Redis: a lead whose failure handling threw becomes an exception, and an agent left on a call that no longer exists is freed', async () => {
    const srv = await serverBehindProxy({ RECOVERY_SWEEP_SECONDS: '1' });
    const phone = await agentSipp(port(4), {}, 'no-answer');
    const setup = await setupRingAll(srv, { agents: 2, phoneAt: (i) => (i === 0 ? `127.0.0.1:${port(4)}` : '127.0.0.1:9'), ringTimeoutSeconds: 6, available: true });
    const [ringing, idle] = setup.agents;
    // The second agent is reserved for a call that never comes to be (its runner died before writing a leg).
    await srv.request('PATCH', '/api/me/session', { token: idle.token, body: { callsOn: false } });
    expect(await srv.app.get(AgentLines).reserveFree([idle.id], new Date())).toEqual([idle.id]);
    expect((await srv.request('GET', '/api/me', { token: idle.token })).body.onCall).toBe(true);
    // Filing the round's outcome (No agents answered) throws once: the lead would stay `distributing`.
    const fail = jest.spyOn(srv.app.get(DistributionRepository), 'fail').mockRejectedValueOnce(new Error('injected: database write failed'));
    const prospectId = await postLead(srv, setup);
    await eventually(async () => (await phone.receivedInvites()).length === 1, 10_000, 100);
    // Ringing for longer than two sweeps: an agent with an open leg is never taken for a leftover.
    await new Promise((r) => setTimeout(r, 3500));
    expect((await srv.request('GET', '/api/me', { token: ringing.token })).body.onCall).toBe(true);
    expect((await srv.request('GET', `/api/prospects/${prospectId}`, { token: setup.admin })).body.status).toBe('distributing');

    // The idle agent: freed after two sweeps found no leg, presence green again.
    await eventually(async () => (await srv.request('GET', '/api/me', { token: idle.token })).body.onCall === false, 10_000, 200);
    await srv.request('PATCH', '/api/me/session', { token: idle.token, body: { callsOn: true } });
    expect(await presenceNow(srv, idle.token)).toBe('available');
    // The lead: past its ring time and the grace, a Fatal error exception, once.
    const prospect = await settledProspect(srv, setup, prospectId, 20_000);
    expect(prospect).toMatchObject({ status: 'exception', failureReason: 'Fatal error' });
    expect(fail).toHaveBeenCalledTimes(2); // the injected throw, then the sweep's guarded update
    expect((await srv.request('GET', '/api/me', { token: ringing.token })).body.onCall).toBe(false);
    const exceptions = await srv.request('GET', '/api/lead-exceptions?pageSize=100', { token: setup.admin });
    expect(exceptions.status).toBe(200);
    expect(exceptions.body.items.filter((r: any) => r.prospectId === prospectId)).toHaveLength(1);
  });
});

describe('Recovery sweep on two instances (compiled servers, one database, Redis)', () => {
  it('a stuck lead becomes one lead exception, not two', async () => {
    const redis = await startRedis();
    const receiver = await WebhookReceiver.start();
    const cluster = await startCluster(2, { name: 'stuck', redisUrl: redis.url, env: { RECOVERY_SWEEP_SECONDS: '1' } });
    const [A, B] = cluster.instances;
    const url = A.env.DATABASE_URL;
    const db = url.startsWith('sqlite:') ? knex({ client: 'better-sqlite3', connection: { filename: url.slice('sqlite:'.length) }, useNullAsDefault: true }) : knex({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
    try {
      const admin = await A.login();
      await createWebhook(A, admin, receiver.url, { events: ['lead.exception'] });
      const group = await A.request('POST', '/api/distribution-groups', { token: admin, body: { name: 'stuck group', memberIds: [] } });
      const ringAll = await A.request('POST', '/api/campaigns', { token: admin, body: { name: 'stuck ring all', distributionType: 'ring_all', distributionGroupId: group.body.id, ringTimeoutSeconds: 5 } });
      const none = await A.request('POST', '/api/campaigns', { token: admin, body: { name: 'stuck none', distributionType: 'none' } });
      expect([ringAll.status, none.status]).toEqual([201, 201]);
      const posted = await B.request('POST', `/api/action-post/${none.body.id}`, { body: { FirstName: 'Stuck', LastName: 'Lead', MobilePhone: '+15125550191', PropertyState: 'TX' }, headers: { 'x-api-key': none.body.apiKey } });
      const prospectId = posted.body.Data.ProspectId as string;
      // What a ring-all distribution that threw on a live instance (A) leaves behind: `distributing`
      // since its acceptance, owned by A — the recovery of stopped instances never touches it.
      const owner = `${A.env.ARI_APP}@${A.env.ARI_URL}`;
      expect(await db('prospect').where({ id: prospectId }).update({ campaign_id: ringAll.body.id, status: 'distributing', distribution_owner: owner, distribution_started_at: db.ref('created_at') })).toBe(1);
      expect((await B.request('GET', `/api/prospects/${prospectId}`, { token: admin })).body.status).toBe('distributing');

      const settled = await eventually(async () => {
        const p = (await B.request('GET', `/api/prospects/${prospectId}`, { token: admin })).body;
        return p.status === 'exception' ? p : undefined;
      }, 30_000, 200);
      expect(settled.failureReason).toBe('Fatal error');
      // Both instances swept it several times meanwhile: one guarded update, one lead.exception.
      const ofLead = () => receiver.received.filter((r) => r.json?.type === 'lead.exception' && JSON.stringify(r.json).includes(prospectId));
      await eventually(() => ofLead().length >= 1, 20_000, 200);
      await new Promise((r) => setTimeout(r, 3000));
      expect(ofLead()).toHaveLength(1);
      const exceptions = await A.request('GET', '/api/lead-exceptions?pageSize=100', { token: admin });
      expect(exceptions.body.items.filter((r: any) => r.prospectId === prospectId)).toHaveLength(1);
    } finally {
      await db.destroy();
      await cluster.stop();
      await redis.stop();
      await receiver.stop();
    }
  });
});
