// Counts the SQL statements a piece of server code runs, through the knex instance under MikroORM
// (both SQLite and PostgreSQL). The in-process server runs timers meanwhile (the webhook
// dispatcher's polls, sweeps): by default only the statements `fn` itself runs are kept, told apart
// by its async context; `meanwhile: true` keeps everything run in the window (for work `fn` hands
// to a queue that runs elsewhere), and callers then look only at the tables they care about.
import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import type { INestApplication } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';

const running = new AsyncLocalStorage<string[]>();

export async function recordQueries<T>(app: INestApplication, fn: () => Promise<T>, opts: { meanwhile?: boolean } = {}): Promise<{ result: T; queries: string[] }> {
  const knex = (app.get(MikroORM).em as EntityManager).getKnex();
  const queries: string[] = [];
  const listener = (q: { sql: string }) => {
    if (opts.meanwhile || running.getStore() === queries) queries.push(q.sql);
  };
  knex.on('query', listener);
  try {
    return { result: await running.run(queries, fn), queries };
  } finally {
    knex.off('query', listener);
  }
}

/** The statements that name one of `tables`. */
export const touching = (queries: string[], ...tables: string[]) => queries.filter((sql) => tables.some((t) => new RegExp(`\\b${t}\\b`).test(sql.replace(/["`]/g, ''))));
