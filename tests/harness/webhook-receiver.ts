// A real HTTP receiver for webhook tests (node:http on loopback): records every request, answers
// as the test scripts it (a status, a delay, no answer at all), can be stopped (connection
// refused) and started again on the same port, and checks signatures as a receiver would.
import { createServer, IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { webhookSignatureProblem } from '../../apps/server/src/webhooks/webhook-signature.util';

/** What the receiver does with one request. */
export type Answer = { status: number; delayMs?: number } | { hang: true };

export interface Received {
  /** ms since the receiver started. */
  at: number;
  headers: IncomingHttpHeaders;
  body: string;
  json: any;
  answer: Answer;
}

export class WebhookReceiver {
  readonly received: Received[] = [];
  /** Requests being handled right now, and the most there ever were at once. */
  inFlight = 0;
  maxInFlight = 0;
  /** Decides each answer; `n` counts requests from 1. Default: 200 at once. */
  answer: (req: Received, n: number) => Answer = () => ({ status: 200 });
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private readonly started = Date.now();
  private port = 0;

  static async start(): Promise<WebhookReceiver> {
    const r = new WebhookReceiver();
    await r.listen();
    return r;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/leadline`;
  }

  /** Listens (again) on its port; the first time on a free one. */
  async listen(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.once('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Closes the port and every connection: senders get "connection refused" until listen(). */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The bodies received for an event id, in arrival order. */
  byEventId(): Map<string, Received[]> {
    const out = new Map<string, Received[]>();
    for (const r of this.received) out.set(r.json.id, [...(out.get(r.json.id) ?? []), r]);
    return out;
  }

  /** Requests answered 2xx (what the sender counts as delivered). */
  get accepted(): Received[] {
    return this.received.filter((r) => 'status' in r.answer && r.answer.status >= 200 && r.answer.status < 300);
  }

  /** Every request whose signature does not verify with `secret` (within the 5-minute window). */
  unverified(secret: string): Received[] {
    return this.received.filter(
      (r) => webhookSignatureProblem({ secret, header: r.headers['leadline-signature'] as string | undefined, timestamp: r.headers['leadline-timestamp'] as string | undefined, body: r.body, now: new Date(this.started + r.at) }) !== null,
    );
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks).toString('utf8');
      let json: any = null;
      try {
        json = JSON.parse(body);
      } catch {
        // kept as text
      }
      const entry: Received = { at: Date.now() - this.started, headers: req.headers, body, json, answer: { status: 0 } };
      entry.answer = this.answer(entry, this.received.length + 1);
      this.received.push(entry);
      const answer = entry.answer;
      if ('hang' in answer) {
        // Never answers; the sender's timeout (or stop()) ends it.
        await new Promise<void>((resolve) => req.socket.once('close', () => resolve()));
        return;
      }
      if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
      res.writeHead(answer.status, { 'content-type': 'text/plain' }).end('ok');
    } finally {
      this.inFlight--;
    }
  }
}
