import type { Database, Statement } from 'better-sqlite3';

/** How many statements one SQLite connection keeps compiled (the least recently used go first). */
export const STATEMENT_CACHE_SIZE = 500;

/**
 * Makes `db.prepare` hand back the statement it already compiled for the same SQL text: knex
 * prepares every query it runs, and better-sqlite3 compiles the SQL each time. MikroORM's queries
 * reach it with their values bound (`bound-sqlite.ts`), so the same query with other values is
 * the same text. Reusing a statement is safe because knex runs each one to its end (`all` or
 * `run`, synchronous) before it prepares the next, and nothing on these connections iterates a
 * statement. A statement handed back again reads integers as a fresh one would
 * (`safeIntegers(false)`, better-sqlite3's default), whatever an earlier query set on it.
 */
export function cacheStatements(db: Database, size = STATEMENT_CACHE_SIZE): void {
  const prepare = db.prepare.bind(db);
  const compiled = new Map<string, Statement>();
  const cached = (sql: string): Statement => {
    let statement = compiled.get(sql);
    if (statement) {
      compiled.delete(sql);
      statement.safeIntegers(false);
    } else {
      statement = prepare(sql);
      if (compiled.size >= size) compiled.delete(compiled.keys().next().value as string);
    }
    compiled.set(sql, statement);
    return statement;
  };
  db.prepare = cached as Database['prepare'];
}
