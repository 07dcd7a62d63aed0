// Boots the real Leadline server in-process on a random port, against a fresh SQLite file and the
// shared test Asterisk, with a Stasis app name of its own.
import { INestApplication } from '@nestjs/common';
import { mkdtempSync } from 'node:fs';
import * as path from 'node:path';
import { createApp } from '../../apps/server/src/bootstrap';
import { AppConfig, parseConfig } from '../../apps/server/src/config/app-config';
import { AriLink } from '../../apps/server/src/telephony/ari/ari-link';
import { IT_DIR, IT_PORTS, itAsteriskOptions } from './it-env';

export const ADMIN = { email: 'admin@it.test', password: 'it-admin-password-1' };

export interface TestServer {
  app: INestApplication;
  url: string;
  config: AppConfig;
  ari: AriLink;
  /** Logs in and returns a bearer token. */
  login(email?: string, password?: string): Promise<string>;
  /** fetch against the server with an optional bearer token and JSON body. */
  request(method: string, route: string, opts?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

let counter = 0;

export async function startServer(overrides: Record<string, string> = {}): Promise<TestServer> {
  const ast = itAsteriskOptions();
  const dataDir = overrides.LEADLINE_DATA_DIR ?? mkdtempSync(path.join(IT_DIR, 'srv-'));
  const config = new AppConfig(
    parseConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.IT_LOG_LEVEL ?? 'silent',
      LEADLINE_DATA_DIR: dataDir,
      ARI_URL: `http://127.0.0.1:${ast.ariPort}`,
      ARI_USERNAME: 'leadline',
      ARI_PASSWORD: ast.ariPassword,
      ARI_APP: `it-${process.pid}-${++counter}`,
      ARI_PING_INTERVAL_MS: '500',
      SIP_PORT: String(IT_PORTS.sip),
      LEADLINE_ADMIN_EMAIL: ADMIN.email,
      LEADLINE_ADMIN_PASSWORD: ADMIN.password,
      ...overrides,
    }),
  );
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  const request: TestServer['request'] = async (method, route, opts = {}) => {
    const res = await fetch(`${url}${route}`, {
      method,
      headers: {
        ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...opts.headers,
      },
      body: opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, body };
  };
  return {
    app,
    url,
    config,
    ari: app.get(AriLink),
    request,
    async login(email = ADMIN.email, password = ADMIN.password) {
      const res = await request('POST', '/api/auth/login', { body: { email, password } });
      if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.accessToken as string;
    },
    close: () => app.close(),
  };
}

/** Polls `probe` until it returns a truthy value or the time runs out. */
export async function eventually<T>(probe: () => Promise<T> | T, timeoutMs = 10_000, stepMs = 50): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
