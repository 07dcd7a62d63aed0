// The one Asterisk the integration run shares: fixed loopback ports, a scratch folder under .tmp.
// Global setup starts it; tests attach to it with asterisk() (starting it is idempotent).
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AsteriskHandle, REPO_DIR, startAsterisk, StartAsteriskOptions } from './asterisk';

// LEADLINE_IT_SLOT=n moves the folder and every port by n*1000, so two runs on one machine
// (two developers, or a developer and a helper) don't collide.
const SLOT = Number(process.env.LEADLINE_IT_SLOT ?? 0);
export const IT_DIR = path.join(REPO_DIR, '.tmp', SLOT ? `it${SLOT}` : 'it');
/** Base of the ports SIPp test phones listen on (each suite uses its own range above it). */
export const IT_PORT_BASE = 25000 + SLOT * 1000;
export const IT_PORTS = {
  ari: 28088 + SLOT * 1000,
  sip: IT_PORT_BASE + 60,
  rtpStart: 22000 + SLOT * 1000,
  rtpEnd: 22999 + SLOT * 1000,
  trunk: IT_PORT_BASE + 90,
} as const;
/** The run's own PostgreSQL (LEADLINE_TEST_DB=postgres): below every port above, 10 per slot. */
export const IT_PG_PORT = 21000 + SLOT * 10;
/**
 * The test PostgreSQL's folder. Not under the checkout: its server runs as the postgres OS user,
 * which may not be allowed into the checkout's parents (a clone in a mode-700 temp folder, say).
 * Named after the checkout and the slot, so two checkouts or slots never share a cluster.
 */
export const IT_PG_DIR = path.join(tmpdir(), `leadline-pg-${createHash('sha256').update(REPO_DIR).digest('hex').slice(0, 10)}-${SLOT}`);

/** Which database the servers of this run use: SQLite files (default) or the run's PostgreSQL. */
export const IT_DATABASE: 'sqlite' | 'postgres' = process.env.LEADLINE_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';

/** The test carrier (trunk) has its own loopback address: Asterisk tells the trunk from phones by IP. */
export const IT_TRUNK_HOST = '127.0.0.2';

/** The ARI password of this run: random, kept in the scratch folder so every worker shares it. */
function ariPassword(): string {
  const file = path.join(IT_DIR, 'ari-password');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(IT_DIR, { recursive: true });
  const password = randomBytes(18).toString('base64url');
  writeFileSync(file, password, { mode: 0o600 });
  return password;
}

export function itAsteriskOptions(): StartAsteriskOptions {
  return {
    dataDir: IT_DIR,
    ariPort: IT_PORTS.ari,
    sipPort: IT_PORTS.sip,
    rtpStart: IT_PORTS.rtpStart,
    rtpEnd: IT_PORTS.rtpEnd,
    trunkPort: IT_PORTS.trunk,
    trunkHost: IT_TRUNK_HOST,
    ariPassword: ariPassword(),
    ariApp: 'leadline-it',
  };
}

/** A handle on the shared test Asterisk (starts it if it is not running). */
export function asterisk(): Promise<AsteriskHandle> {
  return startAsterisk(itAsteriskOptions());
}
