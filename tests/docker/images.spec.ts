// The images as shipped: non-root, and nothing secret inside. The build runs with a site's docker/.env
// full of secrets in the build context and the machine's CA bundle as a build secret; then the
// image history, configuration and whole filesystem of every image are searched for them.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { REPO_DIR } from '../harness/asterisk';
import { DOCKER, docker, image, ImageName, recordTiming, stackSecrets } from './harness';

jest.setTimeout(30 * 60_000);

const IMAGES: ImageName[] = ['server', 'asterisk', 'postgres', 'redis'];

/** The body lines of the CA certificates this machine added to its bundle (its TLS proxy's). */
function localCaLines(): string[] {
  const dir = '/usr/local/share/ca-certificates';
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.crt')) : [];
  const pems = files.length ? files.map((f) => readFileSync(path.join(dir, f), 'utf8')) : [readFileSync('/etc/ssl/certs/ca-certificates.crt', 'utf8').split('-----END CERTIFICATE-----').at(-2)!];
  // a 64-character line from the middle of each certificate: unique to it
  return pems.map((pem) => {
    const lines = pem.split('\n').filter((l) => /^[A-Za-z0-9+/]{64}$/.test(l));
    return lines[Math.floor(lines.length / 2)];
  });
}

/** Every needle found in the image's exported filesystem (streamed through, never on disk). */
async function foundInFilesystem(tag: string, needles: string[]): Promise<string[]> {
  const id = (await docker('create', tag)).trim();
  try {
    return await new Promise<string[]>((resolve, reject) => {
      const child = spawn(DOCKER, ['export', id], { stdio: ['ignore', 'pipe', 'inherit'] });
      const found = new Set<string>();
      const longest = Math.max(...needles.map((n) => n.length));
      let tail = '';
      child.stdout.on('data', (chunk: Buffer) => {
        const text = tail + chunk.toString('latin1');
        for (const n of needles) if (text.includes(n)) found.add(n);
        tail = text.slice(-longest);
      });
      child.on('error', reject);
      child.on('close', () => resolve([...found]));
    });
  } finally {
    await docker('rm', '-v', id);
  }
}

describe('the images: non-root, no secret inside', () => {
  const secrets = stackSecrets('images');
  const siteEnv = path.join(REPO_DIR, 'docker', '.env');
  let wroteSiteEnv = false;

  beforeAll(async () => {
    // what a site keeps next to the compose files (docs/deployment.md): it must never reach an image
    if (!existsSync(siteEnv)) {
      writeFileSync(siteEnv, Object.entries(secrets).map(([k, v]) => `${k}=${v}`).join('\n') + '\n', { mode: 0o600 });
      wroteSiteEnv = true;
    }
    try {
      for (const name of IMAGES) await image(name);
    } finally {
      if (wroteSiteEnv) rmSync(siteEnv);
    }
    for (const name of IMAGES) {
      const size = Number((await docker('image', 'inspect', '--format', '{{.Size}}', `leadline-test-s${process.env.LEADLINE_IT_SLOT ?? 0}/${name}:new`)).trim());
      recordTiming(`size ${name} (MB)`, size / 1e6);
    }
  });

  it('the filesystem search finds what is there (so the checks below can fail)', async () => {
    const tag = await image('redis');
    expect(await foundInFilesystem(tag, ['redis-server', 'not-in-any-image-0f3a9c'])).toEqual(['redis-server']);
  });

  it.each(IMAGES)('%s runs as a non-root user', async (name) => {
    const tag = await image(name);
    const user = (await docker('image', 'inspect', '--format', '{{.Config.User}}', tag)).trim();
    expect(user).not.toBe('');
    expect(['root', '0', '0:0']).not.toContain(user);
    const id = await docker('run', '--rm', '--entrypoint', 'id', tag, '-u');
    expect(Number(id.trim())).toBeGreaterThanOrEqual(10001);
  });

  it.each(IMAGES)('%s: no secret in its history, configuration or filesystem', async (name) => {
    const tag = await image(name);
    const needles = [...(wroteSiteEnv ? Object.values(secrets) : []), ...localCaLines()];
    expect(needles.length).toBeGreaterThan(0);
    const meta = (await docker('history', '--no-trunc', tag)) + (await docker('image', 'inspect', tag));
    expect(needles.filter((n) => meta.includes(n))).toEqual([]);
    expect(meta).not.toMatch(/npm_config_cafile=\/|NODE_EXTRA_CA_CERTS=\//);
    expect(await foundInFilesystem(tag, needles)).toEqual([]);
  });
});
