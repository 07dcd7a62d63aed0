// A thin ARI REST client over Node's fetch. We do not use the `ari-client` package: it is
// unmaintained (request, swagger-client 2), its errors lose the HTTP status, and its reconnect
// loop can open a fresh websocket after stop() that silently takes our Stasis app over.

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
 */
export type AriPriority = 'normal' | 'urgent';

export class AriHttpClient {
  private readonly authorization: string;
  private inFlight = 0;
  private readonly waiting: Record<AriPriority, (() => void)[]> = { urgent: [], normal: [] };

  /** `timeoutMs` counts from the moment a request is sent, not while it waits for its turn. */
  constructor(
    private readonly baseUrl: string,
    username: string,
    password: string,
    private readonly timeoutMs = 5000,
    private readonly maxInFlight = ARI_MAX_IN_FLIGHT,
  ) {
    this.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }

  async request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, query: Query = {}, body?: unknown, priority: AriPriority = 'normal'): Promise<T> {
    await this.turn(priority);
    try {
      return await this.send<T>(method, path, query, body);
    } finally {
      this.done();
    }
  }

  private async turn(priority: AriPriority): Promise<void> {
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
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { authorization: this.authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new AriUnreachableError(method, path, err);
    }
    const text = await response.text();
    if (!response.ok) {
      let detail = text;
      try {
        detail = (JSON.parse(text) as { message?: string }).message ?? text;
      } catch {
        // not JSON: keep the raw text
      }
      throw new AriHttpError(response.status, method, path, detail || response.statusText);
    }
    return (text ? JSON.parse(text) : undefined) as T;
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
