// The reverse proxy configuration docs/operations.md tells admins to use must not write campaign
// keys (Action Post URLs may carry ?key=) into nginx's access log: every server block logs with a
// format that has no query string.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..');

function nginxConfig(): string {
  const doc = readFileSync(path.join(REPO, 'docs', 'operations.md'), 'utf8');
  const block = /```nginx\n([\s\S]*?)```/.exec(doc);
  if (!block) throw new Error('docs/operations.md has no nginx block');
  // Comments out: only directives count.
  return block[1].replace(/#.*$/gm, '');
}

describe('the documented nginx configuration', () => {
  const config = nginxConfig();
  const formats = new Map([...config.matchAll(/log_format\s+(\S+)\s+([\s\S]*?);/g)].map((m) => [m[1], m[2]]));

  it('logs every server block with a named format of its own (never the default "combined", which logs $request)', () => {
    const servers = config.split(/\bserver\s*\{/).slice(1);
    expect(servers.length).toBeGreaterThanOrEqual(2);
    for (const server of servers) {
      const logs = [...server.matchAll(/access_log\s+(\S+)\s+(\S+);/g)];
      expect(logs.length).toBeGreaterThan(0);
      for (const [, , format] of logs) expect(formats.has(format)).toBe(true);
    }
    expect(config).not.toMatch(/access_log\s+\S+\s*;/);
  });

  it('has formats without the query string: no $request, $request_uri, $args, $query_string or $arg_*', () => {
    expect(formats.size).toBeGreaterThan(0);
    for (const format of formats.values()) {
      expect(format).not.toMatch(/\$(request(?![_a-z])|request_uri|args|query_string|arg_)/);
      expect(format).toContain('$uri');
    }
  });
});
