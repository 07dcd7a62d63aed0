// docker/compose.yaml (+ compose.scale.yaml) resolved by Debian's docker-compose 1.29 (`config`
// needs no Docker engine), read back as JSON, and checked: services, networking, env, volumes, and
// the refusal to resolve without the secrets. Also: every COPY source of the Dockerfiles exists.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CONFIG_NAMES } from '../../apps/server/src/config/config-reference';

const REPO = path.join(__dirname, '..', '..');
const DOCKER = path.join(REPO, 'docker');
const BASE = path.join(DOCKER, 'compose.yaml');
const SCALE = path.join(DOCKER, 'compose.scale.yaml');

const SECRETS = {
  ARI_PASSWORD: 'ari-secret-0123456789',
  JWT_SECRET: 'jwt-secret-0123456789-0123456789-0123456789',
  SIP_PUBLIC_HOST: 'pbx.example.lan',
  TRUNK_HOST: '203.0.113.5',
};
const SCALE_SECRETS = { POSTGRES_PASSWORD: 'pgsecret0123', REDIS_PASSWORD: 'redissecret0123' };

interface Resolved {
  status: number;
  stderr: string;
  config: any;
}

/** Runs `docker-compose --env-file <env> -f … config` with nothing else in its environment. */
function resolve(files: string[], env: Record<string, string> | string): Resolved {
  const envFile = path.join(mkdtempSync(path.join(tmpdir(), 'compose-')), 'leadline.env');
  writeFileSync(envFile, typeof env === 'string' ? env : Object.entries(env).map(([k, v]) => `${k}=${v}\n`).join(''));
  const run = spawnSync('docker-compose', ['--env-file', envFile, ...files.flatMap((f) => ['-f', f]), 'config'], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmpdir() },
    encoding: 'utf8',
  });
  if (run.error) throw run.error;
  if (run.status !== 0) return { status: run.status ?? -1, stderr: run.stderr, config: undefined };
  // docker-compose 1.29 prints YAML only; its own PyYAML turns it into JSON.
  const json = spawnSync('python3', ['-c', 'import sys, json, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'], { input: run.stdout, encoding: 'utf8' });
  if (json.status !== 0) throw new Error(`yaml → json failed: ${json.stderr}`);
  return { status: 0, stderr: run.stderr, config: JSON.parse(json.stdout) };
}

const ok = (files: string[], env: Record<string, string> | string) => {
  const r = resolve(files, env);
  if (r.status !== 0) throw new Error(`docker-compose config failed (${r.status}): ${r.stderr}`);
  return r.config;
};

