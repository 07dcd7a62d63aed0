// The inbound fallback number: unanswered calls are forwarded through the trunk before voicemail.
import * as path from 'node:path';
import { IT_DIR, IT_PORTS, IT_TRUNK_HOST, itAsteriskOptions } from '../harness/it-env';
import { eventually, startServer, TestServer } from '../harness/server';
import { startSipp, stopAllSipp } from '../harness/sipp';

const FALLBACK = '+15125550999';

describe('Inbound fallback number (real Asterisk + SIPp)', () => {
  let server: TestServer;
  let admin: string;
  let seq = 0;

  beforeAll(async () => {
    server = await startServer({ ARI_APP: itAsteriskOptions().ariApp, INBOUND_RING_TIMEOUT_SECONDS: '5', INBOUND_FALLBACK_NUMBER: FALLBACK });
    admin = await server.login();
    await server.ari.waitUntilUp(15_000);
  });

  afterAll(async () => {
    await stopAllSipp();
    await server.close();
  });

  async function callAndWait(caller: string, callMs: number): Promise<any> {
    const carrier = await startSipp({
      scenario: 'inbound-call',
      port: IT_PORTS.trunk + 10 + ++seq,
      ip: IT_TRUNK_HOST,
      remote: `127.0.0.1:${IT_PORTS.sip}`,
      vars: { caller, call_ms: String(callMs) },
      extraArgs: ['-m', '1', '-s', '+18005550100'],
      traceDir: path.join(IT_DIR, 'sipp-inbound-fallback'),
      name: `carrier-fb-${seq}-${Date.now()}`,
    });
    const row = await eventually(async () => {
      const res = await server.request('GET', '/api/call-activity?pageSize=20', { token: admin });
      return res.body.items.find((r: any) => r.purpose === 'inbound' && r.from === caller && r.endedAt);
    }, 25_000, 200);
    await carrier.exited;
    return row;
  }

  it('forwards an unanswered call to the fallback number, showing the caller, and records it', async () => {
    const office = await startSipp({ scenario: 'borrower-answer', port: IT_PORTS.trunk, ip: IT_TRUNK_HOST, vars: { answer_ms: '300' }, traceDir: path.join(IT_DIR, 'sipp-inbound-fallback'), name: `office-${Date.now()}` });
    const row = await callAndWait('+13055550142', 3000);
    expect(row).toMatchObject({ result: 'forwarded' });
    expect(row.recording).toBeTruthy();
    const invites = await office.receivedInvites();
    expect(invites).toHaveLength(1);
    expect(invites[0].requestUri).toContain(FALLBACK.slice(1));
    expect(`${invites[0].from} ${invites[0].pai ?? ''}`).toContain('+13055550142');
    const missed = await server.request('GET', '/api/inbound/missed-calls', { token: admin });
    expect(missed.body.items.map((m: any) => m.id)).toContain(row.id);
    await office.stop();
  });

  it('falls back to voicemail when the fallback number is busy', async () => {
    const office = await startSipp({ scenario: 'busy', port: IT_PORTS.trunk, ip: IT_TRUNK_HOST, traceDir: path.join(IT_DIR, 'sipp-inbound-fallback'), name: `office-busy-${Date.now()}` });
    const row = await callAndWait('+13055550143', 9000);
    expect(row).toMatchObject({ result: 'voicemail' });
    await office.stop();
  });
});
