// The ARI client against a real HTTP server on loopback that holds each request a while and
// counts how many it holds together: what a request carries, its connections, its limit on
// requests at Asterisk at once.
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ARI_MAX_OPENING_CONNECTIONS, AriHttpClient, AriHttpError } from './ari-http.client';

describe('AriHttpClient', () => {
  let server: Server;
  let baseUrl: string;
  let holdMs = 0;
  let held = 0;
  let mostHeld = 0;
  let answered = 0;
  /** How many requests had been answered when each one arrived, by URL. */
  const answeredBefore = new Map<string, number>();
  /** What each request carried, by URL. */
  const received = new Map<string, { method?: string; authorization?: string; contentType?: string; body: string }>();
  let connections = 0;
  /** Connections the server took before it sent its first answer (since the last reset). */
  let connectionsBeforeAnswer = 0;

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      answeredBefore.set(req.url ?? '', answered);
      held++;
      mostHeld = Math.max(mostHeld, held);
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => received.set(req.url ?? '', { method: req.method, authorization: req.headers.authorization, contentType: req.headers['content-type'], body }));
      setTimeout(() => {
        held--;
        answered++;
        if (req.url?.startsWith('/ari/missing')) {
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ message: 'Channel not found' }));
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ url: req.url }));
      }, holdMs);
    });
    server.on('connection', () => {
      connections++;
      if (answered === 0) connectionsBeforeAnswer++;
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  beforeEach(() => {
    answeredBefore.clear();
    mostHeld = 0;
    answered = 0;
    connectionsBeforeAnswer = 0;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends the query, the JSON body and the credentials, keeps its connections open, and keeps the status of a refusal', async () => {
    holdMs = 0;
    const client = new AriHttpClient(baseUrl, 'leadline', 's3cret', { maxInFlight: 4 });
    const before = connections;
    expect(await client.request('POST', '/channels/c1/variable', { variable: 'X', value: 'a b&c' }, { note: 'ünïcode' })).toEqual({ url: '/ari/channels/c1/variable?variable=X&value=a+b%26c' });
    expect(received.get('/ari/channels/c1/variable?variable=X&value=a+b%26c')).toEqual({
      method: 'POST',
      authorization: `Basic ${Buffer.from('leadline:s3cret').toString('base64')}`,
      contentType: 'application/json',
      body: JSON.stringify({ note: 'ünïcode' }),
    });
    for (let i = 0; i < 5; i++) await client.request('DELETE', `/channels/k${i}`);
    // One after another, all six on the one connection kept open.
    expect(connections - before).toBe(1);
    const refused = await client.request('DELETE', '/missing/c9').catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(AriHttpError);
    expect(refused).toMatchObject({ status: 404, message: 'ARI DELETE /missing/c9 answered 404: Channel not found' });
  });

  it('has at most maxInFlight requests at Asterisk; the others are sent in the order they were made', async () => {
    holdMs = 40;
    const client = new AriHttpClient(baseUrl, 'u', 'p', { maxInFlight: 4 });
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => client.request<{ url: string }>('POST', `/channels/c${i}`)));
    expect(answers.map((a) => a.url)).toEqual(Array.from({ length: 30 }, (_, i) => `/ari/channels/c${i}`));
    expect(mostHeld).toBe(4);
    // In order: the i-th request is sent once a place is free, i.e. after i - 3 answers. (Two sent
    // together on two connections may arrive either way round, so arrival order is not compared.)
    for (let i = 4; i < 30; i++) expect([i, answeredBefore.get(`/ari/channels/c${i}`)! >= i - 3]).toEqual([i, true]);
  });

  it('opens at most ARI_MAX_OPENING_CONNECTIONS connections before the first of them is answered; the others then follow', async () => {
    holdMs = 40;
    const client = new AriHttpClient(baseUrl, 'u', 'p', { maxInFlight: 32 });
    const before = connections;
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => client.request<{ url: string }>('POST', `/channels/o${i}`)));
    expect(answers.map((a) => a.url)).toEqual(Array.from({ length: 60 }, (_, i) => `/ari/channels/o${i}`));
    expect(connectionsBeforeAnswer).toBe(ARI_MAX_OPENING_CONNECTIONS);
    // Once connections are answered, the requests at the server grow past that, on at most
    // maxInFlight connections.
    expect(mostHeld).toBeGreaterThan(ARI_MAX_OPENING_CONNECTIONS);
    expect(connections - before).toBeLessThanOrEqual(32);
  });

  it('sends an urgent request ahead of the ones waiting that are not, and urgent ones in order', async () => {
    holdMs = 40;
    const client = new AriHttpClient(baseUrl, 'u', 'p', { maxInFlight: 1 });
    const normal = [0, 1, 2, 3].map((i) => client.request('POST', `/n${i}`));
    const urgent = [0, 1].map((i) => client.request('DELETE', `/u${i}`, {}, undefined, 'urgent'));
    await Promise.all([...normal, ...urgent]);
    // One place: n0 was sent at once; the two urgent ones next, in order; then n1..n3.
    expect(['/ari/n0', '/ari/u0', '/ari/u1', '/ari/n1', '/ari/n2', '/ari/n3'].map((u) => answeredBefore.get(u))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(mostHeld).toBe(1);
  });

  it('holds a background request until no other request is at Asterisk or waiting', async () => {
    holdMs = 40;
    const client = new AriHttpClient(baseUrl, 'u', 'p', { maxInFlight: 4 });
    const first = client.request('POST', '/channels/n0');
    const light = client.request('PUT', '/deviceStates/b0', {}, undefined, 'background');
    // Made after the background one, while n0 is still at Asterisk: it goes first all the same.
    const second = client.request('POST', '/channels/n1');
    await Promise.all([first, light, second]);
    expect(['/ari/channels/n0', '/ari/channels/n1', '/ari/deviceStates/b0'].map((u) => answeredBefore.get(u))).toEqual([0, 0, 2]);
    // Nothing else at Asterisk: a background request goes at once.
    const alone = Date.now();
    await client.request('PUT', '/deviceStates/b1', {}, undefined, 'background');
    expect(Date.now() - alone).toBeLessThan(40 + 200);
  });

  it('sends a background request anyway once it has waited backgroundMaxWaitMs', async () => {
    holdMs = 400;
    const client = new AriHttpClient(baseUrl, 'u', 'p', { maxInFlight: 4, backgroundMaxWaitMs: 50 });
    const busy = client.request('POST', '/channels/long');
    const light = client.request('PUT', '/deviceStates/late', {}, undefined, 'background');
    await Promise.all([busy, light]);
    // Sent while the 400 ms request was still held: after its 50 ms, not after the other's answer.
    expect(answeredBefore.get('/ari/deviceStates/late')).toBe(0);
    expect(mostHeld).toBe(2);
  });

  it('times each request from when it is sent, not while it waits for its turn', async () => {
    holdMs = 400;
    const client = new AriHttpClient(baseUrl, 'u', 'p', { timeoutMs: 1000, maxInFlight: 1 });
    const started = Date.now();
    const answers = await Promise.all([0, 1, 2].map((i) => client.request<{ url: string }>('GET', `/asterisk/info?n=${i}`)));
    expect(answers).toHaveLength(3);
    // One after the other: all three took over 1,190 ms, past the 1 s timeout, and none timed out.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1190);
    expect(mostHeld).toBe(1);
  });

  it('gives a failed request its place back', async () => {
    holdMs = 0;
    const client = new AriHttpClient('http://127.0.0.1:1', 'u', 'p', { timeoutMs: 1000, maxInFlight: 2 });
    // Three in a row with two places: the third would wait for ever had the first two kept theirs.
    for (let i = 0; i < 3; i++) await expect(client.request('GET', '/asterisk/info')).rejects.toThrow(/unreachable/);
    const working = new AriHttpClient(baseUrl, 'u', 'p', { timeoutMs: 1000, maxInFlight: 1 });
    await expect(working.request('GET', '/x')).resolves.toEqual({ url: '/ari/x' });
    await expect(Promise.all([client.request('GET', '/a'), client.request('GET', '/b')])).rejects.toThrow(/unreachable/);
  });

  it('closes a connection left idle for idleConnectionMs; keepWarm keeps its connections open through a quiet spell longer than that', async () => {
    holdMs = 0;
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const burst = async (client: AriHttpClient): Promise<number> => {
      holdMs = 40; // held: three requests at once need three connections
      const before = connections;
      await Promise.all([0, 1, 2].map((i) => client.request('GET', `/burst/${i}`)));
      holdMs = 0;
      return connections - before;
    };
    const cold = new AriHttpClient(baseUrl, 'u', 'p', { idleConnectionMs: 150 });
    const warm = new AriHttpClient(baseUrl, 'u', 'p', { idleConnectionMs: 150 });
    expect(await burst(cold)).toBe(3);
    const opened = connections;
    const stop = warm.keepWarm(3, 50);
    await sleep(500); // past the idle time, several times
    stop();
    expect(connections - opened).toBe(3); // the warm client's three, opened once
    await sleep(20); // the last pings answered
    expect(await burst(cold)).toBe(3); // its connections were closed while idle
    expect(await burst(warm)).toBe(0);
    // Stopped: no more pings.
    const answeredAfterStop = answered;
    await sleep(200);
    expect(answered).toBe(answeredAfterStop);
  });
});
