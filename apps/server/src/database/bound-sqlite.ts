import { BetterSqliteConnection, BetterSqlitePlatform } from '@mikro-orm/better-sqlite';
import { type AnyEntity, type Configuration, type EntityData, JsonProperty, type LoggingOptions, type QueryResult, type Transaction, Utils } from '@mikro-orm/core';
import { AbstractSqlDriver } from '@mikro-orm/knex';
import type { Knex } from 'knex';

/**
 * A query's values as SQLite binds them, or undefined when one of them must stay written into
 * the text (an array, raw SQL, another class's instance) or the text escapes a `?` or names an
 * identifier with `??`. Dates and booleans are bound as knex's better-sqlite3 dialect converts them
 * (milliseconds, 1/0): the numbers MikroORM's SQLite platform writes for them (`quoteValue`).
 * JSON values are bound as the text MikroORM writes (`JSON.stringify`).
 */
export function bindableValues(sql: string, params: readonly unknown[]): unknown[] | undefined {
  if (sql.includes('??') || sql.includes('\\?')) return undefined;
  const values: unknown[] = [];
  for (const v of params) {
    if (v === null || v === undefined) values.push(null);
    else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || v instanceof Date || Buffer.isBuffer(v)) values.push(v);
    else if (Utils.isPlainObject(v) || (v as { [JsonProperty]?: unknown })[JsonProperty]) values.push(JSON.stringify(v));
    else return undefined;
  }
  return values;
}

/**
 * MikroORM's better-sqlite3 connection, with the values of its queries bound rather than written
 * into their text: MikroORM 6 formats every query's values into its SQL (`platform.formatQuery`),
 * so each one's text was new, and better-sqlite3 compiled every query it ran. Bound, the same
 * query with other values has the same text, and the connection's statement cache
 * (`statement-cache.ts`) hands back the statement it compiled. A query whose values cannot all be
 * bound (`bindableValues`) runs as MikroORM runs it.
 */
export class BoundSqliteConnection extends BetterSqliteConnection {
  override async execute<T extends QueryResult | EntityData<AnyEntity> | EntityData<AnyEntity>[] = EntityData<AnyEntity>[]>(
    queryOrKnex: string | Knex.QueryBuilder | Knex.Raw,
    params: unknown[] = [],
    method: 'all' | 'get' | 'run' = 'all',
    ctx?: Transaction,
    loggerContext?: LoggingOptions,
  ): Promise<T> {
    if (typeof queryOrKnex !== 'string' || !params.length) return super.execute<T>(queryOrKnex, params, method, ctx, loggerContext);
    const sql = this.config.get('onQuery')(queryOrKnex, params);
    const values = bindableValues(sql, params);
    if (!values) return super.execute<T>(queryOrKnex, params, method, ctx, loggerContext);
    await this.ensureConnection();
    return this.executeQuery(
      this.logged(sql, params, loggerContext),
      async () => {
        const query = this.getKnex().raw(sql, values as Knex.RawBinding[]);
        if (ctx) query.transacting(ctx as Knex.Transaction);
        return this.transformRawResult<T>(await query, method);
      },
      { query: sql, params, ...loggerContext },
    );
  }

  /** The query as MikroORM logs it (its values written in only when the log shows them). */
  private logged(sql: string, params: unknown[], context?: LoggingOptions): string {
    const logger = this.config.getLogger();
    if (!logger.isEnabled('query', context)) return sql;
    return logger.isEnabled('query-params', context) ? this.platform.formatQuery(sql, params) : sql;
  }
}

/** MikroORM's better-sqlite3 driver on `BoundSqliteConnection`. */
export class BoundSqliteDriver extends AbstractSqlDriver<BoundSqliteConnection> {
  constructor(config: Configuration) {
    super(config, new BetterSqlitePlatform(), BoundSqliteConnection, ['knex', 'better-sqlite3']);
  }
}
