// Foundation: the server drives a real Asterisk over ARI and hears a real SIP phone's DTMF;
// it notices Asterisk dying and reconnects when it is back.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import * as path from 'node:path';
import { ARI_WARM_CONNECTIONS } from '../../apps/server/src/telephony/ari/ari-http.client';
import { CallEvent, ChannelOwner, StasisRouter } from '../../apps/server/src/telephony/stasis-router';
import { asterisk, IT_DIR, IT_PORT_BASE, IT_PORTS } from '../harness/it-env';
import { eventually, startServer, TestServer } from '../harness/server';
import { startSipp, stopAllSipp } from '../harness/sipp';

/** TCP connections this process has established to the port on loopback (IPv4). */
function establishedFromHereTo(port: number): number {
  const own = new Set<string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith('socket:[')) own.add(target.slice('socket:['.length, -1));
    } catch {
      // closed meanwhile
    }
  }
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  // Columns: sl, local address, remote address, state (01: established), queues, timers, retransmits, uid, timeout, inode.
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f.length > 9 && f[2].endsWith(`:${hexPort}`) && f[3] === '01' && own.has(f[9])).length;
}

describe('ARI link (real Asterisk + SIPp)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
    await server.ari.waitUntilUp(15_000);
  });

  afterAll(async () => {
    await stopAllSipp();
    await server.close();
  });

  it('reports healthy once database and ARI are up', async () => {
    const res = await server.request('GET', '/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', db: { ok: true }, ari: { connected: true } });
  });

  it('keeps the connections a call sends its requests on open to Asterisk, with nothing to do', async () => {
    // The event websocket, and ARI_WARM_CONNECTIONS REST connections (AriHttpClient.keepWarm).
    // The server runs in this process; other workers' servers share the test Asterisk.
    const open = await eventually(() => {
      const n = establishedFromHereTo(IT_PORTS.ari);
      return n >= ARI_WARM_CONNECTIONS + 1 ? n : 0;
    }, 5_000);
    expect(open).toBeGreaterThanOrEqual(ARI_WARM_CONNECTIONS + 1);
  });

  it('originates a call to a SIP agent that answers and presses 1, and observes the digit', async () => {
    const agent = await startSipp({ scenario: 'agent-press', port: IT_PORT_BASE + 170, vars: { answer_ms: '200', dtmf_ms: '600' }, traceDir: path.join(IT_DIR, 'sipp-link') });
    const channelId = randomUUID();
    // The channel's owner, as any call claims its channel before creating it: the router hangs up
    // a channel nobody owns (stasis-router.spec.ts).
    const events: CallEvent[] = [];
    const owner: ChannelOwner = { label: 'link test', onCallEvent: (e) => events.push(e), linkLost: () => undefined, settled: async () => undefined };
    server.app.get(StasisRouter).claim(channelId, owner);

    await server.ari.channels.originate({
      channelId,
      endpoint: `PJSIP/trunk/sip:agent1@127.0.0.1:${IT_PORT_BASE + 170}`,
      app: server.ari.app,
      callerId: '"Leadline" <+15125550100>',
      timeoutSeconds: 10,
    });

    await eventually(() => events.some((e) => e.type === 'answered'), 10_000);
    const digit = await eventually(() => events.find((e) => e.type === 'dtmf'), 10_000);
    expect(digit).toEqual({ type: 'dtmf', channelId, digit: '1' });
    expect((await server.ari.channels.get(channelId)).state).toBe('Up');

    const invites = await agent.receivedInvites();
    expect(invites).toHaveLength(1);
    expect(invites[0].from).toContain('+15125550100');

    expect(await server.ari.channels.hangup(channelId)).toBe(true);
    // A second hang-up of a gone channel is a success, not an error.
    await eventually(async () => (await server.ari.channels.hangup(channelId)) === false, 5_000);
  });

  it('goes 503 when Asterisk dies and back to 200 when it returns', async () => {
    const ast = await asterisk();
    await ast.kill();
    await eventually(async () => (await server.request('GET', '/api/health')).status === 503, 5_000);
    const down = await server.request('GET', '/api/health');
    expect(down.body).toMatchObject({ status: 'degraded', db: { ok: true }, ari: { connected: false } });

    await asterisk(); // starts it again (same ports, same scratch folder)
    await eventually(async () => (await server.request('GET', '/api/health')).status === 200, 20_000);
    expect(server.ari.status.connected).toBe(true);
  });
});
