import { rmSync } from 'node:fs';
import { asterisk, IT_DIR } from './it-env';

export default async function globalSetup(): Promise<void> {
  rmSync(IT_DIR, { recursive: true, force: true });
  const started = Date.now();
  const handle = await asterisk();
  process.stderr.write(`\n[it] Asterisk up at ${handle.ariUrl} / sip ${handle.sipAddress} in ${Date.now() - started} ms\n`);
}
