import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Child } from '../children';
import { freePort, isRecord, requestJson } from '../net';
import type { BenchContext } from '../types';

/** A server under test: where to post leads and how to count what it stored. */
export interface Target {
  name: string;
  child: Child;
  /** Full URL leads are posted to. */
  postUrl: string;
  headers: Record<string, string>;
  /** Rows the target has stored for this bench. */
  countStored(): Promise<number>;
}

function secret(chars: number): string {
  return randomBytes(chars).toString('base64url').slice(0, chars);
}

/** Runs one count query on a read-only connection of its own. */
export function countRows(dbPath: string, sql: string, params: unknown[] = []): Promise<number> {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare(sql).get(...params) as { n: number } | undefined;
    return Promise.resolve(row?.n ?? 0);
  } finally {
    db.close();
  }
}

export async function startBaseline(ctx: BenchContext, dir: string): Promise<Target> {
  const port = await freePort();
  const dbPath = join(dir, 'baseline.db');
  const child = Child.start('baseline', join(__dirname, 'baseline-server.js'), { BASELINE_PORT: String(port), BASELINE_DB: dbPath }, ctx.repoRoot);
  ctx.onCleanup(() => child.stop());
  await child.waitForHttp(`http://127.0.0.1:${port}/health`, 15_000);
  return {
    name: 'baseline',
    child,
    postUrl: `http://127.0.0.1:${port}/leads`,
    headers: { 'content-type': 'application/json' },
    countStored: () => countRows(dbPath, 'select count(*) as n from lead'),
  };
}

/** Where a Leadline under test keeps its data: SQLite in its data dir (default), or a PostgreSQL database. */
export interface LeadlineDatabase {
  /** DATABASE_URL, when not the SQLite default. */
  url?: string;
  /** Counts rows in that database (SQLite: read from the file). */
  count?(sql: string, params: string[]): Promise<number>;
}

/**
 * Starts the compiled Leadline server (dist/apps/server/src/main.js) in production mode on a fresh
 * data dir, logs in as the first admin and creates a campaign with distributionType "none".
 */
export async function startLeadline(ctx: BenchContext, dir: string, name = 'leadline', database: LeadlineDatabase = {}): Promise<Target> {
  const port = await freePort();
  const dataDir = join(dir, name);
  const adminPassword = secret(24);
  const child = Child.start(
    name,
    join(ctx.repoRoot, 'dist/apps/server/src/main.js'),
    {
      NODE_ENV: 'production',
      JWT_SECRET: secret(48),
      LEADLINE_DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      // Asterisk is not running: the ARI link retries in the background; Action Post does not need it.
      ARI_URL: 'http://127.0.0.1:1',
      ARI_PASSWORD: secret(20),
      LEADLINE_ADMIN_PASSWORD: adminPassword,
      ACTION_POST_RATE_LIMIT: '100000000',
      ...(database.url ? { DATABASE_URL: database.url } : {}),
    },
    ctx.repoRoot,
  );
  ctx.onCleanup(() => child.stop());
  const base = `http://127.0.0.1:${port}/api`;
  await child.waitForHttp(`${base}/health`, 60_000);

  const login = await requestJson(`${base}/auth/login`, { body: { email: 'admin@leadline.local', password: adminPassword } });
  const token = isRecord(login.body) ? login.body.accessToken : undefined;
  if (login.status !== 200 && login.status !== 201) throw new Error(`login answered ${login.status}: ${JSON.stringify(login.body)}`);
  if (typeof token !== 'string') throw new Error(`login gave no accessToken: ${JSON.stringify(login.body)}`);

  const created = await requestJson(`${base}/campaigns`, { headers: { authorization: `Bearer ${token}` }, body: { name: 'bench', distributionType: 'none' } });
  if (created.status !== 201 && created.status !== 200) throw new Error(`creating the campaign answered ${created.status}: ${JSON.stringify(created.body)}`);
  const id = isRecord(created.body) ? created.body.id : undefined;
  const apiKey = isRecord(created.body) ? created.body.apiKey : undefined;
  if (typeof id !== 'string' || typeof apiKey !== 'string') throw new Error(`campaign answer lacks id/apiKey: ${JSON.stringify(created.body)}`);

  const dbPath = join(dataDir, 'leadline.db');
  const count = database.count ?? ((sql: string, params: string[]) => countRows(dbPath, sql, params));
  return {
    name,
    child,
    postUrl: `http://127.0.0.1:${port}/api/action-post/${id}`,
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    countStored: () => count('select count(*) as n from prospect where campaign_id = ?', [id]),
  };
}

/** Posts a few leads one by one and checks the whole envelope of each answer. */
export async function smokeCheck(target: Target, bodies: string[]): Promise<string[]> {
  const problems: string[] = [];
  for (const body of bodies) {
    const res = await fetch(target.postUrl, { method: 'POST', headers: target.headers, body, signal: AbortSignal.timeout(10_000) });
    const text = await res.text();
    let answer: unknown;
    try {
      answer = JSON.parse(text);
    } catch {
      answer = undefined;
    }
    const data = isRecord(answer) && isRecord(answer.Data) ? answer.Data : undefined;
    const ok =
      res.status === 200 &&
      isRecord(answer) &&
      answer.StatusCode === 1 &&
      answer.Message === 'Prospect created' &&
      typeof data?.ProspectId === 'string' &&
      /^[0-9a-f-]{36}$/i.test(data.ProspectId) &&
      typeof answer.ResponseDate === 'string';
    if (!ok) problems.push(`${target.name}: sample post answered ${res.status} ${text.slice(0, 300)}`);
  }
  return problems;
}
