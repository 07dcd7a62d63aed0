// The leadline-desk package as an agent's PC gets it: downloaded from the server, installed with npm
// into an empty prefix in a temp folder outside the checkout (its dependencies from the registry,
// nothing from the repository), then run: --list, --test with simulated lights, and the daemon
// against a real server (logged out red → green → red, blue when the server goes away, off on SIGTERM).
import { BLUE, GREEN, LIGHT_DRIVERS, LightState, OFF, RED, blinking, blink1Driver, embravaDriver, kuandoDriver, luxaforDriver, solid, toHex } from '@leadline/busylight';
import { ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { allShow, anAgentWithDeviceToken, waitForLights, writesOf } from '../harness/desk-lights';
import { REPO_DIR } from '../harness/asterisk';
import { startServer, TestServer } from '../harness/server';

const run = promisify(execFile);
const DESK_MANIFEST = JSON.parse(readFileSync(path.join(REPO_DIR, 'apps/desk/package.json'), 'utf8')) as { version: string; dependencies: Record<string, string>; optionalDependencies: Record<string, string> };
const FILE_NAME = `leadline-desk-${DESK_MANIFEST.version}.tgz`;
const BUILT = path.join(REPO_DIR, 'dist', 'desk', FILE_NAME);

describe('leadline-desk package (downloaded from the server, installed outside the repo)', () => {
  let server: TestServer;
  let agentToken: string;
  let deviceToken: string;
  let home: string;
  let bin: string;
  let daemon: ChildProcess | undefined;
  let output = '';

  /** What an agent's PC has: node on PATH, its own HOME, nothing of the checkout. */
  const pcEnv = (extra: Record<string, string> = {}) => ({ PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`, HOME: home, ...extra });
  const desk = (args: string[], extra: Record<string, string> = {}) => run(bin, args, { cwd: home, env: pcEnv(extra), timeout: 60_000 });

  beforeAll(async () => {
    if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run npm run build first (npm test does)`);
    server = await startServer();
    ({ token: agentToken, deviceToken } = await anAgentWithDeviceToken(server));
    home = mkdtempSync(path.join(tmpdir(), 'leadline-desk-pc-'));
  }, 60_000);

  afterAll(async () => {
    daemon?.kill('SIGKILL');
    await server?.close().catch(() => undefined);
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('is offered to signed-in users only, with its version and SHA-256', async () => {
    expect(await server.request('GET', '/api/desk-package')).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
    expect((await fetch(`${server.url}/api/desk-package/download`)).status).toBe(401);

    const built = readFileSync(BUILT);
    const info = await server.request('GET', '/api/desk-package', { token: agentToken });
    expect(info).toEqual({
      status: 200,
      body: { name: 'leadline-desk', version: DESK_MANIFEST.version, fileName: FILE_NAME, size: built.length, sha256: createHash('sha256').update(built).digest('hex'), downloadUrl: '/api/desk-package/download' },
    });

    const res = await fetch(`${server.url}/api/desk-package/download`, { headers: { authorization: `Bearer ${agentToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/gzip');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${FILE_NAME}"`);
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.equals(built)).toBe(true);
    // The agent saves it in a folder of their own, far from any checkout.
    writeFileSync(path.join(home, FILE_NAME), body);
  });

  it('installs with npm into an empty prefix (hardware/README.md\'s Linux command), bringing only its own runtime dependencies', async () => {
    // npm install -g --prefix ~/.local ./leadline-desk-<version>.tgz, with npm's own cache (outside the repo).
    const prefix = path.join(home, '.local');
    await run('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', `./${FILE_NAME}`], { cwd: home, env: { ...process.env, HOME: process.env.HOME ?? home }, timeout: 180_000 });
    bin = path.join(prefix, 'bin', 'leadline-desk');
    expect(existsSync(bin)).toBe(true);

    const modules = path.join(prefix, 'lib', 'node_modules');
    expect(readdirSync(modules)).toEqual(['leadline-desk']);
    const installed = JSON.parse(readFileSync(path.join(modules, 'leadline-desk', 'package.json'), 'utf8'));
    expect(installed).toMatchObject({ name: 'leadline-desk', version: DESK_MANIFEST.version, bin: { 'leadline-desk': 'dist/apps/desk/src/main.js' } });
    expect(installed.dependencies).toEqual(DESK_MANIFEST.dependencies);
    expect(installed.optionalDependencies).toEqual({ 'node-hid': '3.4.0' });
    // Nothing of the server came along.
    const top = readdirSync(path.join(modules, 'leadline-desk', 'node_modules'));
    for (const serverOnly of ['@nestjs', '@mikro-orm', 'better-sqlite3', 'argon2', 'socket.io', 'express', 'react']) expect(top).not.toContain(serverOnly);
    expect(top).toEqual(expect.arrayContaining(['node-hid', 'pino', 'socket.io-client', 'zod']));
  }, 200_000);

  it('is what hardware/leadline-desk.service (shipped in the package) starts, and systemd accepts that unit', () => {
    const unit = readFileSync(path.join(home, '.local', 'lib', 'node_modules', 'leadline-desk', 'hardware', 'leadline-desk.service'), 'utf8');
    expect(unit).toBe(readFileSync(path.join(REPO_DIR, 'hardware', 'leadline-desk.service'), 'utf8'));
    // %h is the agent's home: here the temp HOME the package was installed under.
    const rendered = unit.replaceAll('%h', home);
    expect(/^ExecStart=(.+)$/m.exec(rendered)![1]).toBe(bin);
    writeFileSync(path.join(home, 'leadline-desk.service'), rendered);
    const verify = spawnSync('systemd-analyze', ['verify', path.join(home, 'leadline-desk.service')], { encoding: 'utf8' });
    expect({ status: verify.status, output: `${verify.stdout}${verify.stderr}`.trim() }).toEqual({ status: 0, output: '' });
  });

  it('--list loads node-hid from its prebuilt binary (no lights on this machine) and lists simulated lights', async () => {
    expect((await desk(['--list'])).stdout).toBe('no supported lights found (hid)\n');
    const { stdout } = await desk(['--list', '--transport', `file:${path.join(home, 'list.jsonl')}`, '--sim-devices', 'kuando,embrava,luxafor,blink1']);
    expect(stdout.trim().split('\n').map((l) => l.split('\t').slice(0, 3))).toEqual([
      ['kuando', 'Busylight Alpha', '27bb:3bca'],
      ['embrava', 'Blynclight', '2c0d:0001'],
      ['luxafor', 'Luxafor Flag', '04d8:f372'],
      ['blink1', 'blink(1)', '27b8:01ed'],
    ]);
  });

  it('--test cycles every light green, red, blinking red, off, in its own protocol', async () => {
    const log = path.join(home, 'test.jsonl');
    const { stdout } = await desk(['--test', '--transport', `file:${log}`, '--sim-devices', 'kuando,embrava,luxafor,blink1']);
    expect(stdout).toContain('green\nred\nblinking red\noff\n');
    const drivers = [kuandoDriver, embravaDriver, luxaforDriver, blink1Driver];
    expect(drivers.map((d) => d.family)).toEqual(LIGHT_DRIVERS.map((d) => d.family));
    for (const [i, driver] of drivers.entries()) {
      const keepAlive = driver.keepAlive();
      const hex = [...new Set((await writesOf(log, `sim-${i}`)).map((w) => w.hex).filter((h) => !keepAlive || h !== toHex(keepAlive.bytes)))];
      const want = (s: LightState) => toHex(driver.encode(s).bytes);
      // Timer-blinked lights (blink(1)) alternate the colour with off while blinking.
      expect(hex).toEqual([want(OFF), want(solid(GREEN)), want(solid(RED)), ...(driver.hardwareBlink ? [want(blinking(RED))] : [])]);
      expect((await writesOf(log, `sim-${i}`)).at(-1)!.hex).toBe(want(OFF));
    }
  }, 60_000);

  it('drives the lights from a real server: red logged out, green, red, blue when the server goes away, off on SIGTERM', async () => {
    const log = path.join(home, 'lights.jsonl');
    const logFile = path.join(home, 'desk.log');
    const lights = { 'sim-0': kuandoDriver, 'sim-1': luxaforDriver };
    // Configured by the per-desktop config file (here Linux's), as the startup instructions say.
    const configDir = path.join(home, '.config', 'leadline');
    mkdirSync(configDir, { recursive: true });
    writeFileSync(path.join(configDir, 'desk.json'), JSON.stringify({ server: server.url, token: deviceToken, transport: `file:${log}`, simDevices: 'kuando,luxafor', logFile, logLevel: 'debug' }), { mode: 0o600 });
    daemon = spawn(bin, [], { cwd: home, env: pcEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    daemon.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    daemon.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => daemon!.once('exit', (code) => resolve(code)));
    const logged = () => `${output}${existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''}`;

    await waitForLights(log, lights, solid(RED), logged);
    await server.request('PATCH', '/api/me/session', { token: agentToken, body: { loggedIn: true, callsOn: true } });
    await waitForLights(log, lights, solid(GREEN), logged);
    await server.request('PATCH', '/api/me/session', { token: agentToken, body: { callsOn: false } });
    await waitForLights(log, lights, solid(RED), logged);
    await server.request('PATCH', '/api/me/session', { token: agentToken, body: { callsOn: true } });
    await waitForLights(log, lights, solid(GREEN), logged);

    await server.close();
    await waitForLights(log, lights, solid(BLUE), logged, 10_000);

    daemon.kill('SIGTERM');
    expect(await exited).toBe(0);
    daemon = undefined;
    expect(await allShow(log, lights, OFF)).toBe(true);
    // It logged to the file (pino JSON lines), never the token, and nothing to the terminal.
    const lines = readFileSync(logFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { msg: string });
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['starting', 'light attached', 'stopping: turning the lights off']));
    expect(readFileSync(logFile, 'utf8')).not.toContain(deviceToken);
    expect(output).toBe('');
  }, 90_000);
});
