// `npm run bench`: runs the benchmark modules one after another, prints their reports and writes
// their sections into docs/benchmarks.md. Exits 1 when a module failed or saw request errors.
// `node dist/bench/run.js action-post` runs only the named modules.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { actionPostBench } from './action-post';
import { ringAllBench } from './ring-all';
import { distributeAllBench } from './distribute-all';
import { inboundBench } from './inbound';
import { postgresBench } from './postgres';
import { reportsBench } from './reports';
import { webhooksBench } from './webhooks';
import { restartBench } from './restart';
import { authBench } from './auth';
import { Child } from './children';
import { writeSections } from './markdown';
import type { BenchContext, BenchModule, BenchOutcome } from './types';

const MODULES: BenchModule[] = [actionPostBench, ringAllBench, distributeAllBench, inboundBench, postgresBench, reportsBench, webhooksBench, restartBench, authBench];

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** The folder holding Leadline's package.json, from dist/bench or bench. */
function findRepoRoot(from: string): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      const parsed: unknown = JSON.parse(readFileSync(pkg, 'utf8'));
      if (typeof parsed === 'object' && parsed !== null && 'name' in parsed && parsed.name === 'leadline') return dir;
    }
    if (dirname(dir) === dir) throw new Error(`no Leadline package.json above ${from}`);
  }
}

const cleanups: (() => Promise<void> | void)[] = [];

async function cleanUp(): Promise<void> {
  while (cleanups.length) {
    const fn = cleanups.pop();
    try {
      await fn?.();
    } catch (err) {
      process.stderr.write(`cleanup failed: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
}

async function main(): Promise<number> {
  const repoRoot = findRepoRoot(__dirname);
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !MODULES.some((m) => m.name === w));
  if (unknown.length) {
    process.stderr.write(`unknown bench module(s): ${unknown.join(', ')}; known: ${MODULES.map((m) => m.name).join(', ')}\n`);
    return 2;
  }
  const modules = wanted.length ? MODULES.filter((m) => wanted.includes(m.name)) : MODULES;
  const ctx: BenchContext = {
    repoRoot,
    progress: (line) => out(`  ${line}`),
    onCleanup: (fn) => cleanups.push(fn),
  };

  const outcomes: BenchOutcome[] = [];
  let failed = false;
  for (const m of modules) {
    out(`\n=== ${m.name} ===`);
    try {
      const outcome = await m.run(ctx);
      outcomes.push(outcome);
      out(`\n${outcome.heading}\n\n${outcome.text}`);
      if (outcome.failures.length) failed = true;
    } catch (err) {
      failed = true;
      process.stderr.write(`\n${m.name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    } finally {
      await cleanUp();
    }
  }

  // Only clean runs are recorded: a run with request errors says nothing about throughput.
  const clean = outcomes.filter((o) => !o.failures.length);
  if (clean.length) {
    const file = join(repoRoot, 'docs/benchmarks.md');
    writeSections(file, clean);
    out(`\nwrote ${clean.map((o) => `"${o.heading}"`).join(', ')} to ${file}`);
  }
  if (failed) out('\nFAILED: see the errors above (docs/benchmarks.md keeps only clean runs).');
  return failed ? 1 : 0;
}

process.on('exit', () => Child.killAllNow());
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal}: stopping the servers…\n`);
    void cleanUp().finally(() => process.exit(130));
  });
}

main().then(
  async (code) => {
    await cleanUp();
    process.exit(code);
  },
  async (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    await cleanUp();
    process.exit(1);
  },
);
