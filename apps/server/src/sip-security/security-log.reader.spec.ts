import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SecurityLogReader } from './security-log.reader';

// A real file, appended to, rotated and truncated as Asterisk and logrotate do.
describe('SecurityLogReader', () => {
  let dir: string;
  let file: string;
  let lines: string[];
  let reader: SecurityLogReader;

  const until = async (check: () => boolean) => {
    const deadline = Date.now() + 3000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out; read so far: ${JSON.stringify(lines)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'seclog-'));
    file = path.join(dir, 'security');
    lines = [];
  });

  afterEach(() => {
    reader.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('skips what was there before it started, then reads new complete lines only', async () => {
    writeFileSync(file, 'old 1\nold 2\n');
    reader = new SecurityLogReader(file, (l) => lines.push(l), 20);
    await reader.start();
    appendFileSync(file, 'new 1\nnew 2 half');
    await until(() => lines.length === 1);
    appendFileSync(file, ' done\n');
    await until(() => lines.length === 2);
    expect(lines).toEqual(['new 1', 'new 2 half done']);
  });

  it('waits for a file that does not exist yet, and follows it through rotation and truncation', async () => {
    reader = new SecurityLogReader(file, (l) => lines.push(l), 20);
    await reader.start();
    writeFileSync(file, 'first\n');
    await until(() => lines.length === 1);
    renameSync(file, `${file}.0`);
    writeFileSync(file, 'after rotation\n');
    await until(() => lines.length === 2);
    // Truncated (copytruncate) and written again: noticed as a file shorter than what was read.
    writeFileSync(file, 'cut\n');
    await until(() => lines.length === 3);
    expect(lines).toEqual(['first', 'after rotation', 'cut']);
  });
});
