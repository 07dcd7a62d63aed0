import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { isForbiddenWebhookHost } from '@leadline/domain';
import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import * as http from 'node:http';
import * as https from 'node:https';
import type { LookupFunction } from 'node:net';
import { AppConfig } from '../config/app-config';

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** Aborts the request (server shutdown). */
  signal?: AbortSignal;
}

export interface WebhookResponse {
  /** The receiver's status; null when no answer came. */
  statusCode: number | null;
  /** Why the attempt failed (no answer, or an answer that is not 2xx); null on success. */
  error: string | null;
  latencyMs: number;
}

/** How much of a receiver's answer is read (and thrown away) before the attempt counts as answered. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * The one place webhooks go out over HTTP(S): a POST per attempt, the whole exchange bounded by the
 * subscription's timeout, redirects never followed, keep-alive connections reused. In production
 * the addresses a receiver's name resolves to are checked too (never this machine or a
 * link-local address), so a DNS name cannot lead a delivery where a URL may not.
 */
@Injectable()
export class WebhookHttpClient implements OnApplicationShutdown {
  private readonly lookup?: LookupFunction;
  private readonly agents = { http: new http.Agent({ keepAlive: true, maxSockets: 64 }), https: new https.Agent({ keepAlive: true, maxSockets: 64 }) };

  constructor(config: AppConfig) {
    if (config.env === 'production') this.lookup = guardedLookup;
  }

  onApplicationShutdown(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  post(req: WebhookRequest): Promise<WebhookResponse> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    return new Promise<WebhookResponse>((resolve) => {
      let settled = false;
      const done = (r: Omit<WebhookResponse, 'latencyMs'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ ...r, latencyMs: elapsed() });
      };
      const url = new URL(req.url);
      const secure = url.protocol === 'https:';
      const request = (secure ? https : http).request(url, {
        method: 'POST',
        headers: { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) },
        agent: secure ? this.agents.https : this.agents.http,
        lookup: this.lookup,
        signal: req.signal,
      });
      const timer = setTimeout(() => {
        done({ statusCode: null, error: `no answer within ${req.timeoutMs / 1000} s` });
        request.destroy();
      }, req.timeoutMs);
      request.on('error', (err: NodeJS.ErrnoException) => done({ statusCode: null, error: failureOf(err) }));
      request.on('response', (res) => {
        const status = res.statusCode ?? 0;
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_RESPONSE_BYTES) res.destroy();
        });
        const answered = () => done({ statusCode: status, error: status >= 200 && status < 300 ? null : status >= 300 && status < 400 ? `answered ${status}: redirects are not followed` : `answered ${status}` });
        res.on('end', answered);
        // An answer cut short after its status line still counts as that status.
        res.on('close', answered);
        res.on('error', answered);
      });
      request.end(req.body);
    });
  }
}

const FAILURES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the receiver',
  ENOTFOUND: 'host name not found',
  ABORT_ERR: 'aborted: the server is shutting down',
};

function failureOf(err: NodeJS.ErrnoException): string {
  return (err.code && FAILURES[err.code]) ?? (err.code ? `${err.code}: ${err.message}` : err.message);
}

/** dns.lookup that refuses loopback and link-local answers (production). */
const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, options, (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => {
    if (err) return callback(err, address as string, family);
    const addresses = Array.isArray(address) ? address.map((a) => a.address) : [address];
    const refused = addresses.find((a) => isForbiddenWebhookHost(a));
    if (refused) {
      const denied: NodeJS.ErrnoException = new Error(`${hostname} resolves to ${refused}, which webhooks may not reach (this machine or link-local)`);
      denied.code = 'EADDRNOTALLOWED';
      return callback(denied, address as string, family);
    }
    return callback(null, address as string, family);
  });
};
