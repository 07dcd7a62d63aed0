import type { RequestHandler } from 'express';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { PinoLogger } from 'nestjs-pino';
import proxyAddr from 'proxy-addr';
import typeIs from 'type-is';
import { bodyParserErrorBody } from '../../common/body-parser-errors';
import { errorAnswer } from '../../common/domain-error.filter';
import { DbContext } from '../../database/db-context';
import { ActionPostService, LEAD_CONTENT_TYPES, unsupportedLeadType } from './action-post.service';

/** The lane's URL: a campaign id of UUID characters (nothing to decode), no trailing slash, any query. */
const LANE_URL = /^\/api\/action-post\/([0-9A-Fa-f-]{1,64})(?:\?(.*))?$/s;

type LaneRequest = IncomingMessage & { body?: unknown };

export interface ActionPostLaneOptions {
  actionPost: ActionPostService;
  db: DbContext;
  /** The body parsers every route runs, in the same order (bootstrap.ts). */
  parsers: RequestHandler[];
  /** The security headers every answer carries (helmet's, as `securityHeadersOf` reads them). */
  securityHeaders: Record<string, string>;
  /** Which proxies may name the client (Express's compiled TRUST_PROXY: `app.get('trust proxy fn')`). */
  trustProxy: (address: string, hop: number) => boolean;
}

/**
 * The Action Post's own lane through the HTTP server, ahead of Express: a vendor's post skips what
 * it does not need of the general stack (Express's request and response objects, helmet run per
 * request, CORS, the request logger's per-request child, Nest's router, guards, pipes and filter).
 * It keeps what the post needs and answers as the controller does: the same body parsers and their
 * 4xx answers, the same 415, the client address as TRUST_PROXY allows, the same service call in a
 * unit of work, the same error mapping (`errorAnswer`), the same security headers, one access-log
 * line with the key redacted. It takes only `POST /api/action-post/<id>` without an `Origin` header
 * (a server's post); a browser's post, with its CORS headers to answer, and every other request go
 * to the listeners that were there before (Express, ActionPostController; socket.io wraps both).
 * docs/benchmarks.md has what this bought.
 */
export function installActionPostLane(server: Server, options: ActionPostLaneOptions): void {
  const general = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  const lane = actionPostLane(options);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (lane(req, res)) return;
    for (const listener of general) listener.call(server, req, res);
  });
}

/** The lane itself: takes the request (true) or leaves it to the general stack (false). */
function actionPostLane({ actionPost, db, parsers, securityHeaders, trustProxy }: ActionPostLaneOptions): (req: LaneRequest, res: ServerResponse) => boolean {
  let nextId = 0;

  const answer = (req: LaneRequest, res: ServerResponse, started: number, status: number, body: unknown, retryAfterSeconds?: number) => {
    const json = JSON.stringify(body);
    res.writeHead(status, {
      ...securityHeaders,
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(json),
      ...(retryAfterSeconds ? { 'retry-after': String(retryAfterSeconds) } : {}),
    });
    res.end(json);
    const log = PinoLogger.root;
    const level = status >= 500 ? 'error' : 'info';
    // The request and the answer themselves: the logger's serializers (pino-http's) write them as
    // on every other line, the URL with its key redacted.
    if (log?.isLevelEnabled(level)) {
      req.id = ++nextId;
      log[level]({ req, res, responseTime: Date.now() - started }, 'request completed');
    }
  };

  const fail = (req: LaneRequest, res: ServerResponse, path: string, started: number, error: unknown) => {
    const parserAnswer = bodyParserErrorBody(error, path);
    if (parserAnswer) return answer(req, res, started, parserAnswer.status, parserAnswer.body);
    const mapped = errorAnswer(error, true);
    answer(req, res, started, mapped.status, mapped.body, mapped.retryAfterSeconds);
  };

  const take = async (req: LaneRequest, campaignId: string, query: string | undefined) => {
    if (!typeIs(req, LEAD_CONTENT_TYPES)) throw unsupportedLeadType(req.headers['content-type']);
    // Read as Express reads them: the header first, else ?key= (node's query parser).
    const key = req.headers['x-api-key'] ?? (query === undefined ? undefined : parseQuery(query).key);
    // The client's address as TRUST_PROXY lets us see it (bad-key budget per address).
    const address = proxyAddr(req, trustProxy);
    return db.run(() => actionPost.post(campaignId, key as string | undefined, req.body, address));
  };

  return (req, res) => {
    if (req.method !== 'POST' || req.headers.origin !== undefined) return false;
    const match = LANE_URL.exec(req.url ?? '');
    if (!match) return false;
    const [, campaignId, query] = match;
    const path = `/api/action-post/${campaignId}`;
    const started = Date.now();
    const parse = (i: number): void => {
      if (i < parsers.length) {
        // Express's parsers need nothing of Express's request: they read the stream and set req.body.
        (parsers[i] as unknown as (req: LaneRequest, res: ServerResponse, next: (err?: unknown) => void) => void)(req, res, (err) => (err ? fail(req, res, path, started, err) : parse(i + 1)));
        return;
      }
      take(req, campaignId, query).then(
        (envelope) => answer(req, res, started, 200, envelope),
        (error: unknown) => fail(req, res, path, started, error),
      );
    };
    parse(0);
    return true;
  };
}

/** The headers a middleware such as helmet sets on every answer, read once by running it on a stand-in. */
export function securityHeadersOf(middleware: (req: never, res: never, next: (err?: unknown) => void) => void): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
    getHeader: (name: string) => headers[name.toLowerCase()],
  };
  let called = false;
  middleware({ headers: {}, method: 'GET', url: '/' } as never, res as never, (err?: unknown) => {
    if (err) throw err;
    called = true;
  });
  if (!called) throw new Error('security headers: the middleware did not finish at once');
  return headers;
}
