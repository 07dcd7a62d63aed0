// Every shell script of the project (scripts/, docker/, tests/docker/) passes shellcheck at warning level
// (Debian's shellcheck; no Dockerfile linter is packaged in Debian, so the Dockerfiles get the
// checks in compose.spec.ts instead).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';

const REPO = path.join(__dirname, '..', '..');

describe('shellcheck', () => {
  const scripts = ['scripts', 'docker', 'tests/docker'].flatMap((dir) => readdirSync(path.join(REPO, dir)).filter((f) => f.endsWith('.sh')).map((f) => path.join(dir, f)));

  it('finds the scripts', () => {
    expect(scripts).toEqual(expect.arrayContaining(['scripts/backup.sh', 'scripts/restore.sh', 'scripts/install-bare-metal.sh', 'scripts/asterisk.sh', 'scripts/asterisk-foreground.sh']));
  });

  it('reports no warning or error in any of them', () => {
    const run = spawnSync('shellcheck', ['--severity=warning', '--format=gcc', ...scripts], { cwd: REPO, encoding: 'utf8' });
    expect(run.error).toBeUndefined();
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('does report a real mistake (so the check above can fail)', () => {
    const run = spawnSync('shellcheck', ['--severity=warning', '--format=gcc', '-'], { input: '#!/usr/bin/env bash\nrm -rf "$DIR/"*\ncd $1\n', encoding: 'utf8' });
    expect(run.status).not.toBe(0);
    expect(run.stdout).toMatch(/SC2164|SC2115/);
  });
});
