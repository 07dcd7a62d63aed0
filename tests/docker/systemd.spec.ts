// deploy/systemd/*.service for real: a Debian 12 container with systemd as PID 1 (test-only image,
// tests/docker/systemd.Dockerfile) gets Leadline installed by scripts/install-bare-metal.sh, the env
// file filled in as an admin would, and `systemctl enable --now leadline-asterisk leadline`:
// Asterisk 22 runs in its own root as its own user and sees none of the server's files, the server
// starts after it, health 200, a ring-all call with its recording, kill -9 of either is followed by
// a restart, a server restart leaves Asterisk alone, the logs are in the journal.
import * as path from 'node:path';
import { existsSync } from 'node:fs';
import { REPO_DIR } from '../harness/asterisk';
import { apiClient, eventually } from '../harness/server';
import { SippHandle, stopAllSipp } from '../harness/sipp';
import { checkSyncOnRotation, ringAllThroughDeskPhone, startCarrier } from './calls';
import { DOCKER, image, must, PHONE_PORT, PREFIX, run, STACK_PORTS, STAND_INS, TRUNK_HOST } from './harness';

jest.setTimeout(20 * 60_000);

const ASTERISK_ROOT = '/opt/leadline/asterisk-root';
const ADMIN = { email: 'admin@systemd.test', password: `systemd-admin-${process.pid}-password` };

