// The Stasis router against a real Asterisk: every channel in the app has exactly one owner, and a
// channel nobody may own is hung up at once — none is left holding RTP ports in the app.
import * as path from 'node:path';
import { InboundReads, InboundRepository } from '../../apps/server/src/inbound/inbound.repository';
import { AriHttpClient } from '../../apps/server/src/telephony/ari/ari-http.client';
import { AriApplication, AriChannel } from '../../apps/server/src/telephony/ari/ari.types';
import { createUser, loginAs } from '../factories';
import { IT_DIR, IT_PORT_BASE, IT_PORTS, IT_TRUNK_HOST, itAsteriskOptions } from '../harness/it-env';
import { eventually, startServer, TestServer } from '../harness/server';
import { SippHandle, startSipp, stopAllSipp } from '../harness/sipp';

// This suite's SIPp ports: IT_PORT_BASE + 530..539; its carriers send from IT_PORTS.trunk + 20..29.
const AGENT_PORT = IT_PORT_BASE + 530;
const traceDir = path.join(IT_DIR, 'sipp-stasis-router');
const DID = '+18005550100';

describe('Stasis router (real Asterisk + SIPp)', () => {
  let server: TestServer;
  let admin: string;
  let ari: AriHttpClient;
  let borrower: SippHandle;

  beforeAll(async () => {
    // Inbound calls reach the app named in the test Asterisk's dialplan: this suite registers it.
    server = await startServer({ INBOUND_RING_TIMEOUT_SECONDS: '5', ARI_APP: itAsteriskOptions().ariApp });
    admin = await server.login();
    await server.ari.waitUntilUp(15_000);
    const opts = itAsteriskOptions();
    ari = new AriHttpClient(`http://127.0.0.1:${opts.ariPort}`, 'leadline', opts.ariPassword);
    borrower = await startSipp({ scenario: 'borrower-answer', port: IT_PORTS.trunk, ip: IT_TRUNK_HOST, vars: { answer_ms: '50' }, traceDir, name: `borrower-${Date.now()}` });
  });

  afterAll(async () => {
    await stopAllSipp();
    await server?.close();
  });

  const appChannels = async () => (await ari.request<AriApplication>('GET', `/applications/${encodeURIComponent(server.config.ari.app)}`)).channel_ids;

  it('hangs up at once 50 answered channels that enter the app with no owner, and keeps none', async () => {
    // Ids of one length: Asterisk 22 finds a channel by a prefix of its id (get_by_uniqueid in
    // main/channelstorage_ao2_legacy.c compares strlen(id) characters), so stray-…-4 was refused with
    // 409 "Channel with given unique ID already exists" while stray-…-40 was up. The server uses UUIDs.
    const run = Date.now().toString(36);
    const ids = Array.from({ length: 50 }, (_, i) => `stray-${run}-${String(i).padStart(2, '0')}`);
    // Originated straight into the server's app, as a leftover of a dead process would be: they
    // answer (the carrier SIPp), enter Stasis with arguments no live call claims, and must go.
    const started = Date.now();
    await Promise.all(
      ids.map((id) => ari.request('POST', `/channels/${id}`, { endpoint: `PJSIP/+1512555${String(1000 + ids.indexOf(id)).slice(-4)}@trunk`, app: server.config.ari.app, appArgs: `ringall,${id}` })),
    );
    await eventually(async () => (await borrower.receivedRequests('BYE')).length >= 50, 30_000, 200);
    const elapsed = Date.now() - started;
    const live = new Set((await ari.request<AriChannel[]>('GET', '/channels')).map((c) => c.id));
    expect(ids.filter((id) => live.has(id))).toEqual([]);
    expect(await appChannels()).toEqual([]);
    // Hung up when they entered Stasis (answer after 50 ms), not by some later sweep.
    expect(elapsed).toBeLessThan(20_000);
  });

  it('an inbound caller who gives up while the call is still being routed rings nobody for a ghost call', async () => {
    const phone = await startSipp({ scenario: 'agent-silent', port: AGENT_PORT, vars: { answer_ms: '300' }, traceDir, name: `agent-${Date.now()}` });
    const agent = await createUser(server, admin, { workPhoneType: 'static_ip', workPhone: `127.0.0.1:${AGENT_PORT}`, stateLicences: ['TX'] });
    const token = await loginAs(server, agent);
    await server.request('PATCH', '/api/me/session', { token, body: { loggedIn: true, callsOn: true } });
    const caller = '+15125550161';
    // Routing is held for a second and the carrier gives up 200 ms after Asterisk's 100 Trying: the
    // call has entered our app and is still being routed, however slow the machine (a CANCEL sent
    // at once could reach Asterisk before the call entered the app, and then nothing was recorded).
    const inbound = server.app.get(InboundRepository);
    const together = inbound.together.bind(inbound) as (work: (reads: InboundReads) => Promise<unknown>) => Promise<unknown>;
    const held = jest.spyOn(inbound, 'together').mockImplementation((async (work: (reads: InboundReads) => Promise<unknown>) => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      return together(work);
    }) as typeof inbound.together);
    const carrier = await startSipp({
      scenario: 'inbound-cancel',
      port: IT_PORTS.trunk + 20,
      ip: IT_TRUNK_HOST,
      remote: `127.0.0.1:${IT_PORTS.sip}`,
      vars: { caller, cancel_ms: '200' },
      extraArgs: ['-m', '1', '-s', DID],
      traceDir,
      name: `carrier-cancel-${Date.now()}`,
    });
    await carrier.cleanExit();
    const row = await eventually(async () => {
      const res = await server.request('GET', '/api/call-activity?pageSize=50', { token: admin });
      return res.body.items.find((r: any) => r.purpose === 'inbound' && r.from === caller && r.endedAt);
    }, 15_000, 100);
    expect(held).toHaveBeenCalled();
    held.mockRestore();
    expect(row.result).toBe('abandoned');
    // The agent was never connected to a caller who is gone: no answered leg, free again at once.
    const legs = (await server.request('GET', '/api/call-activity?pageSize=50', { token: admin })).body.items.filter((r: any) => r.purpose === 'inbound_agent' && r.from === caller);
    expect(legs.filter((l: any) => l.answeredAt)).toEqual([]);
    await eventually(async () => (await server.request('GET', '/api/me', { token })).body.onCall === false, 5_000);
    await eventually(async () => (await appChannels()).length === 0, 10_000);
    await phone.stop();
  });
});