describe('docker-compose config (docker-compose 1.29, offline)', () => {
  it('is the real docker-compose', () => {
    const v = spawnSync('docker-compose', ['version', '--short'], { encoding: 'utf8' });
    expect(v.status).toBe(0);
    expect(v.stdout.trim()).toMatch(/^1\.(29|[3-9]\d)\./);
  });

  describe('default: Asterisk + server on SQLite', () => {
    const config = () => ok([BASE], { ...SECRETS, LOG_LEVEL: 'debug', PUBLIC_BASE_URL: 'https://leadline.example.com' });

    it('has exactly the two services, built from the repository root', () => {
      const c = config();
      expect(Object.keys(c.services).sort()).toEqual(['asterisk', 'server']);
      for (const [name, file, args] of [
        ['asterisk', 'docker/asterisk.Dockerfile', { DEBIAN_IMAGE: 'debian:sid-slim' }],
        ['server', 'docker/server.Dockerfile', { NODE_IMAGE: 'node:20-bookworm-slim' }],
      ] as const) {
        expect(c.services[name].build).toEqual({ context: REPO, dockerfile: file, args });
        expect(existsSync(path.join(REPO, file))).toBe(true);
        expect(c.services[name].restart).toBe('unless-stopped');
      }
      expect(c.services.server.depends_on).toEqual({ asterisk: { condition: 'service_started' } });
    });

    it('restarting the server leaves Asterisk alone, and docker stop gives the server its graceful stop', () => {
      const c = config();
      // Nothing ties Asterisk to the server: `up -d server` / `restart server` touch the server only.
      expect(c.services.asterisk.depends_on).toBeUndefined();
      // docker's default 10 s would SIGKILL the rounds the server lets end (SHUTDOWN_GRACE_SECONDS, 45).
      expect(c.services.server.stop_grace_period).toBe('60s');
      expect(c.services.asterisk.stop_grace_period).toBeUndefined();
    });

    it('keeps ARI on the host loopback and publishes nothing through Docker', () => {
      const { asterisk, server } = config().services;
      expect(asterisk.network_mode).toBe('host');
      expect(server.network_mode).toBe('host');
      expect(asterisk.ports).toBeUndefined();
      expect(server.ports).toBeUndefined();
      expect(asterisk.environment).toMatchObject({ ARI_BIND: '127.0.0.1', ARI_PORT: '8088', SIP_BIND: '0.0.0.0', SIP_PORT: '5060', RTP_START: '10000', RTP_END: '10999' });
      expect(server.environment).toMatchObject({ ARI_URL: 'http://127.0.0.1:8088', HOST: '127.0.0.1', PORT: '3000' });
    });

    it('hands the secrets from the env file to the services that need them, and no further', () => {
      const { asterisk, server } = config().services;
      expect(asterisk.environment).toMatchObject({ ARI_PASSWORD: SECRETS.ARI_PASSWORD, TRUNK_HOST: SECRETS.TRUNK_HOST, TRUNK_PORT: '5060', ARI_USERNAME: 'leadline', ARI_APP: 'leadline' });
      expect(asterisk.environment.JWT_SECRET).toBeUndefined();
      expect(server.environment).toMatchObject({ ARI_PASSWORD: SECRETS.ARI_PASSWORD, JWT_SECRET: SECRETS.JWT_SECRET, SIP_PUBLIC_HOST: SECRETS.SIP_PUBLIC_HOST, NODE_ENV: 'production', LEADLINE_DATA_DIR: '/var/lib/leadline' });
    });

    it('passes every setting of AppConfig to the server: set ones with their value, the others not at all', () => {
      const env = config().services.server.environment as Record<string, string | null>;
      expect(CONFIG_NAMES.filter((name) => !(name in env))).toEqual([]);
      expect(env).toMatchObject({ LOG_LEVEL: 'debug', PUBLIC_BASE_URL: 'https://leadline.example.com' });
      // unset in the env file → null → not set in the container (the server's default applies)
      expect(env).toMatchObject({ LEADLINE_ADMIN_PASSWORD: null, INBOUND_MAX_AGENTS: null, DATABASE_URL: null, REDIS_URL: null });
    });

    it("keeps the database, Asterisk state and recordings in named volumes, recordings shared for backups, Asterisk's folder read-only for the SIP bans", () => {
      const c = config();
      expect(Object.keys(c.volumes).sort()).toEqual(['asterisk', 'data', 'recordings']);
      expect(c.services.server.volumes).toEqual([
        'data:/var/lib/leadline:rw',
        // SIP_SECURITY_LOG's default, <data dir>/asterisk/log/security, is Asterisk's own log
        'asterisk:/var/lib/leadline/asterisk:ro',
        'recordings:/var/lib/leadline/recordings:rw',
        `${path.join(DOCKER, 'backups')}:/var/backups/leadline:rw`,
      ]);
      expect(c.services.asterisk.volumes).toEqual(['asterisk:/var/lib/leadline/asterisk:rw', 'recordings:/var/lib/leadline/asterisk/spool/recording:rw']);
    });

    it('AMI (the desk phones\' NOTIFY): Asterisk and the server get AMI_PORT and AMI_PASSWORD when set, neither when not', () => {
      const { asterisk, server } = ok([BASE], { ...SECRETS, AMI_PORT: '5038', AMI_PASSWORD: 'ami-secret-0123456789' }).services;
      expect(asterisk.environment).toMatchObject({ AMI_PORT: '5038', AMI_PASSWORD: 'ami-secret-0123456789', AMI_USERNAME: 'leadline-notify' });
      expect(server.environment).toMatchObject({ AMI_PORT: '5038', AMI_PASSWORD: 'ami-secret-0123456789' });
      const off = config().services;
      expect(off.asterisk.environment).toMatchObject({ AMI_PORT: '', AMI_PASSWORD: '' });
      expect(off.server.environment).toMatchObject({ AMI_PORT: null, AMI_PASSWORD: null });
    });

    it('moves the ports together when ARI_PORT / SIP_PORT change', () => {
      const { asterisk, server } = ok([BASE], { ...SECRETS, ARI_PORT: '18088', SIP_PORT: '5070' }).services;
      expect(asterisk.environment).toMatchObject({ ARI_PORT: '18088', SIP_PORT: '5070' });
      expect(server.environment).toMatchObject({ ARI_URL: 'http://127.0.0.1:18088', SIP_PORT: '5070' });
    });
  });

  describe('refuses to resolve without the required settings', () => {
    it.each(Object.keys(SECRETS))('without %s', (name) => {
      const env: Record<string, string> = { ...SECRETS };
      delete env[name];
      const r = resolve([BASE], env);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain(`set ${name} in docker/.env`);
      // set but empty counts as missing too
      const empty = resolve([BASE], { ...SECRETS, [name]: '' });
      expect(empty.status).not.toBe(0);
      expect(empty.stderr).toContain(`set ${name} in docker/.env`);
    });

    it('with the env file template as shipped (secrets left empty), and resolves once they are filled in', () => {
      const template = readFileSync(path.join(REPO, 'deploy', 'leadline.env.example'), 'utf8');
      const refused = resolve([BASE], template);
      expect(refused.status).not.toBe(0);
      expect(refused.stderr).toMatch(/set (ARI_PASSWORD|JWT_SECRET|SIP_PUBLIC_HOST|TRUNK_HOST) in docker\/\.env/);
      const filled = template.replace(/^(ARI_PASSWORD|JWT_SECRET|SIP_PUBLIC_HOST|TRUNK_HOST)=$/gm, (_line, name: keyof typeof SECRETS) => `${name}=${SECRETS[name]}`);
      const { server, asterisk } = ok([BASE], filled).services;
      const { TRUNK_HOST, ...serverSettings } = SECRETS;
      expect(server.environment).toMatchObject({ ...serverSettings, NODE_ENV: 'production', LEADLINE_DATA_DIR: '/var/lib/leadline' });
      expect(asterisk.environment).toMatchObject({ TRUNK_HOST, TRUNK_PORT: '5060', SIP_BIND: '0.0.0.0', ARI_PASSWORD: SECRETS.ARI_PASSWORD });
    });
  });

  describe('scale-out: + compose.scale.yaml', () => {
    const config = () => ok([BASE, SCALE], { ...SECRETS, ...SCALE_SECRETS });

    it('adds PostgreSQL and Redis and points the server at them', () => {
      const c = config();
      expect(Object.keys(c.services).sort()).toEqual(['asterisk', 'postgres', 'redis', 'server', 'server-2']);
      expect(c.services.server.environment).toMatchObject({
        DATABASE_URL: `postgres://leadline:${SCALE_SECRETS.POSTGRES_PASSWORD}@127.0.0.1:5432/leadline`,
        REDIS_URL: `redis://:${SCALE_SECRETS.REDIS_PASSWORD}@127.0.0.1:6379`,
        // the rest of the server is unchanged
        ARI_URL: 'http://127.0.0.1:8088',
        JWT_SECRET: SECRETS.JWT_SECRET,
      });
      expect(c.services.server.depends_on).toEqual({
        asterisk: { condition: 'service_started' },
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
      });
      expect(Object.keys(c.volumes).sort()).toEqual(['asterisk', 'data', 'data-2', 'postgres', 'recordings', 'redis']);
    });

    it('runs a second server instance on its own port, Stasis app and data volume, started once the first is healthy', () => {
      const { server, 'server-2': second } = config().services;
      expect(second.image).toBe(server.image);
      expect(second.network_mode).toBe('host');
      expect(second.environment).toMatchObject({ PORT: '3001', ARI_APP: 'leadline-2', DATABASE_URL: server.environment.DATABASE_URL, REDIS_URL: server.environment.REDIS_URL, JWT_SECRET: SECRETS.JWT_SECRET });
      expect(second.volumes).toEqual(['data-2:/var/lib/leadline:rw', 'asterisk:/var/lib/leadline/asterisk:ro']);
      expect(second.depends_on.server).toEqual({ condition: 'service_healthy' });
      expect(second.stop_grace_period).toBe('60s');
    });

    it('passes every setting of AppConfig to the second instance too, set ones with their value', () => {
      const { server, 'server-2': second } = ok([BASE, SCALE], { ...SECRETS, ...SCALE_SECRETS, TRUST_PROXY: '1', WEBHOOK_RETRY_WINDOW_SECONDS: '3600' }).services;
      const env = second.environment as Record<string, string | null>;
      expect(CONFIG_NAMES.filter((name) => !(name in env))).toEqual([]);
      expect(env).toMatchObject({ TRUST_PROXY: '1', WEBHOOK_RETRY_WINDOW_SECONDS: '3600', CORS_ORIGINS: null });
      // the same value as the first instance for everything but its port and Stasis app
      const differ = CONFIG_NAMES.filter((name) => server.environment[name] !== env[name]);
      expect(differ.sort()).toEqual(['ARI_APP', 'PORT']);
    });

    it("gives both instances the SIP ban settings and Asterisk's security log", () => {
      const { server, 'server-2': second } = ok([BASE, SCALE], { ...SECRETS, ...SCALE_SECRETS, SIP_BAN_MAX_FAILURES: '4', SIP_BAN_EXEMPT: '10.0.0.0/24' }).services;
      for (const instance of [server, second]) {
        expect(instance.environment).toMatchObject({ SIP_BAN_MAX_FAILURES: '4', SIP_BAN_EXEMPT: '10.0.0.0/24', SIP_SECURITY_LOG: null });
        expect(instance.volumes).toContain('asterisk:/var/lib/leadline/asterisk:ro');
      }
    });

    it('builds PostgreSQL and Redis from Debian, on the host network, listening on loopback, with their passwords', () => {
      const { postgres, redis } = config().services;
      expect(postgres.build).toEqual({ context: REPO, dockerfile: 'docker/postgres.Dockerfile', args: { DEBIAN_IMAGE: 'debian:bookworm-slim' } });
      expect(postgres.image).toBe('leadline/postgres:local');
      expect(postgres.network_mode).toBe('host');
      expect(postgres.ports).toBeUndefined();
      expect(postgres.environment).toEqual({ POSTGRES_USER: 'leadline', POSTGRES_DB: 'leadline', POSTGRES_PASSWORD: SCALE_SECRETS.POSTGRES_PASSWORD, POSTGRES_LISTEN: '127.0.0.1', POSTGRES_PORT: '5432', PGPORT: '5432' });
      expect(postgres.volumes).toEqual(['postgres:/var/lib/postgresql/data:rw']);
      expect(redis.build).toEqual({ context: REPO, dockerfile: 'docker/redis.Dockerfile', args: { DEBIAN_IMAGE: 'debian:bookworm-slim' } });
      expect(redis.network_mode).toBe('host');
      expect(redis.ports).toBeUndefined();
      expect(redis.environment).toEqual({ REDIS_PASSWORD: SCALE_SECRETS.REDIS_PASSWORD, REDIS_LISTEN: '127.0.0.1', REDIS_PORT: '6379' });
      expect(redis.volumes).toEqual(['redis:/data:rw']);
      // the password never reaches a command line (the entrypoint writes a config file)
      expect(redis.command).toBeUndefined();
    });

    it.each(Object.keys(SCALE_SECRETS))('refuses to resolve without %s', (name) => {
      const env: Record<string, string> = { ...SECRETS, ...SCALE_SECRETS };
      delete env[name];
      const r = resolve([BASE, SCALE], env);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain(`set ${name} in docker/.env`);
    });

    it('does not ask SQLite installations for the PostgreSQL or Redis passwords', () => {
      expect(resolve([BASE], SECRETS).status).toBe(0);
    });
  });
});

