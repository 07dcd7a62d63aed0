// HEALTHCHECK of the server image: exit 0 when GET /api/health answers 200 (database and ARI link
// up), 1 otherwise. Asks the address the server listens on (loopback when it listens on all).
'use strict';
const host = !process.env.HOST || process.env.HOST === '0.0.0.0' ? '127.0.0.1' : process.env.HOST === '::' ? '[::1]' : process.env.HOST;
const url = `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${process.env.PORT || 3000}/api/health`;
fetch(url, { signal: AbortSignal.timeout(4000) }).then(
  (res) => process.exit(res.status === 200 ? 0 : 1),
  () => process.exit(1),
);
