// scripts/asterisk-foreground.sh — the Asterisk image's entrypoint and, with --render-only, the
// command of leadline-asterisk-config.service — refuses to run without the settings a real
// installation must give, before it renders anything. (What it then runs is tested where it runs:
// the Asterisk image in tests/docker/asterisk-image.spec.ts, the unit under systemd in
// tests/docker/systemd.spec.ts.) Last, what scripts/asterisk.sh (which renders for both) does with
// the ARI password.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const ENTRYPOINT = path.join(__dirname, '..', '..', 'scripts', 'asterisk-foreground.sh');

// Every folder a test renders into (ARI passwords among them) lives under one, removed at the end.
const SCRATCH = mkdtempSync('/tmp/lle-');
const scratch = () => mkdtempSync(path.join(SCRATCH, 'd-'));
afterAll(() => rmSync(SCRATCH, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string>): { status: number | null; out: string } {
  const res = spawnSync('bash', [ENTRYPOINT, ...args], { cwd: '/', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, encoding: 'utf8', timeout: 20_000 });
  return { status: res.status, out: res.stdout + res.stderr };
}

describe('scripts/asterisk-foreground.sh refuses missing settings', () => {
  const env = { ARI_PASSWORD: 'entrypoint-ari-secret-1', TRUNK_HOST: '127.0.0.1', ARI_PORT: '8088' };

  it.each([
    ['ARI_PASSWORD', 'ARI_PASSWORD (the password the server uses for ARI) is required'],
    ['TRUNK_HOST', "TRUNK_HOST (your carrier's SIP address) is required"],
  ])('without %s (unset or empty), in both modes, and renders nothing', (name, message) => {
    for (const args of [[], ['--render-only']]) {
      for (const value of [undefined, '']) {
        const dir = path.join(scratch(), 'asterisk');
        const rest: Record<string, string> = { ...env, LEADLINE_ASTERISK_DIR: dir };
        if (value === undefined) delete rest[name];
        else rest[name] = value;
        const refused = run(args, rest);
        expect([args, value, refused.status]).toEqual([args, value, 1]);
        expect(refused.out).toContain(message);
        expect(existsSync(path.join(dir, 'etc'))).toBe(false);
      }
    }
  });

  it('--env-file: takes the Asterisk settings from the file (the environment wins), and still refuses what is missing there', () => {
    const dir = path.join(scratch(), 'asterisk');
    const file = path.join(scratch(), 'leadline.env');
    writeFileSync(file, '# comment\nARI_PASSWORD="from-the-file-123"\nJWT_SECRET=not-for-asterisk\nTRUNK_HOST=\n');
    const refused = run(['--render-only', '--env-file', file], { LEADLINE_ASTERISK_DIR: dir });
    expect(refused.status).toBe(1);
    expect(refused.out).toContain("TRUNK_HOST (your carrier's SIP address) is required");
    expect(refused.out).not.toContain('ARI_PASSWORD');
    expect(run(['--render-only', '--env-file', path.join(dir, 'missing.env')], { LEADLINE_ASTERISK_DIR: dir })).toMatchObject({ status: 1, out: expect.stringContaining('cannot read') });

    // the environment's TRUNK_HOST wins over the file's; the file's password is used (hashed)
    writeFileSync(file, 'ARI_PASSWORD="from-the-file-123"\nJWT_SECRET=not-for-asterisk\nTRUNK_HOST=192.0.2.7\nSIP_PORT=25999\n');
    const rendered = run(['--render-only', '--env-file', file], { LEADLINE_ASTERISK_DIR: dir, TRUNK_HOST: '127.0.0.9' });
    expect(rendered.status).toBe(0);
    const pjsip = readFileSync(path.join(dir, 'etc', 'pjsip.conf'), 'utf8');
    expect(pjsip).toContain('127.0.0.9');
    expect(pjsip).not.toContain('192.0.2.7');
    expect(pjsip).toContain(':25999');
    const etc = readdirSync(path.join(dir, 'etc')).map((f) => readFileSync(path.join(dir, 'etc', f), 'utf8')).join('\n');
    expect(etc).not.toContain('from-the-file-123');
    expect(etc).not.toContain('not-for-asterisk');
    // 1000 rounds: Asterisk checks the hash on every ARI request (scripts/asterisk.sh).
    expect(etc).toMatch(/password = \$6\$rounds=1000\$/);
  });

  it('AMI: off without AMI_PORT; with it, refused without AMI_PASSWORD, else on loopback for one user (also from the env file)', () => {
    const dir = () => path.join(scratch(), 'asterisk');
    const manager = (d: string) => readFileSync(path.join(d, 'etc', 'manager.conf'), 'utf8');
    const off = dir();
    expect(run(['--render-only'], { ...env, LEADLINE_ASTERISK_DIR: off }).status).toBe(0);
    expect(manager(off)).toMatch(/^enabled = no$/m);

    const refused = dir();
    const res = run(['--render-only'], { ...env, LEADLINE_ASTERISK_DIR: refused, AMI_PORT: '5038' });
    expect(res).toMatchObject({ status: 1, out: expect.stringContaining('AMI_PASSWORD (with AMI_PORT') });
    expect(existsSync(path.join(refused, 'etc'))).toBe(false);

    const on = dir();
    const file = path.join(scratch(), 'leadline.env');
    writeFileSync(file, 'AMI_PORT=25038\nAMI_PASSWORD=ami-from-the-file-123\n');
    expect(run(['--render-only', '--env-file', file], { ...env, LEADLINE_ASTERISK_DIR: on }).status).toBe(0);
    const conf = manager(on);
    expect(conf).toMatch(/^enabled = yes$/m);
    expect(conf).toMatch(/^bindaddr = 127\.0\.0\.1$/m);
    expect(conf).toMatch(/^port = 25038$/m);
    expect(conf).toContain('[leadline-notify]\nsecret = ami-from-the-file-123\ndeny = 0.0.0.0/0.0.0.0\npermit = 127.0.0.1/255.255.255.255');
  });
});

describe('scripts/asterisk.sh render: the ARI password', () => {
  const SCRIPT = path.join(__dirname, '..', '..', 'scripts', 'asterisk.sh');
  const render = (env: Record<string, string>) => {
    const base = scratch();
    const dirs = { LEADLINE_ASTERISK_DIR: path.join(base, 'asterisk'), LEADLINE_DATA_DIR: path.join(base, 'data') };
    const res = spawnSync('bash', [SCRIPT, 'render'], { cwd: '/', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...dirs, ...env }, encoding: 'utf8', timeout: 20_000 });
    return { status: res.status, out: res.stdout + res.stderr, ...dirs };
  };

  it('unset: generates 40 random letters and digits for the server (mode 600); ari.conf gets only its 1000-round hash', () => {
    const r = render({});
    expect(r.status).toBe(0);
    const file = path.join(r.LEADLINE_DATA_DIR, 'ari-password');
    const password = readFileSync(file, 'utf8').trim();
    expect(password).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const ari = readFileSync(path.join(r.LEADLINE_ASTERISK_DIR, 'etc', 'ari.conf'), 'utf8');
    expect(ari).toMatch(/^password = \$6\$rounds=1000\$/m);
    expect(ari).not.toContain(password);
    // Another render generates no new one: the server keeps the password it has.
    expect(render({ ARI_PASSWORD_FILE: file }).status).toBe(0);
    expect(readFileSync(file, 'utf8').trim()).toBe(password);
  });

  it('set: shorter than 12 characters is refused, and nothing is rendered', () => {
    const r = render({ ARI_PASSWORD: 'short-pw-11' });
    expect(r.status).toBe(1);
    expect(r.out).toContain('ARI_PASSWORD is too short (at least 12 characters');
    expect(existsSync(path.join(r.LEADLINE_ASTERISK_DIR, 'etc'))).toBe(false);
    expect(render({ ARI_PASSWORD: 'twelve-chars' }).status).toBe(0);
  });
});
