// Cancelling a ringing leg another agent's answer made moot (LegCanceller), against a real Asterisk
// and a SIPp phone: over the server's logged-in AMI session while it is up, over ARI when AMI is
// not there, failed or silent; the phone's CANCEL says the call was answered elsewhere either way.
import { createServer, Server, Socket } from 'node:net';
import * as path from 'node:path';
import { AppConfig } from '../../apps/server/src/config/app-config';
import { AMI_HANGUP_TIMEOUT_MS, AmiClient } from '../../apps/server/src/telephony/ami/ami-client';
import { AriLink } from '../../apps/server/src/telephony/ari/ari-link';
import { LegCanceller } from '../../apps/server/src/telephony/leg-canceller';
import { IT_DIR, IT_PORT_BASE, IT_PORTS, IT_TRUNK_HOST } from '../harness/it-env';
import { eventually, startServer, TestServer } from '../harness/server';
import { SippHandle, startSipp, stopAllSipp } from '../harness/sipp';

// This suite's ports: the AMI relay on IT_PORT_BASE + 605; the phone is the trunk's SIPp.
const RELAY_PORT = IT_PORT_BASE + 605;
const traceDir = path.join(IT_DIR, 'sipp-leg-canceller');
const ANSWERED_ELSEWHERE = 'SIP;cause=200;text="Call completed elsewhere"';

/**
 * A TCP relay in front of Asterisk's AMI that a test can hold (nothing passes either way) or cut
 * (every connection through it closed): what a stalled or dropped AMI session looks like.
 */
class AmiRelay {
  private server?: Server;
  private readonly pairs = new Set<[Socket, Socket]>();
  held = false;

  constructor(
    private readonly port: number,
    private readonly target: number,
  ) {}

