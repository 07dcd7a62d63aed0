// A hop between the server and ARI that can hold Asterisk's answer to chosen requests: the request
// reaches Asterisk at once (it acts on it), the response comes back only after `delayMs` — past the
// server's ARI HTTP timeout, a slow or stalled Asterisk as the server sees it. The events websocket
// (an HTTP upgrade) is passed through untouched, until the test cuts it.
import { Agent, ClientRequest, createServer, request, Server } from 'node:http';
import { connect, Socket } from 'node:net';

export interface AriDelayProxy {
  /** The ARI_URL to give the server. */
  url: string;
  /** From now on, answers to requests that match are held back `delayMs`. */
  delay(match: (method: string, path: string) => boolean, delayMs: number): void;
  /** Requests whose answer was held back so far ("POST /ari/channels/<id>"…). */
  readonly delayed: string[];
  /** Cuts the events websocket (a network blip): the server sees its link drop and reconnects. */
  dropEvents(): void;
  close(): Promise<void>;
}

export async function startAriDelayProxy(target: string): Promise<AriDelayProxy> {
  const upstream = new URL(target);
  let rule: { match: (method: string, path: string) => boolean; delayMs: number } | null = null;
  const delayed: string[] = [];
  const sockets = new Set<Socket>();
  const websockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  // Its own agent, destroyed at close: kept-alive sockets to Asterisk would keep Jest from exiting.
  const agent = new Agent({ keepAlive: false });
  const upstreamRequests = new Set<ClientRequest>();
  const server: Server = createServer((req, res) => {
    const pathOnly = (req.url ?? '').split('?')[0];
    const hold = rule && rule.match(req.method ?? '', pathOnly) ? rule.delayMs : 0;
    if (hold) delayed.push(`${req.method} ${pathOnly}`);
    const out = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent }, (up) => {
      const answer = () => {
        timers.delete(timer);
        if (res.destroyed) return up.resume();
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      };
      const timer = setTimeout(answer, hold);
      timers.add(timer);
    });
    upstreamRequests.add(out);
    out.on('close', () => upstreamRequests.delete(out));
    out.on('error', () => res.headersSent || res.writeHead(502).end());
    req.pipe(out);
  });
  // The websocket: the upgrade request is replayed to Asterisk and both sockets piped together.
  server.on('upgrade', (req, client: Socket, head: Buffer) => {
    const up = connect(Number(upstream.port), upstream.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      up.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) up.write(head);
      up.pipe(client);
      client.pipe(up);
    });
    for (const s of [up, client]) {
      sockets.add(s);
      websockets.add(s);
      s.on('close', () => {
        sockets.delete(s);
        websockets.delete(s);
      });
      s.on('error', () => s.destroy());
    }
    up.on('close', () => client.destroy());
    client.on('close', () => up.destroy());
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    delay(match, delayMs) {
      rule = { match, delayMs };
    },
    delayed,
    dropEvents() {
      for (const s of websockets) s.destroy();
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      for (const r of upstreamRequests) r.destroy();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