describe('systemd units under a real systemd (PID 1 in a container)', () => {
  const name = `${PREFIX}-systemd`;
  const tag = `${PREFIX}/systemd:new`;
  const api = apiClient(`http://127.0.0.1:${STACK_PORTS.http}`);
  let borrower: SippHandle;
  let admin: string;

  const sh = (script: string) => must(DOCKER, ['exec', name, 'bash', '-c', script]);
  const mainPid = async (unit: string) => Number((await sh(`systemctl show -p MainPID --value ${unit}`)).trim());
  const healthy = () =>
    eventually(async () => {
      const res = await api.request('GET', '/api/health').catch(() => undefined);
      return res?.status === 200 ? res.body : undefined;
    }, 120_000, 500).catch(async (err: unknown) => {
      throw new Error(`${String(err)}\n${(await run(DOCKER, ['exec', name, 'journalctl', '--no-pager', '-n', '80', '-u', 'leadline', '-u', 'leadline-asterisk'])).out}`);
    });

  beforeAll(async () => {
    if (!existsSync(path.join(ASTERISK_ROOT, 'etc/leadline-asterisk-root'))) throw new Error(`no Asterisk root in ${ASTERISK_ROOT}: run scripts/install-system-deps.sh`);
    const server = await image('server');
    await must(DOCKER, ['build', '--network', 'host', '-q', '--build-arg', `SERVER_IMAGE=${server}`, '--build-arg', `NODE_IMAGE=${STAND_INS.NODE_IMAGE}`, '-f', path.join(REPO_DIR, 'tests/docker/systemd.Dockerfile'), '-t', tag, REPO_DIR], {
      env: { DOCKER_BUILDKIT: '1' },
    });
    await run(DOCKER, ['rm', '-f', '-v', name]);
    // systemd needs its own cgroup namespace and /run, /run/lock as tmpfs; the units' sandboxing
    // (mount namespaces, RootDirectory=) needs a machine root's capabilities and syscalls. (Not
    // --privileged: this test machine's root lacks CAP_SYS_RESOURCE, which that asks for.)
    await must(DOCKER, [
      'run', '-d', '--name', name, '--cap-add', 'ALL', '--cap-drop', 'SYS_RESOURCE', '--security-opt', 'seccomp=unconfined', '--security-opt', 'apparmor=unconfined',
      '--cgroupns', 'private', '--network', 'host', '--tmpfs', '/run', '--tmpfs', '/run/lock', '-v', `${ASTERISK_ROOT}:${ASTERISK_ROOT}`, tag,
    ]);
    await eventually(async () => /running|degraded/.test((await run(DOCKER, ['exec', name, 'systemctl', 'is-system-running'])).out), 60_000, 500);
    borrower = await startCarrier('systemd');
  });

  afterAll(async () => {
    await stopAllSipp();
    await run(DOCKER, ['rm', '-f', '-v', name]);
  });

  it('installs with scripts/install-bare-metal.sh and starts with systemctl enable --now', async () => {
    const out = await sh('/opt/leadline/scripts/install-bare-metal.sh --app-dir /opt/leadline');
    expect(out).toContain('installed /etc/systemd/system/leadline-asterisk.service');
    // what the admin fills in (docs/deployment.md); ports of this test slot, loopback only
    const settings: Record<string, string> = {
      SIP_PUBLIC_HOST: '127.0.0.1',
      SIP_BIND: '127.0.0.1',
      TRUNK_HOST,
      TRUNK_PORT: String(STACK_PORTS.trunk),
      SIP_PORT: String(STACK_PORTS.sip),
      ARI_PORT: String(STACK_PORTS.ari),
      ARI_URL: `http://127.0.0.1:${STACK_PORTS.ari}`,
      PORT: String(STACK_PORTS.http),
      RTP_START: String(STACK_PORTS.rtpStart),
      RTP_END: String(STACK_PORTS.rtpEnd),
      LEADLINE_ADMIN_EMAIL: ADMIN.email,
      LEADLINE_ADMIN_PASSWORD: ADMIN.password,
      // AMI for the desk phones' check-sync NOTIFY: both units take it from this file
      AMI_PORT: String(STACK_PORTS.ami),
      AMI_PASSWORD: `ami-${process.pid}-${Date.now().toString(36)}`,
    };
    const edits = Object.entries(settings).map(([k, v]) => `-e 's|^#\\?${k}=.*$|${k}=${v}|'`).join(' ');
    await sh(`sed -i ${edits} /etc/leadline/leadline.env`);
    const env = await sh('cat /etc/leadline/leadline.env');
    for (const [k, v] of Object.entries(settings)) expect(env).toContain(`\n${k}=${v}\n`);
    await sh('systemctl enable --now leadline-asterisk leadline');
    const health = await healthy();
    expect(health.ari).toMatchObject({ connected: true, asteriskVersion: expect.stringMatching(/^22\./) });
    admin = await api.login(ADMIN.email, ADMIN.password);
  });

  it('starts Asterisk first, then the server', async () => {
    const at = async (unit: string, prop: string) => Number((await sh(`systemctl show -p ${prop} --value ${unit}`)).trim());
    expect(await at('leadline-asterisk', 'ActiveEnterTimestampMonotonic')).toBeGreaterThan(0);
    expect(await at('leadline-asterisk', 'ActiveEnterTimestampMonotonic')).toBeLessThanOrEqual(await at('leadline', 'ExecMainStartTimestampMonotonic'));
  });

  it('Asterisk runs in its own root as leadline-asterisk, without the secrets, and cannot see the server data', async () => {
    const pid = await mainPid('leadline-asterisk');
    expect(pid).toBeGreaterThan(0);
    expect((await sh(`stat -c %U /proc/${pid}`)).trim()).toBe('leadline-asterisk');
    expect((await sh(`stat -c %U /proc/${await mainPid('leadline')}`)).trim()).toBe('leadline');
    expect((await sh(`readlink /proc/${pid}/exe`)).trim()).toBe('/usr/sbin/asterisk');
    // its filesystem: the root, with only Asterisk's three folders of /var/lib/leadline and /var/log/leadline bound in
    expect((await sh(`ls /proc/${pid}/root/var/lib/leadline`)).split(/\s+/).filter(Boolean).sort()).toEqual(['asterisk', 'recordings']);
    expect((await run(DOCKER, ['exec', name, 'test', '-e', `/proc/${pid}/root/etc/leadline`])).status).not.toBe(0);
    expect((await sh(`test -e /proc/${pid}/root/var/lib/leadline/leadline.db && echo visible || echo hidden`)).trim()).toBe('hidden');
    const environ = await sh(`tr '\\0' '\\n' < /proc/${pid}/environ`);
    expect(environ).not.toMatch(/^(ARI_PASSWORD|JWT_SECRET|LEADLINE_ADMIN_PASSWORD)=/m);
    // as its user, the server's files are out of reach even from the host's view
    const denied = await run(DOCKER, ['exec', '-u', 'leadline-asterisk', name, 'cat', '/etc/leadline/leadline.env']);
    expect(denied.status).not.toBe(0);
    const db = await run(DOCKER, ['exec', '-u', 'leadline-asterisk', name, 'ls', '/var/lib/leadline/']);
    expect(db.status).not.toBe(0);
  });

  it('the hardened units take a ring-all call from a registered desk phone, the recording lands in /var/lib/leadline/recordings', async () => {
    const call = await ringAllThroughDeskPhone(api, admin, { phonePort: PHONE_PORT(0), borrower });
    await call.phone.stop();
    const ls = await sh(`stat -c '%U %G %a' /var/lib/leadline/recordings/${call.recording}.wav`);
    expect(ls.trim().split(' ').slice(0, 2)).toEqual(['leadline-asterisk', 'leadline-asterisk']);
    // the server's user reads it (backups) through Asterisk's group
    await sh(`runuser -u leadline -- head -c 4 /var/lib/leadline/recordings/${call.recording}.wav | grep -q RIFF`);
  });

  it("rotating a provisioned desk phone's SIP password sends it the check-sync NOTIFY (AMI from the env file)", async () => {
    await checkSyncOnRotation(api, admin, { phonePort: PHONE_PORT(1) });
  });

  it('restarts the server after kill -9, and Asterisk too; a server restart leaves Asterisk running', async () => {
    for (const unit of ['leadline', 'leadline-asterisk']) {
      const killed = await mainPid(unit);
      await sh(`kill -9 ${killed}`);
      await eventually(async () => {
        const pid = await mainPid(unit);
        return pid > 0 && pid !== killed;
      }, 30_000, 500);
      await healthy();
    }

    const before = await mainPid('leadline-asterisk');
    await sh('systemctl restart leadline');
    await healthy();
    expect(await mainPid('leadline-asterisk')).toBe(before);
  });

  it('logs to the journal', async () => {
    const server = await sh('journalctl --no-pager -o cat -u leadline');
    expect(server).toMatch(/"msg":"applied migrations|"msg":".*listening/);
    // the SIP bans follow Asterisk's security log (log/ links to /var/log/leadline/asterisk), which
    // the server's user reads through Asterisk's group
    const securityLog = '/var/lib/leadline/asterisk/log/security';
    expect(server).toContain(`SIP bans: reading ${securityLog}`);
    expect(server).not.toContain(`cannot read ${securityLog}`);
    await sh(`runuser -u leadline -- test -r ${securityLog}`);
    const asterisk = await sh('journalctl --no-pager -o cat -u leadline-asterisk');
    expect(asterisk).toMatch(/Asterisk Ready|PBX UUID/);
    // the rendered prompts and hold music are readable by Asterisk's user under the units' umask
    expect(asterisk).not.toContain('Permission denied');
  });

  it("reaches Asterisk's CLI inside its root and namespace, as docs/operations.md's logrotate does", async () => {
    const cli = (command: string) =>
      sh(`nsenter --target "$(systemctl show -p MainPID --value leadline-asterisk)" --mount --root -- /usr/sbin/asterisk -C /var/lib/leadline/asterisk/etc/asterisk.conf -rx '${command}'`);
    expect(await cli('core show version')).toMatch(/^Asterisk 22\./);
    await cli('logger reload');
  });

  it('stopping Asterisk on purpose stops the server too', async () => {
    await sh('systemctl stop leadline-asterisk');
    expect((await run(DOCKER, ['exec', name, 'systemctl', 'is-active', 'leadline', 'leadline-asterisk'])).out.split(/\s+/).filter(Boolean)).toEqual(['inactive', 'inactive']);
  });
});
