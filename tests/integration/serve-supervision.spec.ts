// `npm start` keeps Asterisk up when the server dies (issue 19): scripts/serve.sh (what
// scripts/start.sh runs once everything is installed and built) run for real against a scratch data
// dir, with its own Asterisk on ports of this slot and the compiled server (dist/). The server
// killed with SIGKILL is started again and answers health while Asterisk keeps its pid; Ctrl-C
// (SIGINT) stops both; a server that refuses its settings (exit code 2), or keeps failing at its
// start, is not restarted (for ever).
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { REPO_DIR } from '../harness/asterisk';
import { IT_DIR, IT_PORT_BASE } from '../harness/it-env';
import { eventually, freePort } from '../harness/server';

const SLOT = Number(process.env.LEADLINE_IT_SLOT ?? 0);
// Ports of this slot no other spec uses: ARI and AMI beside the shared Asterisk's (28100+ / 28300+),
// SIP in the slot's test-phone range, RTP below every Asterisk RTP range and above SIPp's.
const PORTS = { ari: 28400 + SLOT, ami: 28500 + SLOT, sip: IT_PORT_BASE + 990, rtpStart: 46000 + SLOT * 100, rtpEnd: 46099 + SLOT * 100 };

interface Serve {
  child: ChildProcess;
  dataDir: string;
  url: string;
  output(): string;
  exited: Promise<number | null>;
}

async function serve(env: Record<string, string> = {}): Promise<Serve> {
  const dataDir = mkdtempSync(path.join(IT_DIR, 'serve-'));
  const port = await freePort();
  const child = spawn('bash', [path.join(REPO_DIR, 'scripts', 'serve.sh')], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      LEADLINE_DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: String(port),
      ARI_PORT: String(PORTS.ari),
      AMI_PORT: String(PORTS.ami),
      SIP_PORT: String(PORTS.sip),
      RTP_START: String(PORTS.rtpStart),
      RTP_END: String(PORTS.rtpEnd),
      LOG_LEVEL: 'warn',
      LEADLINE_ADMIN_PASSWORD: 'serve-admin-password-1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  return { child, dataDir, url: `http://127.0.0.1:${port}`, output: () => out, exited };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const asteriskPid = (s: Serve) => Number(readFileSync(path.join(s.dataDir, 'asterisk', 'run', 'asterisk.pid'), 'utf8').trim());
const serverPids = (s: Serve) => [...s.output().matchAll(/server started \(pid (\d+)\)/g)].map((m) => Number(m[1]));
const healthy = async (s: Serve) => (await fetch(`${s.url}/api/health`).catch(() => null))?.status === 200;

describe('scripts/serve.sh (npm start): Asterisk outlives the server', () => {
  let running: Serve | undefined;

  afterEach(async () => {
    // A failed test must not leave its Asterisk or server behind.
    if (running && running.child.exitCode === null) {
      running.child.kill('SIGTERM');
      await running.exited;
    }
    running = undefined;
  });

  it('starts the server again after kill -9 or its own stop with Asterisk untouched; Ctrl-C stops both', async () => {
    const s = (running = await serve());
    await eventually(() => healthy(s), 90_000, 200).catch((err: unknown) => {
      throw new Error(`${String(err)}\n${s.output()}`);
    });
    const asterisk = asteriskPid(s);
    const [first] = serverPids(s);
    expect(alive(asterisk)).toBe(true);

    process.kill(first, 'SIGKILL');
    await eventually(() => serverPids(s).length === 2, 20_000, 100);
    expect(s.output()).toMatch(/the server killed by signal 9 after \d+s; Asterisk and its calls are untouched; starting the server again in 1s/);
    const second = serverPids(s)[1];
    expect(second).not.toBe(first);
    await eventually(() => healthy(s), 60_000, 200);
    // The same Asterisk, never stopped in between.
    expect(asteriskPid(s)).toBe(asterisk);
    expect(alive(asterisk)).toBe(true);
    expect(s.output()).not.toContain('[leadline:asterisk] stopped');

    // The server stopped on its own (SIGTERM to it, e.g. to run a new build): a graceful exit 0, started again.
    process.kill(second, 'SIGTERM');
    await eventually(() => serverPids(s).length === 3, 20_000, 100);
    expect(s.output()).toMatch(/the server exited with code 0 after \d+s; Asterisk and its calls are untouched; starting the server again in 2s/);
    const third = serverPids(s)[2];
    await eventually(() => healthy(s), 60_000, 200);
    expect(asteriskPid(s)).toBe(asterisk);

    // Ctrl-C: the server stops gracefully, then Asterisk.
    s.child.kill('SIGINT');
    expect(await s.exited).toBe(130);
    expect(alive(third)).toBe(false);
    expect(alive(asterisk)).toBe(false);
    expect(s.output()).toContain('SIGINT: stopping the server, then Asterisk');
    expect(s.output()).toContain(`[leadline:asterisk] stopped (pid ${asterisk})`);
    expect(serverPids(s)).toHaveLength(3);
  }, 180_000);

  it('does not restart a server that refuses its settings (exit code 2), and stops Asterisk', async () => {
    const s = (running = await serve({ SHUTDOWN_GRACE_SECONDS: 'soon' }));
    expect(await s.exited).toBe(2);
    expect(s.output()).toContain('SHUTDOWN_GRACE_SECONDS');
    expect(s.output()).toContain('the server refused its settings (exit code 2; the reason is above): not restarting it; stopping Asterisk');
    expect(serverPids(s)).toHaveLength(1);
    expect(s.output()).toMatch(/\[leadline:asterisk\] stopped \(pid \d+\)/);
    expect(existsSync(path.join(s.dataDir, 'asterisk', 'run', 'asterisk.pid'))).toBe(false);
  }, 120_000);

  it('gives up after LEADLINE_SERVER_MAX_QUICK_FAILURES quick failures in a row, saying so, and stops Asterisk', async () => {
    // A Redis nobody listens on: the server exits 1 during its start, every time.
    const s = (running = await serve({ LEADLINE_SERVER_MAX_QUICK_FAILURES: '1', REDIS_URL: 'redis://127.0.0.1:9', JWT_SECRET: 'serve-supervision-jwt-secret-0123456789' }));
    expect(await s.exited).toBe(1);
    expect(serverPids(s)).toHaveLength(1);
    expect(s.output()).toMatch(/the server exited with code 1 after \d+s: 1 quick failure\(s\) in a row \(within 30s of a start\): giving up; stopping Asterisk/);
    expect(s.output()).toMatch(/\[leadline:asterisk\] stopped \(pid \d+\)/);
  }, 120_000);
});
