// A throwaway Redis for the tests: Debian's redis-server on a loopback port of this slot, no
// persistence (no RDB, no AOF), its scratch folder under .tmp. Never the system Redis service.
import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import * as path from 'node:path';
import { IT_DIR, IT_PORT_BASE } from './it-env';

/** Offset 279 of this slot's port block: no SIPp range and no other slot uses it (see it-env.ts). */
export const IT_REDIS_PORT = IT_PORT_BASE + 279;
const REDIS_SERVER = '/usr/bin/redis-server';

export interface RedisHandle {
  url: string;
  port: number;
  /** SIGKILL (a crash); start() again brings it back on the same port, empty. */
  kill(): Promise<void>;
  /** SIGSTOP: takes what clients send and answers nothing (a hung machine) until kill(). */
  freeze(): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedis(port = IT_REDIS_PORT): Promise<RedisHandle> {
  const dir = path.join(IT_DIR, `redis-${port}`);
  mkdirSync(dir, { recursive: true });
  let child: ChildProcess | undefined;
  let output = '';
  const start = async () => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--protected-mode', 'yes'];
    const proc = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-5_000)));
    proc.stderr!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-5_000)));
    child = proc;
    const deadline = Date.now() + 5_000;
    while (!(await accepts(port))) {
      if (proc.exitCode !== null || Date.now() > deadline) {
        proc.kill('SIGKILL');
        throw new Error(`redis-server did not start on 127.0.0.1:${port}:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const end = async (signal: NodeJS.Signals) => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill(signal);
    await exited;
  };
  await start();
  const freeze = () => void child?.kill('SIGSTOP');
  return { url: `redis://127.0.0.1:${port}`, port, start, freeze, kill: () => end('SIGKILL'), stop: () => end('SIGTERM') };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
