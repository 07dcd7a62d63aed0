// The bundled Asterisk (issue 15): Asterisk 22.10+ from Debian sid in its own isolated root, run
// as its own unprivileged user that cannot see or read the server's data; ARI only for the server
// (loopback + ACL + password, a crypt hash in its config); a start log with no warning, error or
// deprecation; exactly the modules of the allow-list. A dedicated instance (own ports, own
// scratch folder) keeps the start log of this spec to itself.
import { checkAsteriskVersion } from '@leadline/domain';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, readlinkSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request, Server } from 'node:http';
import * as path from 'node:path';
import { createUser } from '../factories';
import { AsteriskHandle, REPO_DIR, startAsterisk } from '../harness/asterisk';
import { IT_DIR, IT_PORT_BASE } from '../harness/it-env';
import { eventually, spawnServer, startServer, TestServer } from '../harness/server';

const PORTS = { ari: IT_PORT_BASE + 760, sip: IT_PORT_BASE + 761, trunk: IT_PORT_BASE + 762, rtpStart: IT_PORT_BASE + 770, rtpEnd: IT_PORT_BASE + 779 };
const ASTERISK_ROOT = process.env.LEADLINE_ASTERISK_ROOT ?? '/opt/leadline/asterisk-root';

/** uid and gid of a host user, from getent. */
function idsOf(user: string): { uid: number; gid: number } {
  const entry = spawnSync('getent', ['passwd', user], { encoding: 'utf8' }).stdout.trim().split(':');
  return { uid: Number(entry[2]), gid: Number(entry[3]) };
}

/** Real and effective uid of a process. */
function uidsOf(pid: number): number[] {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('Uid:'))!;
  return line.split(/\s+/).slice(1, 3).map(Number);
}

