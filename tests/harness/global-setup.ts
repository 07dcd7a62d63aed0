import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { asterisk, IT_DIR } from './it-env';

export default async function globalSetup(): Promise<void> {
  // An interrupted earlier run may have left its Asterisk behind: end it before clearing its folder.
  const conf = path.join(IT_DIR, 'asterisk', 'etc', 'asterisk.conf');
  try {
    execFileSync('pkill', ['-9', '-f', `asterisk -C ${conf}`]);
    await new Promise((r) => setTimeout(r, 300));
  } catch {
    // none running
  }
  rmSync(IT_DIR, { recursive: true, force: true });
  const started = Date.now();
  const handle = await asterisk();
  process.stderr.write(`\n[it] Asterisk up at ${handle.ariUrl} / sip ${handle.sipAddress} in ${Date.now() - started} ms\n`);
}