describe('Dockerfiles', () => {
  const dockerignore = readFileSync(path.join(REPO, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

  it.each(['server.Dockerfile', 'asterisk.Dockerfile', 'postgres.Dockerfile', 'redis.Dockerfile'])('%s copies only files that exist in the build context', (file) => {
    const text = readFileSync(path.join(DOCKER, file), 'utf8');
    const copies = [...text.matchAll(/^COPY\s+(?!--from)(.+)$/gm)].map((m) => m[1].split(/\s+/).filter((t) => !t.startsWith('--')));
    expect(copies.length).toBeGreaterThan(0);
    for (const args of copies) {
      for (const source of args.slice(0, -1)) {
        expect([source, existsSync(path.join(REPO, source))]).toEqual([source, true]);
        expect([source, dockerignore.some((pattern) => source === pattern || source.startsWith(`${pattern}/`))]).toEqual([source, false]);
      }
    }
  });

  it('the server image runs as a non-root user with a health check on /api/health and the data volume', () => {
    const text = readFileSync(path.join(DOCKER, 'server.Dockerfile'), 'utf8');
    expect(text).toMatch(/^ARG NODE_IMAGE=node:20-bookworm-slim$/m);
    expect(text).toMatch(/^FROM \$\{NODE_IMAGE\} AS deps$/m);
    expect(text).toMatch(/^FROM deps AS build$/m);
    // the CA bundle arrives as a build secret for npm ci only, never as an ARG or a COPY
    expect(text).toMatch(/^RUN --mount=type=secret,id=npm_ca \\$/m);
    expect(text).toMatch(/npm ci --no-audit/);
    const instructions = text.split('\n').filter((l) => !l.startsWith('#')).join('\n');
    expect(instructions).not.toMatch(/ca-certificates\.crt|^ARG .*CA/m);
    expect(text).toMatch(/npm run build/);
    expect(text).toMatch(/^COPY --from=build \/src\/dist \.\/dist$/m);
    expect(text).toMatch(/^USER leadline$/m);
    expect(text).toMatch(/^VOLUME \["\/var\/lib\/leadline"\]$/m);
    expect(text).toMatch(/^HEALTHCHECK .*\n\s+CMD \["node", "\/opt\/leadline\/docker\/server-healthcheck\.cjs"\]$/m);
    expect(readFileSync(path.join(DOCKER, 'server-healthcheck.cjs'), 'utf8')).toContain('/api/health');
  });

  it('the Asterisk image installs the same Debian packages as the bare-metal root, and runs as its own user', () => {
    const text = readFileSync(path.join(DOCKER, 'asterisk.Dockerfile'), 'utf8');
    expect(text).toMatch(/^ARG DEBIAN_IMAGE=debian:sid-slim$/m);
    const packages = (t: string) => /install -y[^\n]*--no-install-recommends(?:\s*\\\n\s*)?\s*([a-z0-9 -]+)/.exec(t)?.[1].trim().split(/\s+/).sort();
    expect(packages(text)).toEqual(['asterisk', 'asterisk-core-sounds-en', 'asterisk-modules']);
    expect(packages(readFileSync(path.join(REPO, 'scripts', 'install-asterisk-root.sh'), 'utf8').replace('-qq ', ''))).toEqual(['asterisk', 'asterisk-core-sounds-en', 'asterisk-modules']);
    expect(text).toMatch(/^USER leadline-asterisk$/m);
    expect(text).toMatch(/useradd --uid 10002 /);
  });
});
