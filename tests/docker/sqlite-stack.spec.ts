// docker/compose.yaml for real: the images built from this checkout, started by docker-compose as an
// IT team would (env file with the secrets, host network), then used over loopback: health, the
// dashboard, a SIPp desk phone registering with the credentials the API made, a ring-all Action
// Post ringing it, press 1, the carrier SIPp getting the borrower call, the recording in its volume;
// down + up keeps everything; backup and restore inside the containers as docs/deployment.md says.
// And a SIP brute force from another loopback address banned by the containerised server, which
// follows Asterisk's security log in the asterisk volume.
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { eventually } from '../harness/server';
import { SippHandle, startSipp, stopAllSipp } from '../harness/sipp';
import { docker, DOCKER_TMP, image, PHONE_PORT, Stack, STACK_PORTS } from './harness';
import { checkSyncOnRotation, ringAllThroughDeskPhone, startCarrier } from './calls';

jest.setTimeout(20 * 60_000);

/** Failed REGISTERs that get an address banned in this stack (SIP_BAN_MAX_FAILURES in its env file). */
const MAX_FAILURES = 3;
/** The brute-forcer: a loopback address of its own, neither the trunk's (127.0.0.2) nor exempt. */
const ATTACKER = '127.0.0.3';

describe('docker/compose.yaml (SQLite): Asterisk 22 + server images', () => {
  // AMI on (docker/.env's AMI_PORT + AMI_PASSWORD): the desk phones' check-sync NOTIFY
  const stack = new Stack({ name: 'sqlite', files: ['compose.yaml'], env: { SIP_BAN_MAX_FAILURES: String(MAX_FAILURES), AMI_PORT: String(STACK_PORTS.ami), AMI_PASSWORD: `ami-${process.pid}-${Date.now().toString(36)}` } });
  let admin: string;
  let prospectId: string;
  let recording: string;
  let borrower: SippHandle;

  beforeAll(async () => {
    await Promise.all([image('server'), image('asterisk')]);
    await stack.destroy(); // a previous run's leftovers
    await stack.up();
    await stack.healthy();
    admin = await stack.login();
    borrower = await startCarrier('sqlite');
  });

  afterAll(async () => {
    await stopAllSipp();
    await stack.destroy();
  });

  it('answers /api/health 200 with Asterisk 22 linked, and serves the dashboard', async () => {
    const health = await stack.healthy();
    expect(health.ari).toMatchObject({ connected: true, asteriskVersion: expect.stringMatching(/^22\./) });
    const page = await fetch(`http://127.0.0.1:${STACK_PORTS.http}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
  });

  it('offers the desk app package its build made (hardware/README.md inside)', async () => {
    const url = `http://127.0.0.1:${STACK_PORTS.http}`;
    const info = await fetch(`${url}/api/desk-package`, { headers: { authorization: `Bearer ${admin}` } });
    expect(info.status).toBe(200);
    const view = (await info.json()) as { fileName: string; size: number; sha256: string };
    expect(view.fileName).toMatch(/^leadline-desk-\d+\.\d+\.\d+\.tgz$/);
    const file = Buffer.from(await (await fetch(`${url}/api/desk-package/download`, { headers: { authorization: `Bearer ${admin}` } })).arrayBuffer());
    expect(file.length).toBe(view.size);
    expect(createHash('sha256').update(file).digest('hex')).toBe(view.sha256);
    expect(gunzipSync(file).toString('latin1')).toContain('package/README.md');
  });

  it('runs Asterisk and the server as two different unprivileged users', async () => {
    const users = async (service: string) => (await stack.mustCompose(['exec', '-T', service, 'id', '-u'])).trim();
    expect(await users('server')).toBe('10001');
    expect(await users('asterisk')).toBe('10002');
    // Asterisk's container has no view of the server's data volume
    const ls = await stack.compose(['exec', '-T', 'asterisk', 'ls', '/var/lib/leadline']);
    expect(ls.out.split(/\s+/).filter(Boolean).sort()).toEqual(['asterisk']);
    // both images' health checks pass (docker ps: healthy)
    for (const service of ['asterisk', 'server']) {
      const id = await stack.container(service);
      await eventually(async () => (await docker('inspect', '--format', '{{.State.Health.Status}}', id)).trim() === 'healthy', 120_000, 2_000);
    }
  });

  it("bans a SIP brute force: the server reads Asterisk's security log from the asterisk volume (read-only) and Asterisk refuses the address with 403", async () => {
    const securityLog = '/var/lib/leadline/asterisk/log/security';
    const n = Date.now().toString(36);
    const res = await stack.api().request('POST', '/api/users', {
      token: admin,
      body: { name: `Brute ${n}`, email: `brute${n}@docker.test`, password: 'agent-password-123', role: 'agent', workPhoneType: 'sip_desk', callerId: '+13105550112', stateLicences: ['TX'] },
    });
    expect(res.status).toBe(201);
    const { username, password } = res.body.sipAccount as { username: string; password: string };
    let runs = 0;
    const register = async (secret: string) => {
      const sipp = await startSipp({
        scenario: 'phone-register-refused',
        ip: ATTACKER,
        port: PHONE_PORT(1),
        remote: `127.0.0.1:${STACK_PORTS.sip}`,
        traceDir: path.join(DOCKER_TMP, 'sipp'),
        name: `brute-force-${n}-${++runs}`,
        extraArgs: ['-m', '1', '-timeout', '15s', '-s', username, '-au', username, '-ap', secret],
      });
      await sipp.cleanExit();
      return [...new Set((await sipp.parsedMessages()).filter((m) => m.direction === 'received' && m.status !== undefined && m.status >= 200).map((m) => m.status))];
    };

    // a desk phone's name with wrong passwords
    for (let i = 0; i < MAX_FAILURES; i++) expect(await register(`guess-${i}`)).toEqual([401]);
    const ban = await eventually(async () => {
      const list = (await stack.api().request('GET', '/api/sip-bans', { token: admin })).body as { address: string; failures: number; accounts: string[] }[];
      return list.find((b) => b.address === ATTACKER);
    }, 15_000, 500).catch(async (err: unknown) => {
      throw new Error(`${String(err)}\n--- server log ---\n${await stack.logs()}`);
    });
    expect(ban).toMatchObject({ failures: MAX_FAILURES, accounts: [username] });
    // banned: even the right password meets a 403, before any challenge
    expect(await register(password)).toEqual([403]);
    // the server never failed to read the log (a permission error would say so)
    const log = (await stack.compose(['logs', '--no-color', 'server'])).out;
    expect(log).toContain(`SIP bans: reading ${securityLog}`);
    expect(log).not.toContain(`cannot read ${securityLog}`);
    // the server's user reads it through Asterisk's group; the volume is mounted read-only there
    const access = await stack.compose(['exec', '-T', 'server', 'sh', '-c', `test -r ${securityLog} && ! test -w ${securityLog} && stat -c '%u %g' ${securityLog}`]);
    expect([access.status, access.out.trim()]).toEqual([0, '10002 10002']);
    const mounts = JSON.parse(await docker('inspect', '--format', '{{json .Mounts}}', await stack.container('server'))) as { Name?: string; Destination: string; RW: boolean }[];
    expect(mounts.find((m) => m.Destination === '/var/lib/leadline/asterisk')).toMatchObject({ Name: `${stack.project}_asterisk`, RW: false });
  });

  it('a desk phone registers with API-made credentials; a ring-all Action Post rings it; press 1 calls the borrower through the carrier; the recording lands in its volume', async () => {
    const call = await ringAllThroughDeskPhone(stack.api(), admin, { phonePort: PHONE_PORT(0), borrower });
    prospectId = call.prospectId;
    recording = call.recording;
    const files = (await stack.mustCompose(['exec', '-T', 'server', 'ls', '-ln', '/var/lib/leadline/recordings'])).split('\n');
    // written by Asterisk's user, readable by the server's group
    expect(files.find((l) => l.includes(`${recording}.wav`))).toMatch(/^-rw-r.{5} +\d+ 10002 +10002 /);
    // the server streams it over ARI
    const res = await fetch(`http://127.0.0.1:${STACK_PORTS.http}/api/recordings/${call.borrowerLegId}`, { headers: { authorization: `Bearer ${admin}` } });
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).subarray(0, 4).toString()).toBe('RIFF');
  });

  it("rotating a provisioned desk phone's SIP password sends it the check-sync NOTIFY (AMI between the containers, on loopback)", async () => {
    await checkSyncOnRotation(stack.api(), admin, { phonePort: PHONE_PORT(1) });
  });

  it('down + up keeps the database, the accounts and the recordings', async () => {
    await stack.mustCompose(['down', '-t', '20']);
    await stack.up();
    await stack.healthy();
    admin = await stack.login();
    const prospect = await stack.api().request('GET', `/api/prospects/${prospectId}`, { token: admin });
    expect(prospect.body).toMatchObject({ id: prospectId, status: 'assigned' });
    expect(await stack.mustCompose(['exec', '-T', 'server', 'ls', '/var/lib/leadline/recordings'])).toContain(`${recording}.wav`);
  });

  it('backup and restore inside the containers, as documented', async () => {
    await stack.mustCompose(['exec', '-T', 'server', 'scripts/backup.sh']);
    const [archive] = readdirSync(stack.backups).filter((f) => /^leadline-backup-.*\.tar\.gz$/.test(f));
    expect(archive).toBeDefined();
    // a campaign made after the backup is gone after the restore; what was there before stays
    const later = await stack.api().request('POST', '/api/campaigns', { token: admin, body: { name: `after backup ${Date.now()}`, distributionType: 'none' } });
    expect(later.status).toBe(201);
    await stack.mustCompose(['stop', 'server']);
    // the recordings volume is emptied meanwhile: the restore puts them back
    await stack.mustCompose(['run', '--rm', '--no-deps', '--entrypoint', 'sh', 'server', '-c', 'rm -f /var/lib/leadline/recordings/*.wav']);
    const restored = await stack.mustCompose(['run', '--rm', '--no-deps', 'server', 'scripts/restore.sh', `/var/backups/leadline/${archive}`]);
    expect(restored).toMatch(/restored .* and [1-9]\d* recordings/);
    await stack.mustCompose(['start', 'server']);
    await stack.healthy();
    const token = await stack.login();
    expect((await stack.api().request('GET', `/api/campaigns/${later.body.id}`, { token })).status).toBe(404);
    expect((await stack.api().request('GET', `/api/prospects/${prospectId}`, { token })).body).toMatchObject({ status: 'assigned' });
    expect(await stack.mustCompose(['exec', '-T', 'server', 'ls', '/var/lib/leadline/recordings'])).toContain(`${recording}.wav`);
    // Asterisk can still write there after a restore made by the server's user
    await eventually(async () => (await stack.compose(['exec', '-T', 'asterisk', 'test', '-w', '/var/lib/leadline/asterisk/spool/recording'])).status === 0, 5_000);
  });
});
