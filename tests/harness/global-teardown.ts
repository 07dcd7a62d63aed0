import { stopAllSipp } from './sipp';
import { asterisk } from './it-env';

export default async function globalTeardown(): Promise<void> {
  await stopAllSipp();
  await (await asterisk()).stop();
}
