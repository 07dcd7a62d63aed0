// The HTTP edge as an attacker meets it: logins behind the documented reverse proxy (a real proxy
// hop on loopback; clients on 127.0.0.7-9), per-account backoff that cannot lock the owner out,
// per-address limits across accounts (password spraying), security headers, CORS closed.
import { io } from 'socket.io-client';
import { createUser } from '../factories';
import { ProxyHop, startProxyHop } from '../harness/proxy';
import { ADMIN, startServer, TestServer } from '../harness/server';

const ALICE_DESK = '127.0.0.7';
const ATTACKER = '127.0.0.8';
const SPRAYER = '127.0.0.9';

describe('logins behind a reverse proxy (TRUST_PROXY)', () => {
  let server: TestServer;
  let proxy: ProxyHop;

  beforeAll(async () => {
    server = await startServer({ TRUST_PROXY: '127.0.0.1' });
    proxy = await startProxyHop(server.url);
  });

  afterAll(async () => {
    await proxy.close();
    await server.close();
  });

  const login = (from: string, email: string, password: string, headers?: Record<string, string>) => proxy.send(from, 'POST', '/api/auth/login', { body: { email, password }, headers });

  it("backs off one account's failures without locking its owner out", async () => {
    const admin = await server.login();
    const alice = await createUser(server, admin, { role: 'manager' });
    // Alice logged in from her desk before.
    expect((await login(ALICE_DESK, alice.email, alice.password)).status).toBe(200);
    // Someone else guesses her password: five free failures, then the account makes them wait,
    // twice as long after each further failure (1 s, 2 s, then 4 s: long enough that the held try
    // below cannot miss the wait on a loaded machine).
    for (let i = 0; i < 5; i++) expect((await login(ATTACKER, alice.email, `guess-${i}`)).status).toBe(401);
    for (const waitMs of [1_100, 2_100]) {
      await new Promise((r) => setTimeout(r, waitMs));
      expect((await login(ATTACKER, alice.email, `guess-after-${waitMs}`)).status).toBe(401);
    }
    const held = await login(ATTACKER, alice.email, alice.password);
    expect(held.status).toBe(429);
    expect(held.body).toMatchObject({ code: 'LOGIN_RATE_LIMITED', message: expect.stringMatching(/for this account/) });
    expect(Number(held.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Behind the same proxy, from her own desk, Alice is not held by it.
    expect((await login(ALICE_DESK, alice.email, alice.password)).status).toBe(200);
    // The wait is short: once it has passed, the right password works from anywhere.
    await new Promise((r) => setTimeout(r, Number(held.headers['retry-after']) * 1000 + 100));
    expect((await login(ATTACKER, alice.email, alice.password)).status).toBe(200);
  });

  it('stops one address spraying a password across many emails, and only that address', async () => {
    for (let i = 0; i < 20; i++) expect((await login(SPRAYER, `user${i}@spray.test`, 'Winter2026!')).status).toBe(401);
    const cut = await login(SPRAYER, 'user20@spray.test', 'Winter2026!');
    expect(cut.status).toBe(429);
    expect(cut.body.message).toMatch(/from your address/);
    // Even the admin's right password from that address waits; from another client it works.
    expect((await login(SPRAYER, ADMIN.email, ADMIN.password)).status).toBe(429);
    expect((await login(ALICE_DESK, ADMIN.email, ADMIN.password)).status).toBe(200);
  });

  it('counts the real client, not an address the client writes into X-Forwarded-For itself', async () => {
    // The sprayer (cut off above) claims to be someone else: the proxy appends its real address,
    // and only the proxy's word is trusted.
    expect((await login(SPRAYER, ADMIN.email, ADMIN.password, { 'x-forwarded-for': '10.9.9.9' })).status).toBe(429);
  });
});

describe('logins without TRUST_PROXY (the default) behind a proxy', () => {
  it('count the proxy, so one client can no longer be told from another (why TRUST_PROXY exists)', async () => {
    const server = await startServer();
    const proxy = await startProxyHop(server.url);
    try {
      for (let i = 0; i < 20; i++) await proxy.send(SPRAYER, 'POST', '/api/auth/login', { body: { email: `u${i}@x.test`, password: 'nope-nope' } });
      expect((await proxy.send(ALICE_DESK, 'POST', '/api/auth/login', { body: ADMIN })).status).toBe(429);
      // Straight from the proxy's own machine: the same address, held too.
      expect((await server.request('POST', '/api/auth/login', { body: ADMIN })).status).toBe(429);
    } finally {
      await proxy.close();
      await server.close();
    }
  });
});

describe('security headers and CORS', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ CORS_ORIGINS: 'https://crm.example.com' });
  });

  afterAll(async () => {
    await server.close();
  });

  it('sends the security headers on the API and the dashboard', async () => {
    for (const route of ['/api/health', '/']) {
      const res = await fetch(`${server.url}${route}`);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('content-security-policy')).toEqual(expect.stringContaining("default-src 'self'"));
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('content-security-policy')).toContain("object-src 'none'");
      expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
      // HSTS is the TLS proxy's (docs/operations.md): this server speaks plain HTTP on loopback.
      expect(res.headers.get('strict-transport-security')).toBeNull();
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('answers CORS only for the named origins', async () => {
    const preflight = (origin: string) => fetch(`${server.url}/api/auth/login`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    const allowed = await preflight('https://crm.example.com');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://crm.example.com');
    const other = await preflight('https://evil.example.net');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const simple = await fetch(`${server.url}/api/health`, { headers: { origin: 'https://evil.example.net' } });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses sockets opened by pages of other origins (websockets are not covered by CORS)', async () => {
    const token = await server.login();
    const open = (origin?: string) =>
      new Promise<string>((resolve) => {
        const socket = io(server.url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: origin ? { origin } : {} });
        socket.once('connect', () => {
          socket.close();
          resolve('connected');
        });
        socket.once('connect_error', (err) => {
          socket.close();
          resolve(err.message);
        });
      });
    expect(await open('https://evil.example.net')).toMatch(/origin https:\/\/evil.example.net is not allowed/);
    expect(await open(server.url)).toBe('connected');
    expect(await open('https://crm.example.com')).toBe('connected');
    expect(await open()).toBe('connected');
  });

  it('is closed to every other origin by default', async () => {
    const closed = await startServer();
    try {
      const res = await fetch(`${closed.url}/api/health`, { headers: { origin: 'https://crm.example.com' } });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await closed.close();
    }
  });
});
