// The one Asterisk the integration run shares: fixed loopback ports, a scratch folder under .tmp.
// Global setup starts it; tests attach to it with asterisk() (starting it is idempotent).
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AsteriskHandle, REPO_DIR, startAsterisk, StartAsteriskOptions } from './asterisk';

// LEADLINE_IT_SLOT=n (0-7) gives a run its own folder and ports, so several runs on one machine
// (two developers, or a developer and helpers in other worktrees) never collide:
//   test phones (SIPp) 20000+1000n .. +999 (Asterisk SIP +60, trunk +90, Redis +279); ARI
//   28100+n; PostgreSQL 28200+n; AMI 28300+n; Asterisk RTP 50000+1000n .. +999. SIPp's own RTP ports are
//   derived from its SIP port (tests/harness/sipp.ts: 30000-39996 and a few thousand above, as
//   SIPp advertises [auto_media_port]), below every Asterisk RTP range.
const SLOT = Number(process.env.LEADLINE_IT_SLOT ?? 0);
if (!Number.isInteger(SLOT) || SLOT < 0 || SLOT > 7) throw new Error(`LEADLINE_IT_SLOT must be 0-7 (got ${process.env.LEADLINE_IT_SLOT})`);
export const IT_DIR = path.join(REPO_DIR, '.tmp', SLOT ? `it${SLOT}` : 'it');
/** Base of the ports SIPp test phones listen on (each suite uses its own range above it). */
export const IT_PORT_BASE = 20000 + SLOT * 1000;
export const IT_PORTS = {
  ari: 28100 + SLOT,
  sip: IT_PORT_BASE + 60,
  rtpStart: 50000 + SLOT * 1000,
  rtpEnd: 50999 + SLOT * 1000,
  trunk: IT_PORT_BASE + 90,
} as const;
/** The test Asterisk's AMI (loopback; the check-sync NOTIFY to desk phones). */
export const IT_AMI_PORT = 28300 + SLOT;
/** The run's own PostgreSQL (LEADLINE_TEST_DB=postgres). */
export const IT_PG_PORT = 28200 + SLOT;
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
    amiPort: IT_AMI_PORT,
    // Derived from the ARI one: every worker of the run computes the same.
    amiPassword: createHash('sha256').update(`ami:${ariPassword()}`).digest('base64url').slice(0, 32),
  };
}

/** A handle on the shared test Asterisk (starts it if it is not running). */
export function asterisk(): Promise<AsteriskHandle> {
  return startAsterisk(itAsteriskOptions());
}
