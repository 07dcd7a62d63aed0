// Builds the leadline-desk npm package from the compiled daemon (run by `npm run build` after tsc):
// stages the files main.js needs, apps/desk/package.json, hardware/README.md as the package's
// README plus the udev rules and the systemd user unit, then `npm pack`s it into
// dist/desk/leadline-desk-<version>.tgz — the file the server offers for download.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Manifest, dependencyProblems, moduleClosure } from './desk-package.util';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');
const DIST = path.join(REPO, 'dist');
const DESK_PACKAGE_DIR = path.join(DIST, 'desk');

const readIfExists = (file: string): string | undefined => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Manifest;

function main(): void {
  const desk = readJson(path.join(REPO, 'apps/desk/package.json'));
  const closure = moduleClosure(path.join(DIST, 'apps/desk/src/main.js'), readIfExists);
  const problems = dependencyProblems(closure.packages, desk, readJson(path.join(REPO, 'package.json')));
  if (problems.length) throw new Error(`the desk package's dependencies are wrong:\n  ${problems.join('\n  ')}`);

  const stage = mkdtempSync(path.join(tmpdir(), 'leadline-desk-'));
  try {
    for (const file of closure.files) {
      const target = path.join(stage, path.relative(REPO, file));
      mkdirSync(path.dirname(target), { recursive: true });
      cpSync(file, target);
    }
    cpSync(path.join(REPO, 'apps/desk/package.json'), path.join(stage, 'package.json'));
    cpSync(path.join(REPO, 'hardware/README.md'), path.join(stage, 'README.md'));
    for (const file of ['60-leadline-busylights.rules', 'leadline-desk.service']) cpSync(path.join(REPO, 'hardware', file), path.join(stage, 'hardware', file));

    rmSync(DESK_PACKAGE_DIR, { recursive: true, force: true });
    mkdirSync(DESK_PACKAGE_DIR, { recursive: true });
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', DESK_PACKAGE_DIR], { cwd: stage, encoding: 'utf8' })) as { filename: string; size: number; entryCount: number }[];
    const { filename, size, entryCount } = packed[0]!;
    process.stdout.write(`[leadline] desk package dist/desk/${filename} (${entryCount} files, ${Math.round(size / 1024)} KiB; dependencies ${closure.packages.join(', ')})\n`);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

main();
