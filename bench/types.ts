/** What every benchmark module gets from the runner. */
export interface BenchContext {
  /** The repository root (where package.json is). */
  readonly repoRoot: string;
  /** Progress lines for the person watching (stdout). */
  progress(line: string): void;
  /** Registers cleanup that must run at the end, also on failure or Ctrl-C (stop children, remove temp dirs). */
  onCleanup(fn: () => Promise<void> | void): void;
}

/** What a benchmark module hands back. */
export interface BenchOutcome {
  /** The `## ` heading of its section in docs/benchmarks.md (without the hashes). */
  heading: string;
  /** The section body in Markdown (without the heading). */
  markdown: string;
  /** A plain-text report for stdout. */
  text: string;
  /** Problems that make the run invalid (errors, wrong answers): the bench exits 1 when any. */
  failures: string[];
}

export interface BenchModule {
  /** Short name, used to pick modules on the command line (`node dist/bench/run.js action-post`). */
  readonly name: string;
  run(ctx: BenchContext): Promise<BenchOutcome>;
}
