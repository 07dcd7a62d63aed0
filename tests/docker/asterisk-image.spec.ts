// The Asterisk image on its own (docker run, host network, loopback ports): its entrypoint refuses a
// missing ARI_PASSWORD, renders asterisk-config/ and becomes Asterisk 22 as PID 1 of the container,
// as leadline-asterisk, without the secrets in its environment; ari.conf holds only the password's
// hash; the prompts are in place; docker stop stops it.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { REPO_DIR } from '../harness/asterisk';
import { eventually } from '../harness/server';
import { DOCKER, docker, image, PREFIX, run, STACK_PORTS } from './harness';

jest.setTimeout(15 * 60_000);

describe('the Asterisk image', () => {
  const name = `${PREFIX}-asterisk-alone`;
  const ARI_PASSWORD = `image-ari-secret-${process.pid}`;
  const JWT_SECRET = `image-jwt-secret-${process.pid}-0123456789abcdef`;
  let tag: string;
  const ari = (password: string) =>
    fetch(`http://127.0.0.1:${STACK_PORTS.ari}/ari/asterisk/info`, { headers: { authorization: `Basic ${Buffer.from(`leadline:${password}`).toString('base64')}` }, signal: AbortSignal.timeout(2000) });
  const exec = (...cmd: string[]) => docker('exec', name, ...cmd);

  beforeAll(async () => {
    tag = await image('asterisk');
    await run(DOCKER, ['rm', '-f', '-v', name]);
  });

  afterAll(async () => {
    await run(DOCKER, ['rm', '-f', '-v', name]);
  });

  it('refuses to start without ARI_PASSWORD', async () => {
    const refused = await run(DOCKER, ['run', '--rm', '--network', 'host', '-e', 'TRUNK_HOST=127.0.0.1', tag]);
    expect(refused.status).toBe(1);
    expect(refused.out).toContain('ARI_PASSWORD (the password the server uses for ARI) is required');
  });

  it('runs Asterisk 22 in the foreground as PID 1, as leadline-asterisk; ARI answers the password only', async () => {
    const settings = {
      ARI_PASSWORD,
      JWT_SECRET, // what compose also hands the server; must not reach Asterisk
      TRUNK_HOST: '127.0.0.2',
      TRUNK_PORT: String(STACK_PORTS.trunk),
      ARI_PORT: String(STACK_PORTS.ari),
      SIP_BIND: '127.0.0.1',
      SIP_PORT: String(STACK_PORTS.sip),
      RTP_START: String(STACK_PORTS.rtpStart),
      RTP_END: String(STACK_PORTS.rtpEnd),
    };
    await docker('run', '-d', '--name', name, '--network', 'host', ...Object.entries(settings).flatMap(([k, v]) => ['-e', `${k}=${v}`]), tag);
    await eventually(async () => (await ari(ARI_PASSWORD).catch(() => undefined))?.status === 200, 60_000, 500).catch(async (err: unknown) => {
      throw new Error(`${String(err)}\n${(await run(DOCKER, ['logs', name])).out}`);
    });
    expect((await ari('wrong-password-1234')).status).toBe(401);
    const info = (await (await ari(ARI_PASSWORD)).json()) as { system: { version: string } };
    expect(info.system.version).toMatch(/^22\./);
    const cmdline = (await exec('cat', '/proc/1/cmdline')).split('\0');
    expect(cmdline.slice(0, 5)).toEqual(['asterisk', '-f', '-n', '-C', '/var/lib/leadline/asterisk/etc/asterisk.conf']);
    expect((await exec('stat', '-c', '%U', '/proc/1')).trim()).toBe('leadline-asterisk');
  });

  it('keeps the secrets out of its environment and ari.conf', async () => {
    const environ = (await exec('cat', '/proc/1/environ')).split('\0');
    expect(environ.filter((e) => /^(ARI_PASSWORD|JWT_SECRET)=/.test(e))).toEqual([]);
    const ariConf = await exec('cat', '/var/lib/leadline/asterisk/etc/ari.conf');
    expect(ariConf).toMatch(/^password = \$6\$/m);
    expect(ariConf).not.toContain(ARI_PASSWORD);
    expect((await exec('stat', '-c', '%a', '/var/lib/leadline/asterisk/etc/ari.conf')).trim()).toMatch(/^6[04]0$/);
  });

  it('installs the project prompts and the recordings folder', async () => {
    for (const prompt of ['press-1.wav', 'lead-taken.wav', 'connecting.wav']) {
      const inImage = await run(DOCKER, ['exec', name, 'sha256sum', `/var/lib/leadline/asterisk/data/sounds/en/leadline/${prompt}`]);
      const sha = (await import('node:crypto')).createHash('sha256').update(readFileSync(path.join(REPO_DIR, 'asterisk-config', 'sounds', prompt))).digest('hex');
      expect(inImage.out.split(' ')[0]).toBe(sha);
    }
    expect((await exec('stat', '-c', '%U %a', '/var/lib/leadline/asterisk/spool/recording')).trim()).toBe('leadline-asterisk 2770');
  });

  it('stops on docker stop (SIGTERM)', async () => {
    const started = Date.now();
    await docker('stop', '-t', '20', name);
    expect(Date.now() - started).toBeLessThan(19_000);
    await expect(ari(ARI_PASSWORD)).rejects.toThrow();
  });
});
