import type { Knex } from '@mikro-orm/knex';

/** The two databases Leadline runs on. */
export type SqlDialect = 'sqlite' | 'postgresql';

export function sqlDialectOf(knex: Knex): SqlDialect {
  const dialect = (knex.client as { dialect?: string }).dialect;
  if (dialect === 'sqlite3') return 'sqlite';
  if (dialect === 'postgresql') return 'postgresql';
  throw new Error(`unsupported database dialect: ${String(dialect)}`);
}

/**
 * Column types for portable migrations: the type MikroORM's own platform declares for each kind of
 * property, so both databases hold what the entities expect. SQLite: dates as `datetime` (MikroORM
 * writes epoch milliseconds there), booleans as `integer` 0/1, JSON as text in a `json` column.
 * PostgreSQL: `timestamptz`, `boolean`, `jsonb`. Strings are `text` on both.
 */
export interface ColumnTypes {
  text: string;
  integer: string;
  double: string;
  boolean: string;
  datetime: string;
  json: string;
}

const TYPES: Record<SqlDialect, ColumnTypes> = {
  sqlite: { text: 'text', integer: 'integer', double: 'double', boolean: 'integer', datetime: 'datetime', json: 'json' },
  postgresql: { text: 'text', integer: 'integer', double: 'double precision', boolean: 'boolean', datetime: 'timestamptz', json: 'jsonb' },
};

export function columnTypes(knex: Knex): ColumnTypes {
  return TYPES[sqlDialectOf(knex)];
}

/**
 * The SQL statements of a knex schema builder, for `Migration.addSql`. Refuses what cannot run as
 * plain statements (knex rebuilds SQLite tables for some ALTERs with code of its own, and bound
 * values would be lost): write those steps differently.
 */
export function schemaStatements(builder: Knex.SchemaBuilder): string[] {
  const compiled = builder.toSQL() as unknown as { sql?: unknown; bindings?: unknown[] }[];
  return compiled.map((q) => {
    if (typeof q.sql !== 'string' || (q.bindings && q.bindings.length)) throw new Error(`schema step is not a plain statement: ${JSON.stringify(q)}`);
    return q.sql;
  });
}
