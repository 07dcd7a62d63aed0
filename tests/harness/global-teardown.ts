import { stopAllSipp } from './sipp';
import { asterisk, IT_PG_DIR } from './it-env';
import { stopPostgresIn } from './postgres';

export default async function globalTeardown(): Promise<void> {
  await stopAllSipp();
  await (await asterisk()).stop();
  await stopPostgresIn(IT_PG_DIR);
}
