// The documented upgrade from the previous release (Asterisk 16 image, one shared user) to this one
// (Asterisk 22 image as its own user), on the same volumes, then the documented rollback: the
// previous release's images built in the test (harness.ts, previousReleaseImages), given data and a
// recorded call; the new images then find that data (migrations applied), the old recording, and
// take calls; the rollback brings the previous release back on the backup taken before the upgrade,
// and keeps what the new release received meanwhile.
import { readdirSync } from 'node:fs';
import { SippHandle, stopAllSipp } from '../harness/sipp';
import { ringAllThroughDeskPhone, startCarrier } from './calls';
import { image, PHONE_PORT, PREFIX, PREVIOUS_PREFIX, PREVIOUS_VERSION, previousReleaseImages, Stack, STACK_PORTS } from './harness';

jest.setTimeout(30 * 60_000);

// The two migrations this release adds over the previous one.
const NEW_MIGRATIONS = ['Migration20261122020000LeadOffer', 'Migration20261122030000CallOwner'];

describe('upgrade from the previous release (Asterisk 16) to this one (Asterisk 22), and rollback', () => {
  const stack = new Stack({ name: 'upgrade', files: ['compose.yaml'], env: { LEADLINE_IMAGE_PREFIX: PREVIOUS_PREFIX, LEADLINE_VERSION: PREVIOUS_VERSION } });
  const api = stack.api();
  let borrower: SippHandle;
  let admin: string;
  let before: { prospectId: string; recording: string; borrowerLegId: string };
  let campaignId: string;
  let archive: string;

  const recordingStatus = async (token: string, legId: string) =>
    (await fetch(`http://127.0.0.1:${STACK_PORTS.http}/api/recordings/${legId}`, { headers: { authorization: `Bearer ${token}` } })).status;

  beforeAll(async () => {
    await previousReleaseImages();
    await Promise.all([image('server'), image('asterisk')]);
    await stack.destroy();
    borrower = await startCarrier('upgrade');
  });

  afterAll(async () => {
    await stopAllSipp();
    await stack.destroy();
  });

  it('the previous release runs: Asterisk 16, a recorded call, data', async () => {
    await stack.up();
    const health = await stack.healthy();
    expect(health.status ?? 'ok').toBeTruthy();
    admin = await stack.login();
    const version = (await stack.mustCompose(['exec', '-T', 'asterisk', 'asterisk', '-V'])).trim();
    expect(version).toMatch(/^Asterisk 16\./);
    expect((await stack.mustCompose(['exec', '-T', 'asterisk', 'id', '-u'])).trim()).toBe('10001');
    const call = await ringAllThroughDeskPhone(api, admin, { phonePort: PHONE_PORT(0), borrower });
    await call.phone.stop();
    before = call;
    const listing = await stack.mustCompose(['exec', '-T', 'server', 'ls', '-ln', '/var/lib/leadline/recordings']);
    if (!listing.includes(`${call.recording}.wav`)) {
      const found = await stack.compose(['exec', '-T', 'asterisk', 'sh', '-c', `find / -xdev -name '${call.recording}*' 2>/dev/null; ls -lan /var/lib/leadline/asterisk/spool /var/lib/leadline/asterisk/spool/recording`]);
      throw new Error(`no ${call.recording}.wav in the recordings volume:\n${listing}\n${found.out}\n${await stack.logs('asterisk')}`);
    }
    expect(listing).toMatch(new RegExp(` 10001 +10001 .*${call.recording}\\.wav`));
    const c = await api.request('POST', '/api/campaigns', { token: admin, body: { name: `before upgrade ${Date.now()}`, distributionType: 'none' } });
    expect(c.status).toBe(201);
    campaignId = c.body.id;
  });

  it('upgrades as documented: backup, Asterisk volumes handed to Asterisk 22, new images up; migrations applied, data and the old recording intact, calls work', async () => {
    // 1. stop the server, 2. back up (with the release being replaced)
    await stack.mustCompose(['stop', 'server']);
    await stack.mustCompose(['run', '--rm', '--no-deps', 'server', 'scripts/backup.sh']);
    [archive] = readdirSync(stack.backups).filter((f) => /^leadline-backup-.*\.tar\.gz$/.test(f));
    expect(archive).toBeDefined();
    // 3. the new release's images; Asterisk's volumes go to its new user (once, from the 16 images)
    await stack.mustCompose(['stop', 'asterisk']);
    stack.setEnv({ LEADLINE_IMAGE_PREFIX: PREFIX, LEADLINE_VERSION: 'new' });
    await stack.mustCompose(['run', '--rm', '--no-deps', '--user', '0', '--entrypoint', '/opt/leadline/scripts/asterisk-volumes.sh', 'asterisk']);
    // 4. start
    await stack.up();
    const health = await stack.healthy();
    expect(health.ari).toMatchObject({ connected: true, asteriskVersion: expect.stringMatching(/^22\./) });
    expect((await stack.mustCompose(['exec', '-T', 'asterisk', 'id', '-u'])).trim()).toBe('10002');
    const log = await stack.logs('server');
    expect(log).toContain(`applied migrations: ${NEW_MIGRATIONS.join(', ')}`);

    admin = await stack.login();
    expect((await api.request('GET', `/api/prospects/${before.prospectId}`, { token: admin })).body).toMatchObject({ status: 'assigned' });
    expect((await api.request('GET', `/api/campaigns/${campaignId}`, { token: admin })).status).toBe(200);
    // the recording Asterisk 16 wrote is streamed by the new server through Asterisk 22
    const status = await recordingStatus(admin, before.borrowerLegId);
    if (status !== 200) {
      const ls = await stack.compose(['exec', '-T', 'asterisk', 'ls', '-lan', '/var/lib/leadline/asterisk/spool/recording']);
      throw new Error(`recording ${before.recording}: HTTP ${status}\n${ls.out}\n${await stack.logs('asterisk')}\n${(await stack.logs('server')).split('\n').filter((l) => /recording/i.test(l)).join('\n')}`);
    }
    // and the new release takes calls (a new desk phone: the old one's registration was in Asterisk 16's astdb)
    const after = await ringAllThroughDeskPhone(api, admin, { phonePort: PHONE_PORT(1), borrower });
    await after.phone.stop();
    expect(await stack.mustCompose(['exec', '-T', 'server', 'ls', '/var/lib/leadline/recordings'])).toContain(`${after.recording}.wav`);
  });

  it('rolls back as documented: previous images on the pre-upgrade backup; what came in meanwhile is kept aside', async () => {
    const meanwhile = await api.request('POST', '/api/campaigns', { token: admin, body: { name: `after upgrade ${Date.now()}`, distributionType: 'none' } });
    expect(meanwhile.status).toBe(201);
    await stack.mustCompose(['stop', 'server', 'asterisk']);
    stack.setEnv({ LEADLINE_IMAGE_PREFIX: PREVIOUS_PREFIX, LEADLINE_VERSION: PREVIOUS_VERSION });
    // Asterisk's volumes back to the shared user of the 16 images, then the previous release's restore
    await stack.mustCompose(['run', '--rm', '--no-deps', '--user', '0', '--entrypoint', 'chown', 'asterisk', '-R', '10001:10001', '/var/lib/leadline/asterisk']);
    const restored = await stack.mustCompose(['run', '--rm', '--no-deps', 'server', 'scripts/restore.sh', `/var/backups/leadline/${archive}`]);
    expect(restored).toMatch(/kept what was replaced in \/var\/lib\/leadline\/pre-restore-/);
    await stack.up();
    await stack.healthy();
    const token = await stack.login();
    expect((await stack.mustCompose(['exec', '-T', 'asterisk', 'asterisk', '-V'])).trim()).toMatch(/^Asterisk 16\./);
    expect((await api.request('GET', `/api/campaigns/${campaignId}`, { token })).status).toBe(200);
    expect((await api.request('GET', `/api/prospects/${before.prospectId}`, { token })).body).toMatchObject({ status: 'assigned' });
    expect((await api.request('GET', `/api/campaigns/${meanwhile.body.id}`, { token })).status).toBe(404);
    // the newer database is kept aside, not lost
    const aside = await stack.mustCompose(['exec', '-T', 'server', 'sh', '-c', 'ls -d /var/lib/leadline/pre-restore-*/leadline.db']);
    expect(aside).toMatch(/pre-restore-.*\/leadline\.db/);
  });
});
