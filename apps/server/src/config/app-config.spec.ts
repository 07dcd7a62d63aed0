import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIG_VARIABLES, ConfigError, parseConfig } from './app-config';
import { markdownTableDefaults, referenceProblems } from './config-reference';

const base = () => ({ ARI_PASSWORD: 'a-long-ari-password', LEADLINE_DATA_DIR: mkdtempSync(join(tmpdir(), 'cfg-')) });

describe('parseConfig', () => {
  it('applies the documented defaults', () => {
    const env = base();
    const c = parseConfig(env);
    expect(c).toMatchObject({ env: 'development', host: '127.0.0.1', port: 3000, ari: { url: 'http://127.0.0.1:8088', username: 'leadline', app: 'leadline' } });
    expect(c.database).toEqual({ kind: 'sqlite', path: join(env.LEADLINE_DATA_DIR, 'leadline.db') });
  });

  it.each([
    ['sqlite:/var/lib/leadline/x.db', { kind: 'sqlite', path: '/var/lib/leadline/x.db' }],
    ['postgres://leadline:secret@db.local:5432/leadline', { kind: 'postgresql', url: 'postgres://leadline:secret@db.local:5432/leadline' }],
    ['postgresql://leadline@127.0.0.1/leadline', { kind: 'postgresql', url: 'postgresql://leadline@127.0.0.1/leadline' }],
  ])('reads DATABASE_URL %s', (url, database) => {
    expect(parseConfig({ ...base(), DATABASE_URL: url }).database).toEqual(database);
  });

  it('runs in one process without REDIS_URL and keeps the Redis URL as given', () => {
    expect(parseConfig(base()).redis).toEqual({ url: null });
    expect(parseConfig({ ...base(), REDIS_URL: 'redis://:pw@10.0.0.5:6380/2', JWT_SECRET: 'x'.repeat(32) }).redis).toEqual({ url: 'redis://:pw@10.0.0.5:6380/2' });
  });

  it('generates a JWT secret once outside production and reuses it', () => {
    const env = base();
    const first = parseConfig(env).auth.jwtSecret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(join(env.LEADLINE_DATA_DIR, 'jwt-secret'), 'utf8')).toBe(first);
    expect(parseConfig(env).auth.jwtSecret).toBe(first);
  });

  it.each([
    ['no ARI password', { ARI_PASSWORD: undefined }, 'ARI_PASSWORD'],
    ['a short ARI password', { ARI_PASSWORD: 'short' }, 'ARI_PASSWORD'],
    ['a bad port', { PORT: '70000' }, 'PORT'],
    ['a bad app name', { ARI_APP: 'has space' }, 'ARI_APP'],
    ['production without JWT secret', { NODE_ENV: 'production' }, 'JWT_SECRET'],
    ['a postgres URL without a database', { DATABASE_URL: 'postgres://x' }, 'DATABASE_URL'],
    ['a database URL of another kind', { DATABASE_URL: 'mysql://db/leadline' }, 'DATABASE_URL'],
    ['RTP range upside down', { RTP_START: '20000', RTP_END: '10000' }, 'RTP_END'],
    ['a Redis URL of another scheme', { REDIS_URL: 'http://127.0.0.1:6379', JWT_SECRET: 'x'.repeat(32) }, 'REDIS_URL'],
    ['several instances without a shared JWT secret', { REDIS_URL: 'redis://127.0.0.1:6379' }, 'JWT_SECRET'],
  ])('refuses %s with a message naming the variable', (_name, patch, variable) => {
    expect(() => parseConfig({ ...base(), ...patch })).toThrow(ConfigError);
    expect(() => parseConfig({ ...base(), ...patch })).toThrow(variable);
  });

  it('documents every variable in docs/configuration.md, with the code\'s default', () => {
    const doc = readFileSync(join(__dirname, '../../../../docs/configuration.md'), 'utf8');
    for (const name of Object.keys(CONFIG_VARIABLES)) expect(doc).toContain(`\`${name}\``);
    expect(referenceProblems(markdownTableDefaults(doc), { defaultRequired: true })).toEqual([]);
  });
});