  /** Listens on the port (once: a later call finds it listening). */
  listen(): Promise<void> {
    if (this.server) return Promise.resolve();
    this.server = createServer((client) => {
      const upstream = new Socket();
      upstream.connect(this.target, '127.0.0.1');
      const pair: [Socket, Socket] = [client, upstream];
      this.pairs.add(pair);
      const pipe = (from: Socket, to: Socket) => from.on('data', (chunk) => this.held || to.write(chunk));
      pipe(client, upstream);
      pipe(upstream, client);
      const close = () => {
        this.pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.on('close', close).on('error', close);
      upstream.on('close', close).on('error', close);
    });
    return new Promise((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  cut(): void {
    for (const [client, upstream] of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
  }

  get connections(): number {
    return this.pairs.size;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }
}

describe('LegCanceller: losers cancelled over AMI, over ARI without it (real Asterisk + SIPp)', () => {
  let server: TestServer;
  let phone: SippHandle;
  let relay: AmiRelay;
  const clients: AmiClient[] = [];

  beforeAll(async () => {
    server = await startServer();
    await server.ari.waitUntilUp(15_000);
    phone = await startSipp({ scenario: 'no-answer', port: IT_PORTS.trunk, ip: IT_TRUNK_HOST, traceDir, name: `phone-${Date.now()}` });
    relay = new AmiRelay(RELAY_PORT, server.config.ami!.port);
  });

  afterAll(async () => {
    for (const c of clients) c.onApplicationShutdown();
    await relay?.close();
    await stopAllSipp();
    await server?.close();
  });

  /** An AMI client of its own (the server's settings, another port or password), started as the server starts its own. */
  function amiClient(ami: Partial<NonNullable<AppConfig['ami']>>): AmiClient {
    const client = new AmiClient(new AppConfig({ ...server.config, ami: { ...server.config.ami!, ...ami } }));
    clients.push(client);
    client.onApplicationBootstrap();
    return client;
  }

  /** ARI with a wrong password: every request it makes is refused, so a leg it "cancels" keeps ringing. */
  function refusedAri(): AriLink {
    return new AriLink(new AppConfig({ ...server.config, ari: { ...server.config.ari, password: 'not-the-ari-password' } }));
  }

  let calls = 0;
  /** Rings the phone from a new channel; resolves with its id once the phone has the INVITE. */
  async function ringingLeg(): Promise<string> {
    const id = `cxl-${process.pid}-${Date.now()}-${++calls}`;
    const before = (await phone.receivedInvites()).length;
    await server.ari.channels.originate({ channelId: id, endpoint: `PJSIP/+1512555${String(7000 + calls)}@trunk`, app: server.ari.app, appArgs: `ringall,${id}`, timeoutSeconds: 30 });
    await eventually(async () => (await phone.receivedInvites()).length > before, 10_000);
    return id;
  }

  async function cancelsSeen(): Promise<string[]> {
    return (await phone.receivedRequests('CANCEL')).map((m) => m.headers.get('reason')?.[0] ?? '(no Reason)');
  }

  /** The channel is gone from Asterisk and the phone got one more CANCEL, saying answered elsewhere. */
  async function expectCancelled(id: string, cancelsBefore: number): Promise<void> {
    await eventually(async () => (await cancelsSeen()).length > cancelsBefore, 5_000);
    expect((await cancelsSeen()).slice(cancelsBefore)).toEqual([ANSWERED_ELSEWHERE]);
    const live = await server.ari.channels.list();
    expect(live.map((c) => c.id)).not.toContain(id);
  }

  it("the server keeps one AMI session open, and a loser hung up through it gets a CANCEL saying answered elsewhere (ARI could not have sent it: its password is wrong here)", async () => {
    const ami = server.app.get(AmiClient);
    await eventually(() => ami.up, 10_000);
    expect((await server.request('GET', '/api/health')).body).toMatchObject({ status: 'ok', ami: { connected: true } });
    const canceller = new LegCanceller(refusedAri(), ami);
    const id = await ringingLeg();
    const before = (await cancelsSeen()).length;
    await expect(canceller.hangUp(id, 'answered_elsewhere')).resolves.toBe(true);
    await expectCancelled(id, before);
    // Gone: AMI says so, nothing else is tried.
    await expect(canceller.hangUp(id, 'answered_elsewhere')).resolves.toBe(false);
  });

  it('without an AMI session (nothing listens on AMI_PORT) the loser is hung up over ARI, with the same CANCEL', async () => {
    const dead = amiClient({ port: RELAY_PORT + 1 });
    await new Promise((r) => setTimeout(r, 300));
    expect(dead.up).toBe(false);
    const canceller = new LegCanceller(server.ari, dead);
    const id = await ringingLeg();
    const before = (await cancelsSeen()).length;
    await expect(canceller.hangUp(id, 'answered_elsewhere')).resolves.toBe(true);
    await expectCancelled(id, before);
  });

  it("health names a server's AMI session down, and why, without calling the server degraded", async () => {
    const noAmi = await startServer({ AMI_PORT: String(RELAY_PORT + 1) });
    try {
      await noAmi.ari.waitUntilUp(15_000);
      const health = async () => (await noAmi.request('GET', '/api/health')).body as { status: string; ami: { connected: boolean; error?: string } };
      await eventually(async () => (await health()).ami.error, 5_000);
      expect(await health()).toMatchObject({ status: 'ok', ami: { connected: false, error: expect.stringMatching(/ECONNREFUSED/) } });
    } finally {
      await noAmi.close();
    }
  });

  it('an AMI login refused (wrong password) leaves the session down and the cancels on ARI', async () => {
    const refused = amiClient({ password: 'not-the-ami-password' });
    await expect(refused.action({ Action: 'Ping' })).rejects.toThrow(/AMI login refused/);
    expect(refused.up).toBe(false);
    const id = await ringingLeg();
    const before = (await cancelsSeen()).length;
    await expect(new LegCanceller(server.ari, refused).hangUp(id, 'answered_elsewhere')).resolves.toBe(true);
    await expectCancelled(id, before);
  });

  it('a session that drops is opened again; one that leaves a hang-up unanswered is given up after AMI_HANGUP_TIMEOUT_MS, the leg hung up over ARI, and opened again', async () => {
    await relay.listen();
    const ami = amiClient({ port: RELAY_PORT });
    await eventually(() => ami.up, 10_000);

    relay.cut();
    await eventually(() => !ami.up, 5_000);
    await eventually(() => ami.up && relay.connections === 1, 10_000);
    const first = await ringingLeg();
    let before = (await cancelsSeen()).length;
    await expect(new LegCanceller(refusedAri(), ami).hangUp(first, 'answered_elsewhere')).resolves.toBe(true);
    await expectCancelled(first, before);

    // Held: Asterisk never sees the action. The CANCEL comes over ARI once the wait is over.
    relay.held = true;
    const second = await ringingLeg();
    before = (await cancelsSeen()).length;
    const started = Date.now();
    await expect(new LegCanceller(server.ari, ami).hangUp(second, 'answered_elsewhere')).resolves.toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(AMI_HANGUP_TIMEOUT_MS - 50);
    await expectCancelled(second, before);
    relay.held = false;
    await eventually(() => ami.up, 10_000);
    await expect(ami.action({ Action: 'Ping' })).resolves.toMatchObject({ Response: 'Success' });
  });

  it('a session cut while a hang-up is on its way: the leg is hung up over ARI at once, and the session opened again', async () => {
    await relay.listen();
    const ami = amiClient({ port: RELAY_PORT });
    await eventually(() => ami.up, 10_000);
    const id = await ringingLeg();
    const before = (await cancelsSeen()).length;
    // Held, so the action is in flight when the connection drops; the drop fails it long before the 1 s wait is over.
    relay.held = true;
    const started = Date.now();
    const hungUp = new LegCanceller(server.ari, ami).hangUp(id, 'answered_elsewhere');
    setTimeout(() => relay.cut(), 100);
    await expect(hungUp).resolves.toBe(true);
    expect(Date.now() - started).toBeLessThan(AMI_HANGUP_TIMEOUT_MS);
    await expectCancelled(id, before);
    relay.held = false;
    await eventually(() => ami.up, 10_000);
  });

  it('only answered-elsewhere goes over AMI: any other reason is an ARI hang-up (refused here, so the phone rings on)', async () => {
    const ami = server.app.get(AmiClient);
    expect(ami.up).toBe(true);
    const id = await ringingLeg();
    const before = (await cancelsSeen()).length;
    await expect(new LegCanceller(refusedAri(), ami).hangUp(id, 'no_answer')).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 300));
    expect(await cancelsSeen()).toHaveLength(before);
    expect((await server.ari.channels.list()).map((c) => c.id)).toContain(id);
    await expect(new LegCanceller(server.ari, ami).hangUp(id, 'answered_elsewhere')).resolves.toBe(true);
    await expectCancelled(id, before);
  });

  it('refuses an AMI field holding a line break, sending nothing', async () => {
    const ami = server.app.get(AmiClient);
    await expect(ami.action({ Action: 'Ping', Extra: 'x\r\nAction: Hangup' })).rejects.toThrow(/holds a line break/);
    await expect(ami.hangUp('x\r\nChannel: /.*/', 26)).rejects.toThrow(/holds a line break/);
    expect(ami.up).toBe(true);
  });
});
