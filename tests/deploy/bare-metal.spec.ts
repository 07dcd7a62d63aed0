// scripts/install-bare-metal.sh run for real into a scratch filesystem root (--root: the user goes
// into that root's /etc/passwd, folders, links, env file and units under it), twice; the units it
// installs checked with systemd-analyze verify and security --offline; the env file it writes
// parsed by the server's own config parser.
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ConfigError, parseConfig } from '../../apps/server/src/config/app-config';
import { envTemplateProblems } from '../../apps/server/src/config/config-reference';
import { IT_PORT_BASE } from '../harness/it-env';
import { eventually } from '../harness/server';

const REPO = path.join(__dirname, '..', '..');
const SCRIPT = path.join(REPO, 'scripts', 'install-bare-metal.sh');

function scratchRoot(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'leadline-root-'));
  mkdirSync(path.join(root, 'etc'));
  for (const f of ['passwd', 'group', 'shadow', 'gshadow']) writeFileSync(path.join(root, 'etc', f), '');
  return root;
}

function install(root: string): { status: number; out: string } {
  const run = spawnSync('bash', [SCRIPT, '--root', root], { encoding: 'utf8' });
  return { status: run.status ?? -1, out: run.stdout + run.stderr };
}

/** Every path under root with its type, mode, owner, link target or content hash. */
function snapshot(root: string): string[] {
  const rows: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      const st = lstatSync(p);
      const what = st.isSymbolicLink() ? `-> ${readlinkSync(p)}` : st.isDirectory() ? 'dir' : createHash('sha256').update(readFileSync(p)).digest('hex');
      rows.push(`${path.relative(root, p)} ${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid} ${what}`);
      if (st.isDirectory() && !st.isSymbolicLink()) walk(p);
    }
  };
  walk(root);
  return rows;
}

/** KEY=VALUE lines of an environment file, as systemd's EnvironmentFile= reads them (comments skipped). */
function envFileValues(text: string): Record<string, string> {
  return Object.fromEntries(text.split('\n').flatMap((line) => {
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    return m ? [[m[1], m[2]]] : [];
  }));
}

const modeOf = (p: string) => (lstatSync(p).mode & 0o7777).toString(8);

