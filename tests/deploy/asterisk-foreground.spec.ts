// scripts/asterisk-foreground.sh — the Asterisk image's entrypoint and leadline-asterisk.service's
// ExecStart — run on this host (no Docker engine here): it renders asterisk-config/ with
// scripts/asterisk.sh, then becomes a real Asterisk in the foreground. ARI answers with the given
// password, the prompts are in place, and the Asterisk process does not carry the secrets.
import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { IT_PORT_BASE } from '../harness/it-env';
import { eventually } from '../harness/server';

const REPO = path.join(__dirname, '..', '..');

/**
 * What the entrypoint needs (its scripts and asterisk-config/), copied where the unprivileged user
 * may read it, as in an installation (/opt/leadline, the image): the checkout itself may sit in a
 * folder only root can enter (a CI clone in a mode-700 temp folder).
 */
function installedCopy(): string {
  const app = mkdtempSync('/tmp/lle-app-');
  chmodSync(app, 0o755);
  for (const file of ['asterisk.sh', 'asterisk-foreground.sh']) cpSync(path.join(REPO, 'scripts', file), path.join(app, 'scripts', file));
  cpSync(path.join(REPO, 'asterisk-config'), path.join(app, 'asterisk-config'), { recursive: true });
  return app;
}
const ENTRYPOINT = path.join(installedCopy(), 'scripts', 'asterisk-foreground.sh');
// Above the ports the integration suites use in this slot (LEADLINE_IT_SLOT moves them all).
const PORTS = { sip: IT_PORT_BASE + 970, trunk: IT_PORT_BASE + 972, ari: IT_PORT_BASE + 980, rtpStart: IT_PORT_BASE + 984, rtpEnd: IT_PORT_BASE + 999 };
const ARI_PASSWORD = 'entrypoint-ari-secret-1';
const JWT_SECRET = 'entrypoint-jwt-secret-0123456789-0123456789';

/** Runs the script; `asNobody`: as uid/gid 65534 (setpriv), as the services run unprivileged. */
function start(env: Record<string, string>, asNobody = false): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const [cmd, args] = asNobody ? ['setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'bash', ENTRYPOINT]] : ['bash', [ENTRYPOINT]];
  // cwd /: the unprivileged user may not be allowed into ours (see installedCopy).
  const child = spawn(cmd, args, { cwd: '/', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function ariStatus(): Promise<number> {
  const auth = Buffer.from(`leadline:${ARI_PASSWORD}`).toString('base64');
  const res = await fetch(`http://127.0.0.1:${PORTS.ari}/ari/asterisk/info`, { headers: { authorization: `Basic ${auth}` }, signal: AbortSignal.timeout(2000) });
  return res.status;
}

describe('scripts/asterisk-foreground.sh (on this host)', () => {
  // short: Asterisk's control socket path must fit 108 bytes; owned by the unprivileged user
  const parent = mkdtempSync('/tmp/lle-');
  chownSync(parent, 65534, 65534);
  const dir = path.join(parent, 'asterisk');
  const env = {
    LEADLINE_ASTERISK_DIR: dir,
    ARI_PASSWORD,
    ARI_BIND: '127.0.0.1',
    ARI_PORT: String(PORTS.ari),
    SIP_BIND: '127.0.0.1',
    SIP_PORT: String(PORTS.sip),
    RTP_START: String(PORTS.rtpStart),
    RTP_END: String(PORTS.rtpEnd),
    TRUNK_HOST: '127.0.0.1',
    TRUNK_PORT: String(PORTS.trunk),
    // what compose also hands the server; must not reach Asterisk
    JWT_SECRET,
    LEADLINE_ADMIN_PASSWORD: 'entrypoint-admin-password',
  };
  let run: ReturnType<typeof start> | undefined;

  afterAll(async () => {
    if (run && run.child.exitCode === null) {
      run.child.kill('SIGKILL');
      await run.exited;
    }
  });

  it.each([
    ['ARI_PASSWORD', 'ARI_PASSWORD (the password the server uses for ARI) is required'],
    ['TRUNK_HOST', "TRUNK_HOST (your carrier's SIP address) is required"],
  ])('refuses to start without %s (unset or empty) and renders nothing', async (name, message) => {
    for (const value of [undefined, '']) {
      const elsewhere = path.join(mkdtempSync('/tmp/lle-'), 'asterisk');
      const rest: Record<string, string> = { ...env, LEADLINE_ASTERISK_DIR: elsewhere };
      if (value === undefined) delete rest[name];
      else rest[name] = value;
      const refused = start(rest);
      expect(await refused.exited).toBe(1);
      expect(refused.output()).toContain(message);
      expect(existsSync(path.join(elsewhere, 'etc'))).toBe(false);
    }
  });

  it('renders the config and runs Asterisk in the foreground, unprivileged: ARI answers with the password', async () => {
    run = start(env, true);
    await eventually(async () => (await ariStatus()) === 200, 40_000, 300).catch((err: unknown) => {
      throw new Error(`${String(err)}\n${run!.output()}`);
    });
    expect(run.child.exitCode).toBeNull();
    // the entrypoint exec'd into Asterisk: same pid, foreground, on the rendered config
    const cmdline = readFileSync(`/proc/${run.child.pid}/cmdline`, 'utf8').split('\0');
    expect(cmdline.slice(0, 5)).toEqual(['asterisk', '-f', '-n', '-C', path.join(dir, 'etc', 'asterisk.conf')]);
    expect(statSync(`/proc/${run.child.pid}`).uid).toBe(65534);
    // a wrong password is refused
    const auth = Buffer.from('leadline:wrong-password-123').toString('base64');
    expect((await fetch(`http://127.0.0.1:${PORTS.ari}/ari/asterisk/info`, { headers: { authorization: `Basic ${auth}` } })).status).toBe(401);
  });

  it('keeps the secrets out of the Asterisk process environment, and the rendered ari.conf private', () => {
    const environ = readFileSync(`/proc/${run!.child.pid}/environ`, 'utf8').split('\0');
    expect(environ.filter((e) => /^(ARI_PASSWORD|JWT_SECRET|LEADLINE_ADMIN_PASSWORD)=/.test(e))).toEqual([]);
    expect(environ).toContain(`LEADLINE_ASTERISK_DIR=${dir}`);
    const ariConf = path.join(dir, 'etc', 'ari.conf');
    expect(readFileSync(ariConf, 'utf8')).toContain(ARI_PASSWORD);
    expect((statSync(ariConf).mode & 0o777).toString(8)).toBe('600');
  });

  it('installs the project prompts and the spool folder for recordings', () => {
    for (const prompt of ['press-1.wav', 'lead-taken.wav', 'connecting.wav', 'no-agents.wav', 'unavailable.wav']) {
      expect(readFileSync(path.join(dir, 'data', 'sounds', 'en', 'leadline', prompt))).toEqual(readFileSync(path.join(REPO, 'asterisk-config', 'sounds', prompt)));
    }
    expect(statSync(path.join(dir, 'spool', 'recording')).isDirectory()).toBe(true);
    expect(readFileSync(path.join(dir, 'etc', 'pjsip.conf'), 'utf8')).toContain(`bind = 127.0.0.1:${PORTS.sip}`);
  });

  it('stops on SIGTERM (docker stop)', async () => {
    run!.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([run!.exited, new Promise<string>((r) => (timer = setTimeout(() => r('timeout'), 15_000)))]);
    clearTimeout(timer);
    expect(code).not.toBe('timeout');
    await expect(ariStatus()).rejects.toThrow();
  });
});
