import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261121234155 } from './migrations/Migration20261121234155';

// Every migration, in order. Listed explicitly so the compiled server needs no file globbing.
export const MIGRATIONS: MigrationObject[] = [{ name: 'Migration20261121234155', class: Migration20261121234155 }];
