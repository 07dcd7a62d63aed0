// A reverse proxy hop on loopback, as nginx does it in docs/operations.md: forwards every request
// to the target and appends the client's address to X-Forwarded-For ($proxy_add_x_forwarded_for).
// Clients reach it from the loopback address they choose (`from`), so a test can play several
// clients behind one proxy.
import { createServer, request, Server } from 'node:http';

export interface ProxyHop {
  url: string;
  /** A request through the proxy from the local address `from` (e.g. 127.0.0.7). */
  send(from: string, method: string, route: string, opts?: { body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: any }>;
  close(): Promise<void>;
}

export async function startProxyHop(target: string): Promise<ProxyHop> {
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const forwarded = [req.headers['x-forwarded-for'], req.socket.remoteAddress].filter(Boolean).join(', ');
    const out = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, localAddress: '127.0.0.1', headers: { ...req.headers, 'x-forwarded-for': forwarded } },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    out.on('error', () => res.writeHead(502).end());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    send(from, method, route, opts = {}) {
      const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
      return new Promise((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port, method, path: route, localAddress: from, headers: { ...(payload ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } : {}), ...opts.headers } },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (d: string) => (text += d));
            res.on('end', () => {
              let body: unknown = text;
              try {
                body = JSON.parse(text);
              } catch {
                // not JSON
              }
              resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
            });
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
