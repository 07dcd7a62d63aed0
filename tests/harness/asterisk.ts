// Starts a real Asterisk for tests through scripts/asterisk.sh (its own scratch folder, ports and
// ARI credentials), and gives tests a handle to stop, restart, kill it and run CLI commands.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** Repository root (tests/harness/../..). */
export const REPO_DIR = path.resolve(__dirname, '..', '..');
/** The start/stop script this harness drives. */
export const ASTERISK_SCRIPT = path.join(REPO_DIR, 'scripts', 'asterisk.sh');

export interface StartAsteriskOptions {
  /** LEADLINE_DATA_DIR; the Asterisk scratch folder is <dataDir>/asterisk. Keep it short (< ~80 chars). */
  dataDir: string;
  ariPort: number;
  sipPort: number;
  rtpStart: number;
  rtpEnd: number;
  /** Where the trunk endpoint sends calls (the test carrier / borrower SIPp). */
  trunkPort: number;
  /** At least 12 characters, no ';', no spaces at either end. */
  ariPassword: string;
  /** The Stasis app the dialplan hands inbound / phone calls to. */
  ariApp: string;
  /** Default 127.0.0.1 for all three. */
  ariBind?: string;
  sipBind?: string;
  trunkHost?: string;
  /** Default "leadline". */
  ariUsername?: string;
  /** AMI on loopback for the check-sync NOTIFY (scripts/asterisk.sh AMI_PORT); unset = AMI off. */
  amiPort?: number;
  amiPassword?: string;
  /** Seconds to wait for ARI (default 30). */
  startTimeoutS?: number;
  /** LEADLINE_ASTERISK_DEBUG=1: verbose "full" log in <dataDir>/asterisk/log/full. */
  debug?: boolean;
}

export interface AsteriskHandle {
  /** e.g. http://127.0.0.1:18088 (no /ari suffix, no credentials). */
  readonly ariUrl: string;
  readonly username: string;
  readonly password: string;
  readonly app: string;
  /** SIP UDP address of Asterisk, e.g. 127.0.0.1:15060. */
  readonly sipAddress: string;
  /** The scratch folder (<dataDir>/asterisk). */
  readonly asteriskDir: string;
  /** The rendered asterisk.conf, for `asterisk -C`. */
  readonly configFile: string;
  /** Graceful stop (core stop now, SIGKILL fallback after 10 s). Idempotent. */
  stop(): Promise<void>;
  /** stop() then start again with the same settings; resolves when ARI answers again. */
  restart(): Promise<void>;
  /** SIGKILL the Asterisk process (crash simulation) and wait until it is gone. */
  kill(): Promise<void>;
  /** Runs `asterisk -C <conf> -rx <cmd>` and returns its output. */
  cli(cmd: string): Promise<string>;
  /** pid of the running Asterisk, or undefined. */
  pid(): number | undefined;
  /** Tail of the Asterisk "messages" log (for failure messages). */
  logTail(lines?: number): string;
}

interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ExecResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env, timeout: timeoutMs, maxBuffer: 8 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Asterisk's media cache for a scratch folder: outside it, under /tmp, named after it, with no '.' in its path. */
export function mediaCacheDir(asteriskDir: string): string {
  return path.join('/tmp', `leadline-astcache-${createHash('sha256').update(asteriskDir).digest('hex').slice(0, 16)}`);
}

/** Starts Asterisk with scripts/asterisk.sh; resolves when ARI answers 200 with the credentials. */
export async function startAsterisk(opts: StartAsteriskOptions): Promise<AsteriskHandle> {
  const dataDir = path.resolve(opts.dataDir);
  const asteriskDir = path.join(dataDir, 'asterisk');
  const configFile = path.join(asteriskDir, 'etc', 'asterisk.conf');
  const pidFile = path.join(asteriskDir, 'run', 'asterisk.pid');
  const username = opts.ariUsername ?? 'leadline';
  const ariBind = opts.ariBind ?? '127.0.0.1';
  const sipBind = opts.sipBind ?? '127.0.0.1';
  const startTimeoutS = opts.startTimeoutS ?? 30;

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LEADLINE_DATA_DIR: dataDir,
    LEADLINE_ASTERISK_DIR: asteriskDir,
    // Dot-free (the scratch folder is under .tmp/, a CI clone under /tmp/tmp.XXXX): Asterisk 22's
    // media cache computes wrong file names under a path with a dot (docs/asterisk.md).
    ASTERISK_CACHE_DIR: mediaCacheDir(asteriskDir),
    ARI_BIND: ariBind,
    ARI_PORT: String(opts.ariPort),
    ARI_USERNAME: username,
    ARI_PASSWORD: opts.ariPassword,
    ARI_APP: opts.ariApp,
    SIP_BIND: sipBind,
    SIP_PORT: String(opts.sipPort),
    RTP_START: String(opts.rtpStart),
    RTP_END: String(opts.rtpEnd),
    TRUNK_HOST: opts.trunkHost ?? '127.0.0.1',
    TRUNK_PORT: String(opts.trunkPort),
    ...(opts.amiPort ? { AMI_PORT: String(opts.amiPort), AMI_PASSWORD: opts.amiPassword } : {}),
    LEADLINE_ASTERISK_DEBUG: opts.debug ? '1' : '0',
    LEADLINE_ASTERISK_START_TIMEOUT: String(startTimeoutS),
  };

  const readPid = (): number | undefined => {
    try {
      const pid = Number(readFileSync(pidFile, 'utf8').trim());
      return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : undefined;
    } catch {
      return undefined;
    }
  };

  const logTail = (lines = 40): string => {
    try {
      const text = readFileSync(path.join(asteriskDir, 'log', 'messages'), 'utf8');
      return text.split('\n').slice(-lines - 1).join('\n');
    } catch {
      return '';
    }
  };

  const script = async (command: 'start' | 'stop'): Promise<void> => {
    const timeoutMs = (command === 'start' ? startTimeoutS + 30 : 30) * 1000;
    const res = await run('bash', [ASTERISK_SCRIPT, command], env, timeoutMs);
    if (res.code !== 0) {
      const out = `${res.stdout}\n${res.stderr}`.split(opts.ariPassword).join('<redacted>').trim();
      throw new Error(`scripts/asterisk.sh ${command} failed (exit ${res.code}):\n${out}`);
    }
  };

  await script('start');

  const handle: AsteriskHandle = {
    ariUrl: `http://${ariBind === '0.0.0.0' ? '127.0.0.1' : ariBind}:${opts.ariPort}`,
    username,
    password: opts.ariPassword,
    app: opts.ariApp,
    sipAddress: `${sipBind === '0.0.0.0' ? '127.0.0.1' : sipBind}:${opts.sipPort}`,
    asteriskDir,
    configFile,
    stop: () => script('stop'),
    async restart() {
      await script('stop');
      await script('start');
    },
    async kill() {
      const pid = readPid();
      if (pid === undefined) return;
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        return;
      }
      const deadline = Date.now() + 5000;
      while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      if (alive(pid)) throw new Error(`Asterisk pid ${pid} survived SIGKILL`);
    },
    async cli(cmd: string) {
      // Through the script: Asterisk runs in a mount namespace and root of its own.
      const res = await run('bash', [ASTERISK_SCRIPT, 'cli', cmd], env, 15000);
      if (res.code !== 0) throw new Error(`asterisk.sh cli ${JSON.stringify(cmd)} failed (exit ${res.code}): ${res.stderr.trim() || res.stdout.trim()}`);
      return res.stdout;
    },
    pid: readPid,
    logTail,
  };
  return handle;
}
