// The docker test stage's harness: a Docker engine (Debian's dockerd, started when none answers),
// the images built from this checkout (on TEST-ONLY stand-in base images when Docker Hub cannot be
// reached: tests/docker/base-images.sh), and compose stacks made from docker/compose*.yaml with a
// project, env file, volumes and ports of their own per LEADLINE_IT_SLOT. Everything talks over the
// host's loopback (every service uses the host network).
import { spawn } from 'node:child_process';
import { appendFileSync, chownSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { REPO_DIR } from '../harness/asterisk';
import { apiClient, ApiClient, eventually } from '../harness/server';

export const DOCKER = '/usr/bin/docker';
export const COMPOSE = '/usr/bin/docker-compose';
const SLOT = Number(process.env.LEADLINE_IT_SLOT ?? 0);
/** Every image and compose project of this slot starts with it. */
export const PREFIX = `leadline-test-s${SLOT}`;
/** This slot's scratch folder (env files, backups, traces). */
export const DOCKER_TMP = path.join(REPO_DIR, '.tmp', `docker-s${SLOT}`);
/**
 * Ports of this slot: 61000 + 560 × slot .. +499, above everything else the tests and the bench
 * use (integration 20000-28299, SIPp media 30000-49999, Asterisk RTP 50000-57999, bench
 * 35000-39999 and 46000-49999) and above Linux's ephemeral range (32768-60999).
 */
export const PORT_BASE = 61000 + SLOT * 560;

/** Test-only stand-ins (tests/docker/base-images.sh) handed to the Dockerfiles as build arguments. */
export const STAND_INS = {
  DEBIAN_IMAGE: 'leadline-test/debian:bookworm-slim',
  DEBIAN_SID_IMAGE: 'leadline-test/debian:sid-slim',
  NODE_IMAGE: 'leadline-test/node:20-bookworm-slim',
};

export interface RunResult {
  status: number;
  out: string;
}

/** Runs a command to its end without blocking the event loop; never rejects. */
export function run(cmd: string, args: string[], opts: { env?: Record<string, string>; cwd?: string; input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: opts.cwd ?? REPO_DIR, env: { ...process.env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    const keep = (d: Buffer) => {
      out += d.toString();
      if (out.length > 400_000) out = out.slice(-200_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 15 * 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ status: code ?? -1, out });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** Like run, but throws with the output when the command fails. */
export async function must(cmd: string, args: string[], opts: Parameters<typeof run>[2] = {}): Promise<string> {
  const res = await run(cmd, args, opts);
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${res.status}:\n${res.out.slice(-6000)}`);
  return res.out;
}

export const docker = (...args: string[]) => must(DOCKER, args);

/** Records how long a step took (docs/deployment.md quotes these figures). */
export function recordTiming(step: string, seconds: number): void {
  mkdirSync(DOCKER_TMP, { recursive: true });
  appendFileSync(path.join(DOCKER_TMP, 'timings.log'), `${new Date().toISOString()} ${step} ${seconds.toFixed(1)} s\n`);
}

async function timed<T>(step: string, f: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await f();
  recordTiming(step, (Date.now() - started) / 1000);
  return result;
}

let engine: Promise<void> | undefined;
/** A Docker engine that answers, and the stand-in base images (both cached across runs). */
export function dockerReady(): Promise<void> {
  engine ??= (async () => {
    await must('bash', [path.join(REPO_DIR, 'tests/docker/dockerd.sh')]);
    await timed('stand-in base images', () => must('bash', [path.join(REPO_DIR, 'tests/docker/base-images.sh')], { timeoutMs: 20 * 60_000 }));
  })();
  return engine;
}

export type ImageName = 'server' | 'asterisk' | 'postgres' | 'redis';
const DOCKERFILE: Record<ImageName, string> = { server: 'server.Dockerfile', asterisk: 'asterisk.Dockerfile', postgres: 'postgres.Dockerfile', redis: 'redis.Dockerfile' };

/** The build arguments and secret every build of an image gets here. */
function buildArgs(image: ImageName): string[] {
  switch (image) {
    case 'server':
      // The machine's CA bundle (its TLS proxy to the npm registry) as a build secret; Node's headers
      // from the base image (node-gyp cannot download them here).
      return ['--build-arg', `NODE_IMAGE=${STAND_INS.NODE_IMAGE}`, '--build-arg', 'NPM_NODEDIR=/usr/local', '--secret', 'id=npm_ca,src=/etc/ssl/certs/ca-certificates.crt'];
    case 'asterisk':
      return ['--build-arg', `DEBIAN_IMAGE=${STAND_INS.DEBIAN_SID_IMAGE}`];
    case 'postgres':
    case 'redis':
      return ['--build-arg', `DEBIAN_IMAGE=${STAND_INS.DEBIAN_IMAGE}`];
  }
}

/** Builds one image from `context` (this checkout by default) with docker/<image>.Dockerfile of this checkout. */
export async function buildImage(image: ImageName, tag: string, context = REPO_DIR): Promise<void> {
  await dockerReady();
  await timed(`build ${tag}`, () =>
    must(DOCKER, ['build', '--network', 'host', '--progress', 'plain', ...buildArgs(image), '-f', path.join(context, 'docker', DOCKERFILE[image]), '-t', tag, context], {
      env: { DOCKER_BUILDKIT: '1' },
      timeoutMs: 30 * 60_000,
    }),
  );
}

const built = new Map<string, Promise<void>>();
/** This checkout's image, built once per test process (Docker's layer cache makes a rebuild cheap). */
export function image(name: ImageName): Promise<string> {
  const tag = `${PREFIX}/${name}:new`;
  if (!built.has(tag)) built.set(tag, buildImage(name, tag));
  return built.get(tag)!.then(() => tag);
}

/** Where a stack listens (all on loopback). */
export interface StackPorts {
  http: number;
  http2: number;
  ari: number;
  sip: number;
  trunk: number;
  rtpStart: number;
  rtpEnd: number;
  postgres: number;
  redis: number;
  ami: number;
}
export const STACK_PORTS: StackPorts = {
  http: PORT_BASE + 1,
  http2: PORT_BASE + 2,
  ari: PORT_BASE + 8,
  sip: PORT_BASE + 60,
  trunk: PORT_BASE + 90,
  postgres: PORT_BASE + 10,
  redis: PORT_BASE + 11,
  ami: PORT_BASE + 12,
  rtpStart: PORT_BASE + 400,
  rtpEnd: PORT_BASE + 499,
};
/** SIPp phones of the docker specs: SIP at PORT_BASE + 100.. (media: the harness's default for it). */
export const PHONE_PORT = (i: number) => PORT_BASE + 100 + i * 2;

/** The test carrier's own loopback address (Asterisk tells the trunk from phones by IP). */
export const TRUNK_HOST = '127.0.0.2';

/** Secrets of a test stack: unique strings, so a grep of an image for them means something. */
export function stackSecrets(tag: string): Record<string, string> {
  const stamp = `${tag}-${process.pid}-${Date.now().toString(36)}`;
  return {
    ARI_PASSWORD: `ari-secret-${stamp}`,
    JWT_SECRET: `jwt-secret-${stamp}-0123456789abcdef0123456789`,
    LEADLINE_ADMIN_PASSWORD: `admin-secret-${stamp}`,
    POSTGRES_PASSWORD: `pg${stamp.replace(/[^a-z0-9]/gi, '')}`,
    REDIS_PASSWORD: `redis${stamp.replace(/[^a-z0-9]/gi, '')}`,
  };
}
export const ADMIN_EMAIL = 'admin@docker.test';

export interface StackOptions {
  /** Compose project name suffix. */
  name: string;
  /** docker/compose*.yaml files (file names in docker/). */
  files: string[];
  /** Image tag (LEADLINE_VERSION); default "new", this checkout's images. */
  version?: string;
  /** Folder holding the compose files (another checkout's docker/ for an older release). */
  composeDir?: string;
  env?: Record<string, string>;
}

/** A compose project of this slot: `docker-compose -p <project> -f … --env-file …`. */
export class Stack {
  readonly project: string;
  readonly secrets: Record<string, string>;
  readonly envFile: string;
  readonly backups: string;
  private files: string[];
  private readonly env: Record<string, string>;

  constructor(readonly opts: StackOptions) {
    this.project = `${PREFIX}-${opts.name}`;
    this.secrets = stackSecrets(opts.name);
    mkdirSync(DOCKER_TMP, { recursive: true });
    const dir = mkdtempSync(path.join(DOCKER_TMP, `${opts.name}-`));
    this.backups = path.join(dir, 'backups');
    mkdirSync(this.backups);
    chownSync(this.backups, 10001, 10001);
    const composeDir = opts.composeDir ?? path.join(REPO_DIR, 'docker');
    this.files = opts.files.map((f) => path.join(composeDir, f));
    this.env = {
      ...this.secrets,
      LEADLINE_ADMIN_EMAIL: ADMIN_EMAIL,
      LEADLINE_IMAGE_PREFIX: PREFIX,
      LEADLINE_VERSION: opts.version ?? 'new',
      LEADLINE_BACKUP_DIR: this.backups,
      SIP_PUBLIC_HOST: '127.0.0.1',
      SIP_BIND: '127.0.0.1',
      TRUNK_HOST,
      TRUNK_PORT: String(STACK_PORTS.trunk),
      HOST: '127.0.0.1',
      PORT: String(STACK_PORTS.http),
      PORT_2: String(STACK_PORTS.http2),
      ARI_PORT: String(STACK_PORTS.ari),
      ARI_APP: `leadline-${opts.name}`,
      SIP_PORT: String(STACK_PORTS.sip),
      RTP_START: String(STACK_PORTS.rtpStart),
      RTP_END: String(STACK_PORTS.rtpEnd),
      POSTGRES_PORT: String(STACK_PORTS.postgres),
      REDIS_PORT: String(STACK_PORTS.redis),
      LOG_LEVEL: 'info',
      ...opts.env,
    };
    // the env file an IT team would write as docker/.env (mode 600)
    this.envFile = path.join(dir, 'env');
    this.writeEnv();
  }

  private writeEnv(): void {
    writeFileSync(this.envFile, Object.entries(this.env).map(([k, v]) => `${k}=${v}`).join('\n') + '\n', { mode: 0o600 });
  }

  /** Changes settings of the env file (e.g. LEADLINE_VERSION for an upgrade), as an admin edits docker/.env. */
  setEnv(changes: Record<string, string>): void {
    Object.assign(this.env, changes);
    this.writeEnv();
  }

  /** docker-compose with this stack's project, files and env file. */
  compose(args: string[], timeoutMs = 5 * 60_000): Promise<RunResult> {
    const files = this.files.flatMap((f) => ['-f', f]);
    return run(COMPOSE, ['-p', this.project, ...files, '--env-file', this.envFile, ...args], { timeoutMs, env: { COMPOSE_INTERACTIVE_NO_CLI: '1' } });
  }

  async mustCompose(args: string[], timeoutMs?: number): Promise<string> {
    const res = await this.compose(args, timeoutMs);
    if (res.status !== 0) throw new Error(`docker-compose ${args.join(' ')} exited ${res.status}:\n${res.out.slice(-6000)}`);
    return res.out;
  }

  up(...services: string[]): Promise<string> {
    return this.mustCompose(['up', '-d', '--no-build', ...services]);
  }

  /** The server's log (for failure messages). */
  async logs(service = 'server'): Promise<string> {
    return (await this.compose(['logs', '--no-color', '--tail', '200', service])).out;
  }

  /** The container id of a service. */
  async container(service: string): Promise<string> {
    return (await this.mustCompose(['ps', '-q', service])).trim();
  }

  api(port = STACK_PORTS.http): ApiClient {
    return apiClient(`http://127.0.0.1:${port}`);
  }

  /** Waits until /api/health answers 200 (database and ARI link up). */
  async healthy(port = STACK_PORTS.http, timeoutMs = 120_000): Promise<any> {
    const api = this.api(port);
    return eventually(async () => {
      const res = await api.request('GET', '/api/health').catch(() => undefined);
      return res?.status === 200 ? res.body : undefined;
    }, timeoutMs, 500).catch(async (err: unknown) => {
      throw new Error(`${String(err)}\n--- server log ---\n${await this.logs(port === STACK_PORTS.http2 ? 'server-2' : 'server')}\n--- asterisk log ---\n${await this.logs('asterisk')}`);
    });
  }

  async login(port = STACK_PORTS.http): Promise<string> {
    return this.api(port).login(ADMIN_EMAIL, this.secrets.LEADLINE_ADMIN_PASSWORD);
  }

  /** down -v: containers and volumes gone. */
  async destroy(): Promise<void> {
    await this.compose(['down', '-v', '--remove-orphans', '-t', '20']);
  }
}

/**
 * The previous release the upgrade spec starts from: main just before the merge that added the
 * LeadOffer and CallOwner migrations, the last release on Asterisk 16 (one shared user, uid 10001).
 * Move it forward when a release ships.
 */
export const PREVIOUS_RELEASE = 'c26ea32e4010628aea594e8d1299f9c3c1549af3';
/** Its images, shared by every slot (their content is fixed by the commit). */
export const PREVIOUS_PREFIX = 'leadline-test';
export const PREVIOUS_VERSION = `prev-${PREVIOUS_RELEASE.slice(0, 7)}`;
/**
 * Its package.json and lock as fixed by the commit that pinned rollup (cc7576f): the release's own
 * lock names rollup platform packages the npm registry no longer serves, so `npm ci` refuses it
 * today. The only change is that pin; every other dependency is the release's.
 */
const PREVIOUS_LOCK_FIX = 'cc7576f';

/**
 * Builds the previous release's images when missing (cached by tag), each from its own Dockerfile
 * with only what this machine needs changed: the base images' names (the stand-ins) and the
 * `# syntax` line dropped (a Docker Hub pull). Its `npm ci` (which would ask nodejs.org for Node's
 * headers) is replaced by the node_modules of a deps stage built by this release's server
 * Dockerfile from the previous release's own package.json and lock (PREVIOUS_LOCK_FIX), with the
 * headers from the base image: the same packages its own `npm ci` would install. That stage is
 * cached by tag too, so the native modules are compiled once per machine.
 */
export async function previousReleaseImages(): Promise<void> {
  await dockerReady();
  const have = async (tag: string) => (await run(DOCKER, ['image', 'inspect', tag])).status === 0;
  const server = `${PREVIOUS_PREFIX}/server:${PREVIOUS_VERSION}`;
  const asterisk = `${PREVIOUS_PREFIX}/asterisk:${PREVIOUS_VERSION}`;
  if ((await have(server)) && (await have(asterisk))) return;
  // outside the checkout: jest would find a second package.json there
  const tree = mkdtempSync(path.join(tmpdir(), 'leadline-previous-'));
  await must('bash', ['-c', `git -C "$0" archive "$1" | tar -x -C "$2"`, REPO_DIR, PREVIOUS_RELEASE, tree]);
  const build = async (file: string, tag: string, edit: (dockerfile: string) => string) => {
    const edited = edit(readFileSync(path.join(tree, 'docker', file), 'utf8').replace(/^# syntax=.*\n/m, ''));
    writeFileSync(path.join(tree, 'docker', `test-${file}`), edited);
    await timed(`build ${tag}`, () =>
      must(DOCKER, ['build', '--network', 'host', '--progress', 'plain', '--secret', 'id=npm_ca,src=/etc/ssl/certs/ca-certificates.crt', '-f', path.join(tree, 'docker', `test-${file}`), '-t', tag, tree], {
        env: { DOCKER_BUILDKIT: '1' },
        timeoutMs: 30 * 60_000,
      }),
    );
  };
  if (!(await have(server))) {
    for (const file of ['package.json', 'package-lock.json']) writeFileSync(path.join(tree, file), await must('git', ['-C', REPO_DIR, 'show', `${PREVIOUS_LOCK_FIX}:${file}`]));
    // the deps stage copies only package.json and the lock: a context of those two files
    const modules = `${PREVIOUS_PREFIX}/server-deps:${PREVIOUS_VERSION}`;
    if (!(await have(modules))) {
      const context = mkdtempSync(path.join(tmpdir(), 'leadline-previous-deps-'));
      for (const file of ['package.json', 'package-lock.json']) copyFileSync(path.join(tree, file), path.join(context, file));
      await timed(`build ${modules}`, () =>
        must(DOCKER, ['build', '--network', 'host', '--progress', 'plain', '--target', 'deps', ...buildArgs('server'), '-f', path.join(REPO_DIR, 'docker', DOCKERFILE.server), '-t', modules, context], {
          env: { DOCKER_BUILDKIT: '1' },
          timeoutMs: 30 * 60_000,
        }),
      );
      rmSync(context, { recursive: true, force: true });
    }
    await build('server.Dockerfile', server, (d) =>
      d.replace(/^FROM node:20-bookworm-slim/gm, `FROM ${STAND_INS.NODE_IMAGE}`).replace(/^RUN npm ci .*$/m, `COPY --from=${modules} /src/node_modules ./node_modules`),
    );
  }
  if (!(await have(asterisk))) await build('asterisk.Dockerfile', asterisk, (d) => d.replace(/^FROM debian:bookworm-slim$/m, `FROM ${STAND_INS.DEBIAN_IMAGE}`));
  rmSync(tree, { recursive: true, force: true });
}
