import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync, WriteStream } from 'node:fs';
import { requestJson } from './net';

const TAIL_BYTES = 8_000;

/** A Node child process (a server under test) with the tail of its output kept for error reports. */
export class Child {
  /** Every child started and not yet exited, so an exiting bench can kill them synchronously. */
  private static readonly live = new Set<Child>();
  private out = '';
  private exited: Promise<number | null>;
  private exitCode: number | null | undefined;

  private constructor(
    readonly name: string,
    private readonly proc: ChildProcess,
    log?: WriteStream,
  ) {
    const keep = (chunk: Buffer) => {
      this.out = (this.out + chunk.toString('utf8')).slice(-TAIL_BYTES);
      log?.write(chunk);
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => {
      proc.once('exit', (code, signal) => {
        Child.live.delete(this);
        this.exitCode = code ?? (signal ? null : 0);
        resolve(this.exitCode);
      });
      proc.once('error', (err) => {
        Child.live.delete(this);
        keep(Buffer.from(`\n[spawn error] ${err.message}\n`));
        this.exitCode = null;
        resolve(null);
      });
    });
  }

  /** Starts `node script` with exactly this environment (plus PATH); `logFile` gets all its output too. */
  static start(name: string, script: string, env: Record<string, string>, cwd: string, nodeArgs: string[] = [], logFile?: string): Child {
    const proc = spawn(process.execPath, [...nodeArgs, script], {
      cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log = logFile ? createWriteStream(logFile, { flags: 'a' }) : undefined;
    if (log) proc.once('exit', () => log.end());
    const child = new Child(name, proc, log);
    Child.live.add(child);
    return child;
  }

  /** SIGKILLs every child still running (for process 'exit', where nothing async can run). */
  static killAllNow(): void {
    for (const c of Child.live) c.killNow();
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  tail(): string {
    return this.out.trim();
  }

  /** User + system CPU time of the process so far, in ms (Linux /proc); undefined elsewhere. */
  cpuMs(): number | undefined {
    if (!this.proc.pid || !this.running) return undefined;
    try {
      const stat = readFileSync(`/proc/${this.proc.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // After "pid (comm) ": state is field 3, utime 14, stime 15 (1-based) → index 11, 12 here.
      const ticks = Number(fields[11]) + Number(fields[12]);
      return Number.isFinite(ticks) ? (ticks * 1000) / 100 : undefined; // USER_HZ is 100 on Linux
    } catch {
      return undefined;
    }
  }

  /** Resident memory of the process now, in MiB (Linux /proc); NaN elsewhere. */
  rssMiB(): number {
    if (!this.proc.pid || !this.running) return NaN;
    try {
      const kib = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${this.proc.pid}/status`, 'utf8'))?.[1];
      return kib === undefined ? NaN : Number(kib) / 1024;
    } catch {
      return NaN;
    }
  }

  /** Polls `url` until it answers with any HTTP status; fails when the child exits or time runs out. */
  async waitForHttp(url: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.running) throw new Error(`${this.name} exited (code ${String(this.exitCode)}) before answering ${url}:\n${this.tail()}`);
      try {
        await requestJson(url, { timeoutMs: 1_000 });
        return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`${this.name} did not answer ${url} within ${timeoutMs} ms:\n${this.tail()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** SIGTERM, then SIGKILL when it has not exited after `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    if (!this.running) return;
    this.proc.kill('SIGTERM');
    const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs).unref());
    if ((await Promise.race([this.exited, timer])) === 'timeout' && this.running) {
      this.proc.kill('SIGKILL');
      await this.exited;
    }
  }

  /** Last resort from a synchronous `exit` handler. */
  killNow(): void {
    if (this.running) this.proc.kill('SIGKILL');
  }
}
