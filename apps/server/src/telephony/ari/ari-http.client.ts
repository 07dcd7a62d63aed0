// A thin ARI REST client over node:http with keep-alive connections. We do not use the
// `ari-client` package: it is unmaintained (request, swagger-client 2), its errors lose the HTTP
// status, and its reconnect loop can open a fresh websocket after stop() that silently takes our
// Stasis app over. Nor Node's fetch for the requests of calls: nine cancels sent together held the
// event loop 6–7 ms through fetch, 1.4 ms this way (docs/benchmarks.md, "Ring All: the round's
// start in prepared SQL, ARI over node:http"). Recordings are still fetched (a streamed body: download()).
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';

export class AriHttpError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly path: string,
    detail: string,
  ) {
    super(`ARI ${method} ${path} answered ${status}: ${detail}`);
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }
}

/** ARI could not be reached at all (refused, reset, timed out). */
export class AriUnreachableError extends Error {
  constructor(method: string, path: string, cause: unknown) {
    super(`ARI ${method} ${path} unreachable: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

export type Query = Record<string, string | number | boolean | undefined>;

/**
 * Requests one client has at Asterisk at once; the others wait their turn, in order. Asterisk
 * serves each HTTP connection on a thread of its own: 100 ring-all rounds at once (1,000
 * originates) sent all together made most originates wait past the timeout on a 2-core machine
 * (docs/benchmarks.md, "Ring All: 100 rounds at once").
 */
export const ARI_MAX_IN_FLIGHT = 32;

/**
 * `urgent`: a request the caller is waiting on to reach a person (the borrower's originate, the
 * cancels of ring-all's losers). It still waits for a place, but ahead of every request that is not
 * urgent: with many rounds at once, the queue holds other rounds' originates and prompts.
 * `background`: a request nobody on a call waits for (a BLF light's device state). It waits until
 * no other request is at Asterisk or waiting, for at most BACKGROUND_MAX_WAIT_MS: the device
 * states of the agents a round has just reserved, sent with its originates, made Asterisk send the
 * agents' INVITEs later (docs/benchmarks.md, "Ring All: BLF states after the originates").
 */
export type AriPriority = 'background' | 'normal' | 'urgent';

/**
 * An idle keep-alive connection is closed after this long. Asterisk closes an idle HTTP session
 * after 60 s (asterisk-config/http.conf `session_keep_alive`; Asterisk's own default is 15 s);
 * closing ours well before, a request never goes out on a connection Asterisk is closing at that
 * moment.
 */
export const ARI_IDLE_CONNECTION_MS = 45_000;

/**
 * Connections AriLink keeps open to Asterisk while no call needs them (keepWarm): one inbound
 * call's requests sent together, the caller's ringback and ten agents' originates (a ring-all
 * round sends ten). A request that needs a new connection waits for Asterisk to accept it and
 * start the thread that serves it, and beyond ARI_MAX_OPENING_CONNECTIONS for another new
 * connection's first answer: with the connections closed between calls, an inbound call's ten
 * INVITEs were spread over 11–12 ms instead of 8–9 at the median (docs/benchmarks.md, "ARI
 * connections kept open").
 */
export const ARI_WARM_CONNECTIONS = 11;

/** How often keepWarm sends its pings: well within ARI_IDLE_CONNECTION_MS. */
export const ARI_WARM_EVERY_MS = 15_000;

/** The longest a background request waits for Asterisk to be quiet before it goes anyway. */
export const BACKGROUND_MAX_WAIT_MS = 250;

/**
 * New connections of one client that Asterisk has not served yet, at most. Asterisk's HTTP server
 * listens with a backlog of 10 (main/tcptls.c): the connections it has not accepted yet wait in the
 * kernel's queue, which holds 11, and a connection that finds it full loses its SYN, which Linux
 * sends again only a second later. Ring-all bursts on cold connections made phones ring a second
 * late that way (the bench's 20 rounds at once; tests/integration/ari-http-connections.spec.ts).
 * A connection counts until the first bytes of its first answer arrive (Asterisk accepted and
 * served it) or it closes; a request that needs a new connection beyond that waits for one of
 * them. Ten: one ring-all round's originates (RING_ALL_MAX_AGENTS) still open together.
 */
export const ARI_MAX_OPENING_CONNECTIONS = 10;

/**
 * Wraps `agent`'s createConnection so that at most `max` of its new connections are opening at
 * once (see ARI_MAX_OPENING_CONNECTIONS). The agent hands a socket to its request through the
 * callback when it has to wait.
 */
function limitOpening(agent: http.Agent, max: number): void {
  const open = agent.createConnection.bind(agent) as (options: http.ClientRequestArgs) => Duplex;
  const waiting: (() => void)[] = [];
  let opening = 0;
  const connect = (options: http.ClientRequestArgs): Duplex => {
    const socket = open(options);
    opening++;
    const served = () => {
      socket.off('data', served);
      socket.off('close', served);
      opening--;
      waiting.shift()?.();
    };
    socket.on('data', served);
    socket.on('close', served);
    return socket;
  };
  agent.createConnection = (options, callback) => {
    if (opening < max) return connect(options);
    waiting.push(() => {
      let socket: Duplex;
      try {
        socket = connect(options);
      } catch (err) {
        callback?.(err instanceof Error ? err : new Error(String(err)), undefined as unknown as Duplex);
        return;
      }
      callback?.(null, socket);
    });
    return undefined;
  };
}

export interface AriHttpOptions {
  /** How long a request may take once sent (not while it waits for its turn); 5 s. */
  timeoutMs?: number;
  /** ARI_MAX_IN_FLIGHT. */
  maxInFlight?: number;
  /** BACKGROUND_MAX_WAIT_MS. */
  backgroundMaxWaitMs?: number;
  /** ARI_IDLE_CONNECTION_MS. */
  idleConnectionMs?: number;
}

export class AriHttpClient {
  private readonly authorization: string;
  private inFlight = 0;
  private readonly waiting: Record<'normal' | 'urgent', (() => void)[]> = { urgent: [], normal: [] };
  /** Requests other than background ones, at Asterisk or waiting for a place. */
  private foreground = 0;
  /** Background requests waiting for the foreground ones to be over. */
  private readonly backgroundWaiting = new Set<() => void>();
  /** Keep-alive connections, at most one per request at Asterisk (maxInFlight); idle ones do not hold the process. */
  private readonly agent: http.Agent;
  private readonly transport: typeof http | typeof https;

  private readonly timeoutMs: number;
  private readonly maxInFlight: number;
  private readonly backgroundMaxWaitMs: number;

  constructor(
    private readonly baseUrl: string,
    username: string,
    password: string,
    options: AriHttpOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.maxInFlight = options.maxInFlight ?? ARI_MAX_IN_FLIGHT;
    this.backgroundMaxWaitMs = options.backgroundMaxWaitMs ?? BACKGROUND_MAX_WAIT_MS;
    this.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    const secure = new URL(baseUrl).protocol === 'https:';
    this.transport = secure ? https : http;
    this.agent = new this.transport.Agent({ keepAlive: true, maxSockets: this.maxInFlight, timeout: options.idleConnectionMs ?? ARI_IDLE_CONNECTION_MS });
    limitOpening(this.agent, ARI_MAX_OPENING_CONNECTIONS);
  }

  async request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, query: Query = {}, body?: unknown, priority: AriPriority = 'normal'): Promise<T> {
    const background = priority === 'background';
    if (background) await this.quiet();
    else this.foreground++;
    try {
      await this.turn(background ? 'normal' : priority);
      try {
        return await this.send<T>(method, path, query, body);
      } finally {
        this.done();
      }
    } finally {
      if (!background && --this.foreground === 0) this.wakeBackground();
    }
  }

  /**
   * Keeps `connections` connections to Asterisk open while nothing else uses them: now and every
   * `everyMs`, as many pings at once (background requests: they wait for the calls' requests).
   * Each ping takes a free connection, or opens one when none is left, so the connections a call
   * sends its requests on stay open through quiet hours. Returns the function that stops it.
   */
  keepWarm(connections = ARI_WARM_CONNECTIONS, everyMs = ARI_WARM_EVERY_MS): () => void {
    const warm = () => {
      for (let i = 0; i < connections; i++) void this.request('GET', '/asterisk/ping', {}, undefined, 'background').catch(() => undefined);
    };
    warm();
    const timer = setInterval(warm, everyMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** Resolves once no foreground request is at Asterisk or waiting, or after backgroundMaxWaitMs. */
  private quiet(): Promise<void> {
    if (this.foreground === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const go = () => {
        clearTimeout(timer);
        this.backgroundWaiting.delete(go);
        resolve();
      };
      const timer = setTimeout(go, this.backgroundMaxWaitMs);
      timer.unref();
      this.backgroundWaiting.add(go);
    });
  }

  private wakeBackground(): void {
    for (const go of [...this.backgroundWaiting]) go();
  }

  private async turn(priority: 'normal' | 'urgent'): Promise<void> {
    if (this.inFlight < this.maxInFlight) {
      this.inFlight++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting[priority].push(resolve));
  }

  /** Hands the finished request's place to the next in line (urgent ones first). */
  private done(): void {
    const next = this.waiting.urgent.shift() ?? this.waiting.normal.shift();
    if (next) next();
    else this.inFlight--;
  }

  private async send<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, query: Query, body: unknown): Promise<T> {
    const url = new URL(`${this.baseUrl}/ari${path}`);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const { status, statusText, text } = await this.exchange(url, method, payload).catch((err: unknown) => {
      throw new AriUnreachableError(method, path, err);
    });
    if (status < 200 || status >= 300) {
      let detail = text;
      try {
        detail = (JSON.parse(text) as { message?: string }).message ?? text;
      } catch {
        // not JSON: keep the raw text
      }
      throw new AriHttpError(status, method, path, detail || statusText);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** One request and its whole answer, within timeoutMs (else the connection is dropped). */
  private exchange(url: URL, method: string, payload: string | undefined): Promise<{ status: number; statusText: string; text: string }> {
    return new Promise((resolve, reject) => {
      const headers: http.OutgoingHttpHeaders = { authorization: this.authorization };
      if (payload !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
      const req = this.transport.request(url, { method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', text: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', fail);
      });
      const timer = setTimeout(() => req.destroy(new Error(`no answer in ${this.timeoutMs} ms`)), this.timeoutMs);
      function fail(err: Error) {
        clearTimeout(timer);
        reject(err);
      }
      req.on('error', fail);
      req.end(payload);
    });
  }

  /** Fetches a binary resource (recordings). Only the wait for the headers is timed: bodies may be long. */
  async download(path: string, signal?: AbortSignal): Promise<Response> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`no answer in ${this.timeoutMs} ms`)), this.timeoutMs);
    signal?.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}/ari${path}`, { headers: { authorization: this.authorization }, signal: controller.signal });
    } catch (err) {
      throw new AriUnreachableError('GET', path, err);
    } finally {
      clearTimeout(timer);
    }
    if (!response.ok) throw new AriHttpError(response.status, 'GET', path, response.statusText);
    return response;
  }

  get authHeader(): string {
    return this.authorization;
  }
}
