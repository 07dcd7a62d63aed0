// scripts/install-bare-metal.sh run for real into a scratch filesystem root (--root: the user goes
// into that root's /etc/passwd, folders, links, env file and units under it), twice; the units it
// installs checked with systemd-analyze verify and security --offline; the env file it writes
// parsed by the server's own config parser.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ConfigError, parseConfig } from '../../apps/server/src/config/app-config';
import { envTemplateProblems } from '../../apps/server/src/config/config-reference';
import { IT_PORT_BASE } from '../harness/it-env';

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
  let astUid: number;
  let astGid: number;

  beforeAll(() => {
    first = install(root);
  });

  it('creates the system users leadline (server) and leadline-asterisk (Asterisk); the server reads through Asterisk\'s group, not the other way round', () => {
    expect(first).toMatchObject({ status: 0 });
    const passwd = readFileSync(path.join(root, 'etc/passwd'), 'utf8').split('\n');
    const line = passwd.find((l) => l.startsWith('leadline:'));
    expect(line).toMatch(/^leadline:x:\d+:\d+:Leadline server:\/var\/lib\/leadline:\/usr\/sbin\/nologin$/);
    [uid, gid] = line!.split(':').slice(2, 4).map(Number);
    expect(uid).toBeLessThan(1000); // a system user
    const ast = passwd.find((l) => l.startsWith('leadline-asterisk:'));
    expect(ast).toMatch(/^leadline-asterisk:x:\d+:\d+:Leadline's Asterisk:\/nonexistent:\/usr\/sbin\/nologin$/);
    [astUid, astGid] = ast!.split(':').slice(2, 4).map(Number);
    expect(astUid).not.toBe(uid);
    const group = readFileSync(path.join(root, 'etc/group'), 'utf8');
    expect(group).toContain(`leadline:x:${gid}:\n`);
    expect(group).toContain(`leadline-asterisk:x:${astGid}:leadline\n`);
  });

  it('creates the server\'s data and backup folders, and Asterisk\'s scratch, recordings and log folders', () => {
    for (const [dir, mode, owner, group] of [
      ['var/lib/leadline', '750', uid, gid],
      ['var/backups/leadline', '750', uid, gid],
      ['var/lib/leadline/recordings', '750', astUid, astGid],
      ['var/lib/leadline/asterisk', '750', 0, astGid],
      ['var/lib/leadline/asterisk/spool', '750', astUid, astGid],
      ['var/log/leadline', '755', 0, 0],
      ['var/log/leadline/asterisk', '750', astUid, astGid],
    ] as const) {
      const st = lstatSync(path.join(root, dir));
      expect([dir, st.isDirectory(), modeOf(path.join(root, dir)), st.uid, st.gid]).toEqual([dir, true, mode, owner, group]);
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
    // AMI on for the desk phones' check-sync NOTIFY: loopback port 5038, a generated password
    expect(values.AMI_PORT).toBe('5038');
    expect(values.AMI_PASSWORD).toMatch(/^[0-9a-f]{40}$/);
    // everything else is the template, line for line
    const template = readFileSync(path.join(REPO, 'deploy/leadline.env.example'), 'utf8');
    expect(text.replace(/^(ARI_PASSWORD|JWT_SECRET)=.*$/gm, '$1=').replace(/^(AMI_PORT|AMI_PASSWORD)=.*$/gm, '#$1=')).toBe(template);
    expect(envTemplateProblems(text)).toEqual([]);
    // a second installation gets other secrets
    const other = envFileValues(readFileSync(path.join((() => { const r = scratchRoot(); install(r); return r; })(), 'etc/leadline/leadline.env'), 'utf8'));
    expect(other.ARI_PASSWORD).not.toBe(values.ARI_PASSWORD);
    expect(other.JWT_SECRET).not.toBe(values.JWT_SECRET);
    expect(other.AMI_PASSWORD).not.toBe(values.AMI_PASSWORD);
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
    expect(config.ami).toMatchObject({ host: '127.0.0.1', port: 5038, username: 'leadline-notify', password: values.AMI_PASSWORD });
  });

  it('installs both units, pointed at the checkout, and systemd-analyze verify finds nothing else to report than Asterisk living in its root', () => {
    const units = ['leadline-asterisk-config.service', 'leadline-asterisk.service', 'leadline.service'].map((u) => path.join(root, 'etc/systemd/system', u));
    for (const unit of units) {
      const text = readFileSync(unit, 'utf8');
      // the checkout is rewritten; Asterisk's root (--asterisk-root) is not part of it
      expect(text.replaceAll('/opt/leadline/asterisk-root', '')).not.toContain('/opt/leadline');
      expect(modeOf(unit)).toBe('644');
    }
    expect(readFileSync(units[2], 'utf8')).toContain(`ExecStart=/usr/bin/node ${REPO}/dist/apps/server/src/main.js`);
    const config = readFileSync(units[0], 'utf8').split('\n');
    expect(config).toContain(`ExecStart=${REPO}/scripts/asterisk-foreground.sh --render-only --env-file /etc/leadline/leadline.env`);
    expect(config.filter((l) => /^(User|RootDirectory|EnvironmentFile)=/.test(l))).toEqual([]);
    const asterisk = readFileSync(units[1], 'utf8').split('\n');
    expect(asterisk).toContain('Requires=leadline-asterisk-config.service');
    expect(asterisk).toContain('After=network-online.target leadline-asterisk-config.service');
    expect(asterisk).toContain('ExecStart=/usr/sbin/asterisk -f -n -C /var/lib/leadline/asterisk/etc/asterisk.conf');
    expect(asterisk).toContain('RootDirectory=/opt/leadline/asterisk-root');
    expect(asterisk).toContain('User=leadline-asterisk');
    expect(asterisk).toContain('BindPaths=/var/lib/leadline/asterisk /var/lib/leadline/recordings /var/log/leadline/asterisk');
    // no env file: the server's secrets never enter Asterisk's environment
    expect(asterisk.filter((l) => l.startsWith('EnvironmentFile='))).toEqual([]);
    const verify = spawnSync('systemd-analyze', ['verify', ...units], { encoding: 'utf8' });
    // verify looks for ExecStart= on this host; systemd resolves it inside RootDirectory=, where it is
    // (tests/docker/systemd.spec.ts runs the unit under a real systemd)
    const inRootOnly = 'leadline-asterisk.service: Command /usr/sbin/asterisk is not executable: No such file or directory';
    expect(verify.stderr.trim().split('\n')).toEqual([inRootOnly]);
    expect(verify.stdout.trim()).toBe('');
    expect(spawnSync('test', ['-x', '/opt/leadline/asterisk-root/usr/sbin/asterisk']).status).toBe(0);
  });

  it('systemd-analyze verify does report a broken unit (so the check above can fail)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'leadline-units-'));
    const text = readFileSync(path.join(root, 'etc/systemd/system/leadline.service'), 'utf8');
    writeFileSync(path.join(dir, 'leadline.service'), text.replace('ProtectSystem=strict', 'ProtectSystem=strictly'));
    const verify = spawnSync('systemd-analyze', ['verify', path.join(dir, 'leadline.service')], { encoding: 'utf8' });
    expect(verify.stderr).toContain('Failed to parse protect system value');
    expect(verify.stderr).toContain('leadline-asterisk.service not found');
  });

  it.each([
    ['leadline.service', ['User=leadline', 'ReadWritePaths=/var/lib/leadline /var/log/leadline', 'EnvironmentFile=/etc/leadline/leadline.env']],
    ['leadline-asterisk.service', ['User=leadline-asterisk', 'RootDirectory=/opt/leadline/asterisk-root']],
  ])('%s: hardened (systemd-analyze security --offline rates it OK)', (unit, own) => {
    const file = path.join(root, 'etc/systemd/system', unit);
    const text = readFileSync(file, 'utf8');
    for (const line of [...own, 'NoNewPrivileges=yes', 'ProtectSystem=strict', 'CapabilityBoundingSet=']) {
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

  it('restarting the server never restarts Asterisk; stopping Asterisk stops both; the stop waits for the graceful stop', () => {
    const server = readFileSync(path.join(root, 'etc/systemd/system/leadline.service'), 'utf8').split('\n');
    const asterisk = readFileSync(path.join(root, 'etc/systemd/system/leadline-asterisk.service'), 'utf8').split('\n');
    // Nothing in Asterisk's unit points at the server (a PartOf=/BindsTo=/Requires= there would
    // take Asterisk and its calls down with every server restart).
    expect(asterisk.filter((l) => /^(PartOf|BindsTo|Requires|Wants|Requisite)=.*leadline\.service/.test(l))).toEqual([]);
    expect(server.filter((l) => /^(PartOf|BindsTo)=/.test(l))).toEqual([]);
    // SIGTERM lets the rounds ringing end (SHUTDOWN_GRACE_SECONDS, 45 by default) before systemd's SIGKILL.
    const stopSec = Number(server.find((l) => l.startsWith('TimeoutStopSec='))?.split('=')[1]);
    expect(stopSec).toBeGreaterThan(45);
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

describe('leadline-asterisk-config.service as installed: renders Asterisk\'s folders from the env file', () => {
  // Asterisk itself runs under a real systemd in tests/docker/systemd.spec.ts; here the render unit's
  // command runs on this host as systemd runs it (as root, outside Asterisk's root), with the unit's
  // Environment= only: the env file is read by the script, never handed to Asterisk.
  const PORTS = { sip: IT_PORT_BASE + 940, trunk: IT_PORT_BASE + 942, ari: IT_PORT_BASE + 950, rtpStart: IT_PORT_BASE + 952, rtpEnd: IT_PORT_BASE + 967 };
  const root = scratchRoot();
  const inRoot = (s: string) => s.replace(/\/(var\/lib\/leadline|var\/log\/leadline|etc\/leadline)/g, `${root}/$1`);

  function renderUnit(): { status: number | null; stderr: string } {
    const unit = readFileSync(path.join(root, 'etc/systemd/system/leadline-asterisk-config.service'), 'utf8');
    const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
    for (const line of unitLines(unit, 'Environment')) for (const pair of line.split(' ')) env[pair.split('=')[0]] = inRoot(pair.slice(pair.indexOf('=') + 1));
    expect(unitLines(unit, 'EnvironmentFile')).toEqual([]);
    const [start] = unitLines(unit, 'ExecStart').map(inRoot);
    const [cmd, ...args] = start.split(' ');
    const run = spawnSync(cmd, args, { env, cwd: '/', encoding: 'utf8', timeout: 30_000 });
    return { status: run.status, stderr: run.stderr };
  }

  it('refuses the env file as installed until TRUNK_HOST is set, and renders nothing', () => {
    expect(install(root).status).toBe(0);
    const run = renderUnit();
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("TRUNK_HOST (your carrier's SIP address) is required");
    expect(existsSync(path.join(root, 'var/lib/leadline/asterisk/etc'))).toBe(false);
  });

  it('once the admin has filled in the env file, renders the config with its Asterisk settings only, and hands the folders to leadline-asterisk', () => {
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
    const values = envFileValues(edited);
    const run = renderUnit();
    expect(run).toMatchObject({ status: 0 });
    const etc = path.join(root, 'var/lib/leadline/asterisk/etc');
    expect(readFileSync(path.join(etc, 'pjsip.conf'), 'utf8')).toContain(`bind = 127.0.0.1:${PORTS.sip}`);
    expect(readFileSync(path.join(etc, 'http.conf'), 'utf8')).toContain(`bindport = ${PORTS.ari}`);
    // ari.conf holds the hash of the env file's ARI password, never the password; no other secret anywhere
    const ari = readFileSync(path.join(etc, 'ari.conf'), 'utf8');
    expect(ari).toMatch(/password = \$6\$/);
    for (const file of readdirSync(etc)) {
      const text = readFileSync(path.join(etc, file), 'utf8');
      expect([file, text.includes(values.ARI_PASSWORD), text.includes(values.JWT_SECRET)]).toEqual([file, false, false]);
    }
    // spool/recording and log are links to /var/lib/leadline/recordings and /var/log/leadline/asterisk, Asterisk's
    const astUid = Number(spawnSync('id', ['-u', 'leadline-asterisk'], { encoding: 'utf8' }).stdout.trim());
    expect(realpathSync(path.join(root, 'var/lib/leadline/asterisk/spool/recording'))).toBe(realpathSync(path.join(root, 'var/lib/leadline/recordings')));
    expect(lstatSync(path.join(root, 'var/lib/leadline/recordings')).uid).toBe(astUid);
    expect(lstatSync(path.join(root, 'var/log/leadline/asterisk')).uid).toBe(astUid);
    expect(readFileSync(path.join(etc, 'asterisk.conf'), 'utf8')).toContain(`astspooldir => ${root}/var/lib/leadline/asterisk/spool`);
  });
});
