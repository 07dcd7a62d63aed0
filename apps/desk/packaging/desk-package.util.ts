// What goes into the leadline-desk npm package, worked out from the compiled daemon itself: the
// files main.js reaches through relative require()s (the desk's own code and the parts of
// libs/busylight it uses — libs/contracts is types only, so nothing of it), and the packages it
// requires, which must be exactly the manifest's dependencies at the versions the repo runs.
// Pure: the caller passes how to read a file.
import { builtinModules } from 'node:module';
import * as path from 'node:path';

/** Every module name a compiled CommonJS file requires, in order of appearance. */
export function requiredModules(js: string): string[] {
  return [...js.matchAll(/\brequire\(\s*(["'])([^"']+)\1\s*\)/g)].map((m) => m[2]!);
}

const BUILTINS = new Set(builtinModules);
const isBuiltin = (spec: string) => spec.startsWith('node:') || BUILTINS.has(spec.split('/')[0]!);

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
export function packageNameOf(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

export interface Closure {
  /** Absolute paths of the JS files reached, sorted. */
  files: string[];
  /** Packages required from outside, sorted (Node built-ins left out). */
  packages: string[];
}

/** Follows relative requires from `entry`; `readFile` returns undefined for a missing file. */
export function moduleClosure(entry: string, readFile: (file: string) => string | undefined): Closure {
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = [entry];
  while (pending.length) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    const js = readFile(file);
    if (js === undefined) throw new Error(`${file} is missing (run the TypeScript build first)`);
    files.add(file);
    for (const spec of requiredModules(js)) {
      if (spec.startsWith('.')) pending.push(resolveRelative(path.resolve(path.dirname(file), spec), readFile, file));
      else if (!isBuiltin(spec)) packages.add(packageNameOf(spec));
    }
  }
  return { files: [...files].sort(), packages: [...packages].sort() };
}

function resolveRelative(base: string, readFile: (file: string) => string | undefined, from: string): string {
  for (const candidate of [base, `${base}.js`, path.join(base, 'index.js')]) {
    if (candidate.endsWith('.js') && readFile(candidate) !== undefined) return candidate;
  }
  throw new Error(`${from} requires ${base}, which is not in the build`);
}

export interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/**
 * What is wrong with the desk manifest: a package the code requires that it does not declare, one it
 * declares that the code never requires, or a version other than the one the repository installs
 * (and tests with).
 */
export function dependencyProblems(required: readonly string[], desk: Manifest, repo: Manifest): string[] {
  const declared = { ...desk.dependencies, ...desk.optionalDependencies };
  const pinned = { ...repo.dependencies, ...repo.optionalDependencies };
  const problems: string[] = [];
  for (const name of required) if (!(name in declared)) problems.push(`${name} is required by the daemon but not declared in apps/desk/package.json`);
  for (const [name, version] of Object.entries(declared)) {
    if (!required.includes(name)) problems.push(`${name} is declared in apps/desk/package.json but the daemon never requires it`);
    else if (pinned[name] !== version) problems.push(`${name}@${version} in apps/desk/package.json, but the repository pins ${pinned[name] ?? 'nothing'}`);
  }
  return problems;
}
