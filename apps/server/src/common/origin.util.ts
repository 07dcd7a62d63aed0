/**
 * Whether a browser page at `origin` may open a socket to this server (websockets are not covered
 * by CORS: the server must check the Origin itself, or any site an agent visits could use the
 * agent's connection). Allowed: no Origin (desk daemons, other programs), the server's own origin
 * (the dashboard; `host` is the request's Host header, which the reverse proxy passes on), and the
 * origins named in CORS_ORIGINS.
 */
export function socketOriginAllowed(input: { origin: string | undefined; host: string | undefined; allowed: string[] }): boolean {
  if (!input.origin) return true;
  if (input.allowed.includes(input.origin)) return true;
  try {
    return !!input.host && new URL(input.origin).host === input.host.toLowerCase();
  } catch {
    return false;
  }
}