describe('scripts/install-bare-metal.sh --root <scratch>', () => {
  if (process.getuid?.() !== 0) throw new Error('the install script runs as root (as npm test does on the CI machine)');
  const root = scratchRoot();
  let first: { status: number; out: string };
  let uid: number;
  let gid: number;

  beforeAll(() => {
    first = install(root);
  });

  it('creates the system user leadline in the root', () => {
    expect(first).toMatchObject({ status: 0 });
    const line = readFileSync(path.join(root, 'etc/passwd'), 'utf8').split('\n').find((l) => l.startsWith('leadline:'));
    expect(line).toMatch(/^leadline:x:\d+:\d+::\/var\/lib\/leadline:\/usr\/sbin\/nologin$/);
    [uid, gid] = line!.split(':').slice(2, 4).map(Number);
    expect(uid).toBeLessThan(1000); // a system user
    expect(readFileSync(path.join(root, 'etc/group'), 'utf8')).toContain(`leadline:x:${gid}:`);
  });

  it('creates the data, recordings, Asterisk, log and backup folders, owned by leadline', () => {
    for (const [dir, mode] of [
      ['var/lib/leadline', '750'],
      ['var/lib/leadline/recordings', '750'],
      ['var/lib/leadline/asterisk', '700'],
      ['var/log/leadline', '750'],
      ['var/log/leadline/asterisk', '750'],
      ['var/backups/leadline', '750'],
    ]) {
      const st = lstatSync(path.join(root, dir));
      expect([dir, st.isDirectory(), modeOf(path.join(root, dir)), st.uid, st.gid]).toEqual([dir, true, mode, uid, gid]);
    }
    // Asterisk's spool/recording and log point at the FHS places
    // (relative links: they resolve the same inside this scratch root and on a real one)
    expect(readlinkSync(path.join(root, 'var/lib/leadline/asterisk/spool/recording'))).toBe('../../recordings');
    expect(realpathSync(path.join(root, 'var/lib/leadline/asterisk/spool/recording'))).toBe(realpathSync(path.join(root, 'var/lib/leadline/recordings')));
    expect(readlinkSync(path.join(root, 'var/lib/leadline/asterisk/log'))).toBe('../../../log/leadline/asterisk');
    expect(realpathSync(path.join(root, 'var/lib/leadline/asterisk/log'))).toBe(realpathSync(path.join(root, 'var/log/leadline/asterisk')));
    const etc = lstatSync(path.join(root, 'etc/leadline'));
    expect([modeOf(path.join(root, 'etc/leadline')), etc.uid, etc.gid]).toEqual(['750', 0, gid]);
  });

  it('writes /etc/leadline/leadline.env from the template with generated secrets, readable by root and the group only', () => {
    const file = path.join(root, 'etc/leadline/leadline.env');
    const st = lstatSync(file);
    expect([modeOf(file), st.uid, st.gid]).toEqual(['640', 0, gid]);
    const text = readFileSync(file, 'utf8');
    const values = envFileValues(text);
    expect(values.ARI_PASSWORD).toMatch(/^[0-9a-f]{40}$/);
    expect(values.JWT_SECRET).toMatch(/^[0-9a-f]{64}$/);
    // everything else is the template, line for line
    const template = readFileSync(path.join(REPO, 'deploy/leadline.env.example'), 'utf8');
    expect(text.replace(/^(ARI_PASSWORD|JWT_SECRET)=.*$/gm, '$1=')).toBe(template);
    expect(envTemplateProblems(text)).toEqual([]);
    // a second installation gets other secrets
    const other = envFileValues(readFileSync(path.join((() => { const r = scratchRoot(); install(r); return r; })(), 'etc/leadline/leadline.env'), 'utf8'));
    expect(other.ARI_PASSWORD).not.toBe(values.ARI_PASSWORD);
    expect(other.JWT_SECRET).not.toBe(values.JWT_SECRET);
  });

  it('the installed env file is a valid production configuration once SIP_PUBLIC_HOST is set, and refused before', () => {
    const values = envFileValues(readFileSync(path.join(root, 'etc/leadline/leadline.env'), 'utf8'));
    const dataDir = mkdtempSync(path.join(tmpdir(), 'leadline-data-'));
    // what systemd passes: the unit's Environment= first, the file over it
    const env = { NODE_ENV: 'production', ...values, LEADLINE_DATA_DIR: dataDir };
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow('SIP_PUBLIC_HOST');
    const config = parseConfig({ ...env, SIP_PUBLIC_HOST: 'pbx.example.lan' });
    expect(config).toMatchObject({ env: 'production', host: '127.0.0.1', port: 3000, sip: { publicHost: 'pbx.example.lan' } });
    expect(config.auth.jwtSecret).toBe(values.JWT_SECRET);
    expect(config.ari.password).toBe(values.ARI_PASSWORD);
  });

  it('installs both units, pointed at the checkout, and systemd-analyze verify finds nothing to report', () => {
    const units = ['leadline-asterisk.service', 'leadline.service'].map((u) => path.join(root, 'etc/systemd/system', u));
    for (const unit of units) {
      const text = readFileSync(unit, 'utf8');
      expect(text).not.toContain('/opt/leadline');
      expect(modeOf(unit)).toBe('644');
    }
    expect(readFileSync(units[1], 'utf8')).toContain(`ExecStart=/usr/bin/node ${REPO}/dist/apps/server/src/main.js`);
    expect(readFileSync(units[0], 'utf8')).toContain(`ExecStart=${REPO}/scripts/asterisk-foreground.sh`);
    const verify = spawnSync('systemd-analyze', ['verify', ...units], { encoding: 'utf8' });
    expect({ status: verify.status, stderr: verify.stderr.trim(), stdout: verify.stdout.trim() }).toEqual({ status: 0, stderr: '', stdout: '' });
  });

  it('systemd-analyze verify does report a broken unit (so the check above can fail)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'leadline-units-'));
    const text = readFileSync(path.join(root, 'etc/systemd/system/leadline.service'), 'utf8');
    writeFileSync(path.join(dir, 'leadline.service'), text.replace('ProtectSystem=strict', 'ProtectSystem=strictly'));
    const verify = spawnSync('systemd-analyze', ['verify', path.join(dir, 'leadline.service')], { encoding: 'utf8' });
    expect(verify.stderr).toContain('Failed to parse protect system value');
    expect(verify.stderr).toContain('leadline-asterisk.service not found');
  });

  it.each(['leadline.service', 'leadline-asterisk.service'])('%s: hardened (systemd-analyze security --offline rates it OK)', (unit) => {
    const file = path.join(root, 'etc/systemd/system', unit);
    const text = readFileSync(file, 'utf8');
    for (const line of ['User=leadline', 'NoNewPrivileges=yes', 'ProtectSystem=strict', 'ReadWritePaths=/var/lib/leadline /var/log/leadline', 'EnvironmentFile=/etc/leadline/leadline.env', 'CapabilityBoundingSet=']) {
      expect(text.split('\n')).toContain(line);
    }
    const security = spawnSync('systemd-analyze', ['security', '--offline=true', '--no-pager', file], { encoding: 'utf8' });
    const level = /Overall exposure level for .*: (\d+\.\d+) (\w+)/.exec(security.stdout);
    expect(level).not.toBeNull();
    expect(Number(level![1])).toBeLessThanOrEqual(2.0);
    expect(level![2]).toBe('OK');
  });

  it('the server unit requires and starts after the Asterisk unit', () => {
    const text = readFileSync(path.join(root, 'etc/systemd/system/leadline.service'), 'utf8').split('\n');
    expect(text).toContain('Requires=leadline-asterisk.service');
    expect(text).toContain('After=network-online.target leadline-asterisk.service');
  });

  it('is idempotent: a second run changes nothing and keeps an edited env file', () => {
    const envFile = path.join(root, 'etc/leadline/leadline.env');
    writeFileSync(envFile, readFileSync(envFile, 'utf8').replace(/^SIP_PUBLIC_HOST=$/m, 'SIP_PUBLIC_HOST=pbx.example.lan'));
    const before = snapshot(root);
    const second = install(root);
    expect(second.status).toBe(0);
    expect(second.out).not.toMatch(/created|installed|wrote|moved/);
    expect(snapshot(root)).toEqual(before);
    expect(readFileSync(envFile, 'utf8')).toContain('SIP_PUBLIC_HOST=pbx.example.lan\n');
  });

  it('names settings an older env file lacks, without touching it', () => {
    const envFile = path.join(root, 'etc/leadline/leadline.env');
    const edited = readFileSync(envFile, 'utf8').replace(/^#INBOUND_MAX_AGENTS=.*\n/m, '');
    writeFileSync(envFile, edited);
    const run = install(root);
    expect(run.status).toBe(0);
    expect(run.out).toContain('does not mention INBOUND_MAX_AGENTS');
    expect(readFileSync(envFile, 'utf8')).toBe(edited);
  });

  it('moves recordings out of a real spool/recording folder left by an earlier Asterisk', () => {
    const other = scratchRoot();
    mkdirSync(path.join(other, 'var/lib/leadline/asterisk/spool/recording'), { recursive: true });
    writeFileSync(path.join(other, 'var/lib/leadline/asterisk/spool/recording/call-1.wav'), 'RIFF');
    const run = install(other);
    expect(run.status).toBe(0);
    expect(readlinkSync(path.join(other, 'var/lib/leadline/asterisk/spool/recording'))).toBe('../../recordings');
    expect(readFileSync(path.join(other, 'var/lib/leadline/recordings/call-1.wav'), 'utf8')).toBe('RIFF');
  });

  it('refuses a --root without its account files', () => {
    const run = install(mkdtempSync(path.join(tmpdir(), 'leadline-empty-')));
    expect(run.status).not.toBe(0);
    expect(run.out).toContain('needs etc/passwd');
  });
});

