// No lead lost when telephony or the server itself fails in the middle of a ring-all round.
import { EntityManager } from '@mikro-orm/knex';
import { mkdtempSync } from 'node:fs';
import * as path from 'node:path';
import { Prospect } from '../../apps/server/src/database/entities';
import { AriHttpClient } from '../../apps/server/src/telephony/ari/ari-http.client';
import { asterisk, IT_DIR, IT_PORT_BASE, itAsteriskOptions } from '../harness/it-env';
import { eventually, spawnServer, startServer } from '../harness/server';
import { stopAllSipp } from '../harness/sipp';
import { agentSipp, callActivity, postLead, settledProspect, setupRingAll } from './ring-all.fixture';

const ari = () => {
  const o = itAsteriskOptions();
  return new AriHttpClient(`http://127.0.0.1:${o.ariPort}`, 'leadline', o.ariPassword);
};

async function channelsOfApp(app: string): Promise<string[]> {
  try {
    return (await ari().request<{ channel_ids: string[] }>('GET', `/applications/${app}`)).channel_ids;
  } catch {
    return []; // app not registered (no websocket): it holds no channels either
  }
}

describe('Ring All failures (real Asterisk + SIPp)', () => {
  afterAll(() => stopAllSipp());

  it('files a lead that arrives while the telephony link is down as a Fatal error at once, from new, with no agent held', async () => {
    // Nothing listens there: the link never comes up.
    const server = await startServer({ ARI_URL: `http://127.0.0.1:${IT_PORT_BASE + 698}` });
    try {
      const setup = await setupRingAll(server, { agents: 1, phoneAt: () => `127.0.0.1:${IT_PORT_BASE + 697}` });
      const prospectId = await postLead(server, setup);
      const prospect = await settledProspect(server, setup, prospectId, 10_000);
      expect(prospect).toMatchObject({ status: 'exception', failureReason: 'Fatal error' });
      // The API does not show the detail; the row holds it.
      expect(await server.app.get(EntityManager).fork().findOneOrFail(Prospect, prospectId)).toMatchObject({ failureDetail: 'telephony link down when the lead arrived', distributionOwner: null });
      expect((await server.request('GET', '/api/me', { token: setup.agents[0].token })).body.onCall).toBe(false);
    } finally {
      await server.close();
    }
  });

  it('turns a round into a Fatal error exception when Asterisk restarts mid-ring, and frees the agents', async () => {
    const server = await startServer();
    try {
      await server.ari.waitUntilUp(15_000);
      const phones = await Promise.all([0, 1].map((i) => agentSipp(IT_PORT_BASE + 510 + i, {}, 'no-answer')));
      const setup = await setupRingAll(server, { agents: 2, phoneAt: (i) => `127.0.0.1:${IT_PORT_BASE + 510 + i}`, ringTimeoutSeconds: 30 });
      const prospectId = await postLead(server, setup);
      await eventually(async () => (await Promise.all(phones.map((p) => p.receivedInvites()))).every((i) => i.length === 1), 10_000);

      const ast = await asterisk();
      await ast.restart();
      const prospect = await settledProspect(server, setup, prospectId, 10_000);
      expect(prospect).toMatchObject({ status: 'exception', failureReason: 'Fatal error' });
      for (const a of setup.agents) expect((await server.request('GET', '/api/me', { token: a.token })).body.onCall).toBe(false);
      // Back up: the server reconnects and nothing of the old round is left ringing.
      await server.ari.waitUntilUp(20_000);
      expect(await channelsOfApp(server.ari.app)).toEqual([]);
      for (const phone of phones) await phone.stop();
    } finally {
      await server.close();
    }
  });

  it('after kill -9 mid-ring, the restarted server files the lead as Fatal error and hangs up the leftover calls', async () => {
    const dataDir = mkdtempSync(path.join(IT_DIR, 'crash-'));
    const app = `it-crash-${process.pid}`;
    const env = { LEADLINE_DATA_DIR: dataDir, ARI_APP: app };
    const answering = await agentSipp(IT_PORT_BASE + 520, { answer_ms: '100' }, 'agent-silent');
    const ringing = await agentSipp(IT_PORT_BASE + 521, {}, 'no-answer');

    const first = await spawnServer(env);
    const setup = await setupRingAll(first, { agents: 2, phoneAt: (i) => `127.0.0.1:${IT_PORT_BASE + 520 + i}`, ringTimeoutSeconds: 60 });
    const prospectId = await postLead(first, setup);
    // One agent answered (its channel sits in our Stasis app), the other is still ringing.
    await eventually(async () => (await callActivity(first, setup, prospectId)).some((l) => l.result === 'answered'), 10_000);
    expect(await channelsOfApp(app)).toHaveLength(2); // the answered leg and the ringing one
    await first.kill();

    const second = await spawnServer(env);
    try {
      const admin = await second.login();
      const fresh = { ...setup, admin };
      expect(await settledProspect(second, fresh, prospectId, 10_000)).toMatchObject({ status: 'exception', failureReason: 'Fatal error' });
      await eventually(async () => (await channelsOfApp(app)).length === 0, 10_000);
      await eventually(async () => (await answering.receivedRequests('BYE')).length === 1, 10_000);
      const legs = await callActivity(second, fresh, prospectId);
      expect(legs.every((l) => l.endedAt)).toBe(true);
      for (const a of setup.agents) {
        const token = await second.login((await second.request('GET', `/api/users/${a.id}`, { token: admin })).body.email, 'agent-password-123');
        expect((await second.request('GET', '/api/me', { token })).body.onCall).toBe(false);
      }
    } finally {
      await second.stop();
      await answering.stop();
      await ringing.stop();
    }
  });
});
