// Counts the SQL statements a piece of server code runs, through the knex instance under MikroORM
// (both SQLite and PostgreSQL). The in-process server may run timers meanwhile, so callers look
// only at the statements on the tables they care about.
import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import type { INestApplication } from '@nestjs/common';

export async function recordQueries<T>(app: INestApplication, fn: () => Promise<T>): Promise<{ result: T; queries: string[] }> {
  const knex = (app.get(MikroORM).em as EntityManager).getKnex();
  const queries: string[] = [];
  const listener = (q: { sql: string }) => queries.push(q.sql);
  knex.on('query', listener);
  try {
    return { result: await fn(), queries };
  } finally {
    knex.off('query', listener);
  }
}

/** The statements that name one of `tables`. */
export const touching = (queries: string[], ...tables: string[]) => queries.filter((sql) => tables.some((t) => new RegExp(`\\b${t}\\b`).test(sql.replace(/["`]/g, ''))));
