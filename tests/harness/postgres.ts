// A PostgreSQL 15 of our own for the integration tests and the benchmark: a cluster in a scratch
// folder, run as the `postgres` OS user (initdb refuses root), listening only on 127.0.0.1 on a
// port of the caller's choosing, never the system cluster. One server; a fresh database per
// Leadline server under test.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const PG_BIN = process.env.LEADLINE_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const SUPERUSER = 'postgres';

export interface StartPostgresOptions {
  /** Scratch folder (created; handed to the postgres OS user). The cluster lives in <dir>/data. */
  dir: string;
  port: number;
  /**
   * false: fsync and full-page writes off, for tests (a crash of the test machine loses nothing
   * we care about). true: PostgreSQL's durable defaults, for the benchmark.
   */
  durable: boolean;
}

/** What a test process needs to reach a running test PostgreSQL (kept in <dir>/connection.json). */
export interface PostgresConnection {
  /** The scratch folder (its unix socket lives there). */
  dir: string;
  host: string;
  port: number;
  user: string;
  password: string;
}

export interface PostgresHandle extends PostgresConnection {
  /** postgres://… URL of a database on this server. */
  url(database: string): string;
  /** Creates an empty database (unless it exists) and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Runs a `select count(*) …` in a database (`?` placeholders filled with quoted literals) and returns the number. */
  count(database: string, sql: string, params?: string[]): Promise<number>;
  stop(): Promise<void>;
}

function postgresUid(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${SUPERUSER}:`));
  if (!line) throw new Error('there is no postgres OS user: install PostgreSQL (scripts/install-system-deps.sh)');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Runs a PostgreSQL program as the postgres OS user when we are root (initdb refuses root). */
async function asPostgres(program: string, args: string[]): Promise<string> {
  const bin = path.join(PG_BIN, program);
  const asRoot = process.getuid?.() === 0;
  try {
    // cwd /: the postgres user may not be allowed into our working directory.
    const { stdout } = asRoot ? await run('runuser', ['-u', SUPERUSER, '--', bin, ...args], { cwd: '/' }) : await run(bin, args);
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${program} failed: ${e.stderr || e.stdout || e.message}`);
  }
}

function connectionFile(dir: string): string {
  return path.join(dir, 'connection.json');
}

/** Initialises (first time) and starts the cluster in `dir`; waits until it accepts connections. */
export async function startPostgres(opts: StartPostgresOptions): Promise<PostgresHandle> {
  if (!existsSync(path.join(PG_BIN, 'initdb'))) throw new Error(`PostgreSQL 15 is not installed in ${PG_BIN} (scripts/install-system-deps.sh)`);
  const dataDir = path.join(opts.dir, 'data');
  const owner = process.getuid?.() === 0 ? postgresUid() : undefined;
  mkdirSync(opts.dir, { recursive: true });
  if (owner) chownSync(opts.dir, owner.uid, owner.gid);

  const pwFile = path.join(opts.dir, 'password');
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    rmSync(dataDir, { recursive: true, force: true });
    writeFileSync(pwFile, randomBytes(18).toString('base64url'), { mode: 0o600 });
    if (owner) chownSync(pwFile, owner.uid, owner.gid);
    // Password authentication over TCP (what a deployment uses); the socket stays in the folder.
    await asPostgres('initdb', ['-D', dataDir, '-U', SUPERUSER, `--pwfile=${pwFile}`, '--auth-host=scram-sha-256', '--auth-local=peer', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  }
  const password = readFileSync(pwFile, 'utf8').trim();

  const settings = [
    `-c listen_addresses=127.0.0.1`,
    `-c port=${opts.port}`,
    `-c unix_socket_directories=${opts.dir}`,
    `-c max_connections=200`,
    ...(opts.durable ? [] : ['-c fsync=off', '-c full_page_writes=off', '-c synchronous_commit=off']),
  ];
  await stopPostgresIn(opts.dir); // an interrupted earlier run may have left it behind
  await asPostgres('pg_ctl', ['-D', dataDir, '-l', path.join(opts.dir, 'postgres.log'), '-o', settings.join(' '), '-w', '-t', '60', 'start']);

  const connection: PostgresConnection = { dir: opts.dir, host: '127.0.0.1', port: opts.port, user: SUPERUSER, password };
  writeFileSync(connectionFile(opts.dir), JSON.stringify(connection), { mode: 0o600 });
  chmodSync(connectionFile(opts.dir), 0o600);
  return { ...postgresAt(connection), stop: () => stopPostgresIn(opts.dir) };
}

/** Stops the cluster in `dir` if it runs (fast shutdown). */
export async function stopPostgresIn(dir: string): Promise<void> {
  const dataDir = path.join(dir, 'data');
  if (!existsSync(path.join(dataDir, 'postmaster.pid'))) return;
  await asPostgres('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '60', 'stop']).catch(() => undefined);
}

/** The server a global setup started in `dir` (from another process: a jest worker). */
export function postgresIn(dir: string): Omit<PostgresHandle, 'stop'> {
  const file = connectionFile(dir);
  if (!existsSync(file)) throw new Error(`no test PostgreSQL in ${dir} (is LEADLINE_TEST_DB=postgres set for the whole run?)`);
  return postgresAt(JSON.parse(readFileSync(file, 'utf8')) as PostgresConnection);
}

function postgresAt(c: PostgresConnection): Omit<PostgresHandle, 'stop'> {
  const url = (database: string) => `postgres://${c.user}:${encodeURIComponent(c.password)}@${c.host}:${c.port}/${database}`;
  return {
    ...c,
    url,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
      // psql over the cluster's unix socket as the postgres OS user: no JavaScript client here,
      // because this module is loaded by jest's global setup too, outside the tests' sandboxes
      // (MikroORM loaded there would share its metadata store with every test file).
      const exists = await asPostgres('psql', ['-h', c.dir, '-p', String(c.port), '-d', 'postgres', '-tAc', `select 1 from pg_database where datname = '${name}'`]);
      if (exists.trim() !== '1') await asPostgres('psql', ['-h', c.dir, '-p', String(c.port), '-d', 'postgres', '-qc', `create database ${name}`]);
      return url(name);
    },
    async count(database, sql, params = []) {
      let i = 0;
      const text = sql.replace(/\?/g, () => `'${String(params[i++]).replace(/'/g, "''")}'`);
      return Number((await asPostgres('psql', ['-h', c.dir, '-p', String(c.port), '-d', database, '-tAc', text])).trim());
    },
  };
}