/** The [Service] lines of an installed unit. */
function unitLines(text: string, key: string): string[] {
  return text.split('\n').filter((l) => l.startsWith(`${key}=`)).map((l) => l.slice(key.length + 1));
}

describe('leadline-asterisk.service as installed: its commands run a real Asterisk on the installed layout', () => {
  // Above the ports the integration suites use in this slot (the entrypoint spec takes 970-999).
  const PORTS = { sip: IT_PORT_BASE + 940, trunk: IT_PORT_BASE + 942, ari: IT_PORT_BASE + 950, rtpStart: IT_PORT_BASE + 952, rtpEnd: IT_PORT_BASE + 967 };
  const root = scratchRoot();
  const inRoot = (s: string) => s.replace(/\/(var\/lib\/leadline|var\/log\/leadline|etc\/leadline)/g, `${root}/$1`);
  let asterisk: ChildProcess | undefined;
  let exited: Promise<unknown> | undefined;

  /** What systemd would hand the unit's commands: Environment=, then the EnvironmentFile= over it. */
  function unitEnv(unit: string): Record<string, string> {
    const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
    for (const line of unitLines(unit, 'Environment')) for (const pair of line.split(' ')) env[pair.split('=')[0]] = inRoot(pair.slice(pair.indexOf('=') + 1));
    const [envFile] = unitLines(unit, 'EnvironmentFile');
    for (const [k, v] of Object.entries(envFileValues(readFileSync(inRoot(envFile), 'utf8')))) env[k] = inRoot(v);
    return env;
  }

  afterAll(async () => {
    if (asterisk && asterisk.exitCode === null) {
      asterisk.kill('SIGKILL');
      await exited;
    }
  });

  it('refuses the env file as installed until TRUNK_HOST is set', () => {
    expect(install(root).status).toBe(0);
    const unit = readFileSync(path.join(root, 'etc/systemd/system/leadline-asterisk.service'), 'utf8');
    expect(unitLines(unit, 'ExecStartPre')).toEqual([]);
    const [start] = unitLines(unit, 'ExecStart').map(inRoot);
    const [cwd] = unitLines(unit, 'WorkingDirectory').map(inRoot);
    const run = spawnSync(start.split(' ')[0], start.split(' ').slice(1), { env: unitEnv(unit), cwd, encoding: 'utf8', timeout: 20_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("TRUNK_HOST (your carrier's SIP address) is required");
    expect(existsSync(path.join(root, 'var/lib/leadline/asterisk/etc'))).toBe(false);
  });

  it('once the admin has filled in the env file, ExecStart renders and runs Asterisk: ARI answers, logs and recordings land in their folders', async () => {
    const envFile = path.join(root, 'etc/leadline/leadline.env');
    const edited = readFileSync(envFile, 'utf8')
      .replace(/^TRUNK_HOST=$/m, 'TRUNK_HOST=127.0.0.1')
      .replace(/^TRUNK_PORT=.*$/m, `TRUNK_PORT=${PORTS.trunk}`)
      .replace(/^SIP_BIND=.*$/m, 'SIP_BIND=127.0.0.1')
      .replace(/^#SIP_PORT=.*$/m, `SIP_PORT=${PORTS.sip}`)
      .replace(/^#ARI_PORT=.*$/m, `ARI_PORT=${PORTS.ari}`)
      .replace(/^#RTP_START=.*$/m, `RTP_START=${PORTS.rtpStart}`)
      .replace(/^#RTP_END=.*$/m, `RTP_END=${PORTS.rtpEnd}`);
    writeFileSync(envFile, edited);
    const unit = readFileSync(path.join(root, 'etc/systemd/system/leadline-asterisk.service'), 'utf8');
    const env = unitEnv(unit);
    const [start] = unitLines(unit, 'ExecStart').map(inRoot);
    const [cwd] = unitLines(unit, 'WorkingDirectory').map(inRoot);
    asterisk = spawn(start.split(' ')[0], start.split(' ').slice(1), { env, cwd, stdio: 'ignore' });
    exited = new Promise((resolve) => asterisk!.once('exit', resolve));
    const auth = Buffer.from(`leadline:${env.ARI_PASSWORD}`).toString('base64');
    await eventually(async () => (await fetch(`http://127.0.0.1:${PORTS.ari}/ari/asterisk/info`, { headers: { authorization: `Basic ${auth}` } })).status === 200, 40_000, 300);

    // the secrets of the env file did not reach Asterisk's environment
    const environ = readFileSync(`/proc/${asterisk.pid}/environ`, 'utf8').split('\0');
    expect(environ.filter((e) => /^(ARI_PASSWORD|JWT_SECRET)=/.test(e))).toEqual([]);
    // its logs are in /var/log/leadline/asterisk, its recording spool is /var/lib/leadline/recordings
    await eventually(() => existsSync(path.join(root, 'var/log/leadline/asterisk/messages')), 10_000);
    expect(realpathSync(path.join(root, 'var/lib/leadline/asterisk/etc/../spool/recording'))).toBe(realpathSync(path.join(root, 'var/lib/leadline/recordings')));
    expect(readFileSync(path.join(root, 'var/lib/leadline/asterisk/etc/asterisk.conf'), 'utf8')).toContain(`astspooldir => ${root}/var/lib/leadline/asterisk/spool`);

    asterisk.kill('SIGTERM');
    await exited;
  });
});
