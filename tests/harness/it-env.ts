// The one Asterisk the integration run shares: fixed loopback ports, a scratch folder under .tmp.
// Global setup starts it; tests attach to it with asterisk() (starting it is idempotent).
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { AsteriskHandle, REPO_DIR, startAsterisk, StartAsteriskOptions } from './asterisk';

export const IT_DIR = path.join(REPO_DIR, '.tmp', 'it');
export const IT_PORTS = { ari: 28088, sip: 25060, rtpStart: 22000, rtpEnd: 22999, trunk: 25090 } as const;

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
    ariPassword: ariPassword(),
    ariApp: 'leadline-it',
  };
}

/** A handle on the shared test Asterisk (starts it if it is not running). */
export function asterisk(): Promise<AsteriskHandle> {
  return startAsterisk(itAsteriskOptions());
}
