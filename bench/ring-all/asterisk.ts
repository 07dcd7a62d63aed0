// The bench's own Asterisk, started and stopped with scripts/asterisk.sh like tests/harness/asterisk.ts
// does. (The harness finds the script relative to its own file, which is dist/ once compiled, so
// the bench drives the script itself.)
import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Where a bench's Asterisk listens (each bench module keeps its own, clear of the test slots). */
export interface BenchAsteriskPorts {
  ari: number;
  sip: number;
  rtpStart: number;
  rtpEnd: number;
  trunkHost: string;
  trunk: number;
}

export interface BenchAsteriskOptions {
  repoRoot: string;
  /** LEADLINE_DATA_DIR for the script; Asterisk's scratch folder is <dataDir>/asterisk. Wiped first. */
  dataDir: string;
  ports: BenchAsteriskPorts;
  ariPassword: string;
  ariApp: string;
  /** AMI on loopback (scripts/asterisk.sh AMI_PORT), as `npm start` runs it; unset = AMI off. */
  ami?: { port: number; password: string };
}

export interface BenchAsterisk {
  readonly ariUrl: string;
  readonly username: string;
  readonly password: string;
  readonly asteriskDir: string;
  stop(): Promise<void>;
  /** `asterisk -rx` output. */
  cli(command: string): Promise<string>;
  logTail(lines?: number): string;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env, timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, out: `${String(stdout)}\n${String(stderr)}`.trim() });
    });
  });
}

export async function startBenchAsterisk(opts: BenchAsteriskOptions): Promise<BenchAsterisk> {
  const script = join(opts.repoRoot, 'scripts', 'asterisk.sh');
  const asteriskDir = join(opts.dataDir, 'asterisk');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LEADLINE_DATA_DIR: opts.dataDir,
    LEADLINE_ASTERISK_DIR: asteriskDir,
    ARI_BIND: '127.0.0.1',
    ARI_PORT: String(opts.ports.ari),
    ARI_USERNAME: 'leadline',
    ARI_PASSWORD: opts.ariPassword,
    ARI_APP: opts.ariApp,
    SIP_BIND: '127.0.0.1',
    SIP_PORT: String(opts.ports.sip),
    RTP_START: String(opts.ports.rtpStart),
    RTP_END: String(opts.ports.rtpEnd),
    TRUNK_HOST: opts.ports.trunkHost,
    TRUNK_PORT: String(opts.ports.trunk),
    LEADLINE_ASTERISK_DEBUG: '0',
    LEADLINE_ASTERISK_START_TIMEOUT: '40',
    ...(opts.ami ? { AMI_PORT: String(opts.ami.port), AMI_PASSWORD: opts.ami.password } : {}),
  };
  const secrets = [opts.ariPassword, ...(opts.ami ? [opts.ami.password] : [])];
  const redact = (s: string) => secrets.reduce((text, secret) => text.split(secret).join('<redacted>'), s);
  const step = async (command: 'start' | 'stop') => {
    const res = await run('bash', [script, command], env, command === 'start' ? 80_000 : 30_000);
    if (res.code !== 0) throw new Error(`scripts/asterisk.sh ${command} failed (exit ${res.code}):\n${redact(res.out)}`);
  };

  // A previous run killed half-way may have left its Asterisk behind: stop it, then start clean
  // (astdb keeps dynamically created endpoints, so the folder goes).
  await step('stop');
  rmSync(asteriskDir, { recursive: true, force: true });
  await step('start');

  let stopped = false;
  return {
    ariUrl: `http://127.0.0.1:${opts.ports.ari}`,
    username: 'leadline',
    password: opts.ariPassword,
    asteriskDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await step('stop');
    },
    async cli(command: string) {
      // Through the script: Asterisk runs in a mount namespace and root of its own.
      const res = await run('bash', [script, 'cli', command], env, 15_000);
      return res.out;
    },
    logTail(lines = 30) {
      try {
        return readFileSync(join(asteriskDir, 'log', 'messages'), 'utf8').split('\n').slice(-lines - 1).join('\n');
      } catch {
        return '';
      }
    },
  };
}