/** Runs a command as Asterisk sees the world: its mount namespace, its root, its user. */
function asAsterisk(pid: number, ids: { uid: number; gid: number }, cmd: string[]): { status: number | null; output: string } {
  const r = spawnSync('nsenter', ['--target', String(pid), '--mount', '--root', '--wd', '-S', String(ids.uid), '-G', String(ids.gid), '--', ...cmd], { encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/** GET an ARI path from a chosen local address (to play a host other than the server). */
function ariGet(ari: { url: string; user: string; password: string }, pathName: string, localAddress: string): Promise<number> {
  const url = new URL(`${ari.url}/ari${pathName}`);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, localAddress, headers: { authorization: `Basic ${Buffer.from(`${ari.user}:${ari.password}`).toString('base64')}` } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the bundled Asterisk 22 (isolated root, own user)', () => {
  let ast: AsteriskHandle;
  let pid: number;
  const password = randomBytes(18).toString('base64url');

  beforeAll(async () => {
    ast = await startAsterisk({ dataDir: mkdtempSync(path.join(IT_DIR, 'ast22-')), ariPort: PORTS.ari, sipPort: PORTS.sip, trunkPort: PORTS.trunk, rtpStart: PORTS.rtpStart, rtpEnd: PORTS.rtpEnd, ariPassword: password, ariApp: 'ast22-it' });
    pid = ast.pid()!;
  });

  afterAll(async () => {
    await ast?.stop();
  });

  it('is Asterisk 22.10.1 or newer, running inside its own root', async () => {
    const version = /Asterisk (\S+)/.exec(await ast.cli('core show version'))?.[1];
    expect(version).toMatch(/^22\./);
    expect(checkAsteriskVersion(version)).toMatchObject({ ok: true });
    expect(readlinkSync(`/proc/${pid}/root`)).toBe(realpathSync(ASTERISK_ROOT));
    expect(readlinkSync(`/proc/${pid}/exe`)).toBe(path.join(realpathSync(ASTERISK_ROOT), 'usr/sbin/asterisk'));
  });

  it('runs as its own unprivileged user, never root and never the server’s user', () => {
    const asterisk = idsOf('leadline-asterisk');
    expect(asterisk.uid).toBeGreaterThan(0);
    expect(uidsOf(pid)).toEqual([asterisk.uid, asterisk.uid]);
    expect(asterisk.uid).not.toBe(process.getuid!());
  });

  it('cannot see or read the server’s data folder, database and secrets, even with open file modes', async () => {
    const server = await startServer({ ARI_URL: `http://127.0.0.1:${PORTS.ari}`, ARI_PASSWORD: password, ARI_APP: 'ast22-it-srv' });
    try {
      const dataDir = server.config.dataDir;
      const db = path.join(dataDir, 'leadline.db');
      const secret = path.join(dataDir, 'jwt-secret');
      expect(statSync(db).isFile()).toBe(true);
      // Worst case on the host: folder and files readable by everyone.
      chmodSync(dataDir, 0o755);
      chmodSync(db, 0o644);
      const ids = idsOf('leadline-asterisk');
      for (const file of [db, secret, path.join(IT_DIR, 'ari-password')]) {
        const seen = asAsterisk(pid, ids, ['/usr/bin/cat', file]);
        expect(seen.status).not.toBe(0);
        expect(seen.output).toMatch(/No such file or directory/);
      }
      // What Asterisk's user can reach at all: its root and its own scratch folder.
      expect(asAsterisk(pid, ids, ['/usr/bin/ls', path.dirname(ast.asteriskDir)]).output).not.toContain(path.basename(dataDir));
      expect(asAsterisk(pid, ids, ['/usr/bin/cat', path.join(ast.asteriskDir, 'etc', 'ari.conf')]).status).toBe(0);
      // ... and cannot change its own configuration.
      expect(asAsterisk(pid, ids, ['/usr/bin/touch', path.join(ast.asteriskDir, 'etc', 'extensions.conf')]).status).not.toBe(0);
    } finally {
      await server.close();
    }
  });

  it('keeps only a crypt hash of the ARI password in its configuration', () => {
    const ari = readFileSync(path.join(ast.asteriskDir, 'etc', 'ari.conf'), 'utf8');
    expect(ari).not.toContain(password);
    expect(ari).toMatch(/^password_format = crypt$/m);
    expect(ari).toMatch(/^password = \$6\$/m);
  });

  it('answers ARI only to the server: a wrong password gets 401, another address 403 with the right one', async () => {
    const ari = { url: `http://127.0.0.1:${PORTS.ari}`, user: 'leadline', password };
    expect(await ariGet(ari, '/asterisk/info', '127.0.0.1')).toBe(200);
    expect(await ariGet({ ...ari, password: `${password}x` }, '/asterisk/info', '127.0.0.1')).toBe(401);
    expect(await ariGet(ari, '/asterisk/info', '127.0.0.3')).toBe(403);
  });

  it('loads exactly the modules of asterisk-config/modules.conf', async () => {
    const wanted = [...readFileSync(path.join(REPO_DIR, 'asterisk-config', 'modules.conf'), 'utf8').matchAll(/^load => (\S+)$/gm)].map((m) => m[1]).sort();
    const loaded = (await ast.cli('module show')).split('\n').map((l) => l.split(/\s+/)[0]).filter((m) => m.endsWith('.so')).sort();
    expect(loaded).toEqual(wanted);
  });

  it('logs no warning, error or deprecation from its start through a server provisioning and re-syncing a desk phone', async () => {
    const server = await startServer({ ARI_URL: `http://127.0.0.1:${PORTS.ari}`, ARI_PASSWORD: password, ARI_APP: 'ast22-it-srv' });
    const admin = await server.login();
    await createUser(server, admin, { workPhoneType: 'sip_desk' });
    await server.close();
    // A second server re-syncs the same phone at link-up, as after a restart.
    const again = await startServer({ ARI_URL: `http://127.0.0.1:${PORTS.ari}`, ARI_PASSWORD: password, ARI_APP: 'ast22-it-srv' });
    await again.ari.waitUntilUp(15_000);
    await again.close();
    const log = readFileSync(path.join(ast.asteriskDir, 'log', 'messages'), 'utf8');
    expect(log).toContain('Asterisk 22.');
    expect(log.split('\n').filter((l) => /WARNING|ERROR|deprecat/i.test(l))).toEqual([]);
  });
});

describe('the server against Asterisk', () => {
  let server: TestServer;

  afterEach(async () => {
    await server?.close();
  });

  it('reports the Asterisk version in /api/health', async () => {
    server = await startServer();
    await server.ari.waitUntilUp(15_000);
    const health = await server.request('GET', '/api/health');
    expect(health.status).toBe(200);
    expect(health.body.ari.asteriskVersion).toMatch(/^22\./);
  });

  it('refuses to run calls against an Asterisk older than 22.10.1: health says why, the Stasis app is never registered', async () => {
    // An ARI that says it is Debian 11's Asterisk 16 (which can no longer be installed here).
    const seen: string[] = [];
    const old: Server = createServer((req, res) => {
      seen.push(req.url ?? '');
      if (req.url?.startsWith('/ari/asterisk/info')) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ system: { version: '16.28.0~dfsg-0+deb11u3', entity_id: 'x' } }));
      } else res.writeHead(404).end();
    });
    old.on('upgrade', (req, socket) => {
      seen.push(`upgrade ${req.url}`);
      socket.destroy();
    });
    await new Promise<void>((r) => old.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (old.address() as { port: number }).port;
      server = await startServer({ ARI_URL: `http://127.0.0.1:${port}` });
      const health = await eventually(async () => {
        const h = await server.request('GET', '/api/health');
        return h.body.ari?.asteriskVersion ? h : undefined;
      }, 10_000);
      expect(health.status).toBe(503);
      expect(health.body.ari).toMatchObject({ connected: false, asteriskVersion: '16.28.0~dfsg-0+deb11u3', error: expect.stringContaining('older than 22.10.1') });
      expect(seen.some((u) => u.includes('/ari/events'))).toBe(false);
    } finally {
      await new Promise((r) => old.close(r));
    }
  });

  it('creates its files readable by nobody outside its group (umask of the compiled server)', async () => {
    const dataDir = mkdtempSync(path.join(IT_DIR, 'umask-'));
    chmodSync(dataDir, 0o755);
    writeFileSync(path.join(dataDir, '.keep'), '');
    const proc = await spawnServer({ LEADLINE_DATA_DIR: dataDir });
    try {
      await eventually(async () => (await proc.request('GET', '/api/health')).status === 200, 15_000);
      for (const file of ['leadline.db', 'jwt-secret']) expect(statSync(path.join(dataDir, file)).mode & 0o007).toBe(0);
    } finally {
      await proc.stop();
    }
  });
});
