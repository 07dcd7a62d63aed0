import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { BetterSqliteDriver } from '@mikro-orm/better-sqlite';
import { EntitySchema, MikroORM } from '@mikro-orm/core';
import type { AbstractSqlDriver, EntityManager } from '@mikro-orm/knex';
import Database from 'better-sqlite3';
import { bindableValues, BoundSqliteDriver } from './bound-sqlite';
import { mikroOrmOptions } from './mikro-orm.config';

interface Row {
  id: string;
  name: string;
  at: Date;
  flag: boolean;
  data: Record<string, unknown>;
  n: number;
  note?: string | null;
}

const RowSchema = new EntitySchema<Row>({
  name: 'Row',
  tableName: 'bound_row',
  properties: {
    id: { type: 'string', primary: true },
    name: { type: 'string' },
    at: { type: 'Date' },
    flag: { type: 'boolean' },
    data: { type: 'json' },
    n: { type: 'integer' },
    note: { type: 'string', nullable: true },
  },
});

describe('BoundSqliteDriver', () => {
  let dir: string;
  const orms: MikroORM<AbstractSqlDriver>[] = [];

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'bound-sqlite-'));
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await Promise.all(orms.splice(0).map((o) => o.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  /** An ORM on Leadline's SQLite options (pragmas, statement cache) with the test entity, and `driver`. */
  async function open(file: string, driver: typeof BoundSqliteDriver | typeof BetterSqliteDriver): Promise<EntityManager> {
    const orm = await MikroORM.init<AbstractSqlDriver>({ ...mikroOrmOptions({ kind: 'sqlite', path: path.join(dir, file) }), entities: [RowSchema], driver });
    orms.push(orm);
    await orm.schema.createSchema();
    return orm.em.fork() as EntityManager;
  }

  const at = new Date('2026-12-07T01:02:03.456Z');
  const row = (id: string, n: number): Row => ({ id, name: `it's row ${id}`, at, flag: true, data: { nested: { n }, list: [1, 'two'] }, n, note: null });

  /** Every column as SQLite stored it: its type and its value. */
  const stored = (em: EntityManager) =>
    em.getConnection().execute('select id, typeof(name) tn, name, typeof(at) ta, at, typeof(flag) tf, flag, typeof(data) td, data, typeof(n) tnn, n, typeof(note) tno from bound_row order by id');

  it('is what Leadline runs on SQLite', () => {
    expect(mikroOrmOptions({ kind: 'sqlite', path: ':memory:' }).driver).toBe(BoundSqliteDriver);
  });

  it('stores and finds exactly what MikroORM stores when it writes the values into the text', async () => {
    const bound = await open('bound.sqlite', BoundSqliteDriver);
    const formatted = await open('formatted.sqlite', BetterSqliteDriver);
    for (const em of [bound, formatted]) {
      await em.insertMany(RowSchema, [row('a', 1), row('b', 2)]);
      await em.nativeUpdate(RowSchema, { id: 'b' }, { flag: false, n: 3, note: 'x?y', at: new Date(at.getTime() + 1) });
      em.persist(em.create(RowSchema, row('c', 4)));
      await em.flush();
    }
    expect(await stored(bound)).toEqual(await stored(formatted));
    const rows = (await stored(bound)) as Record<string, unknown>[];
    expect(rows[0]).toMatchObject({ tn: 'text', ta: 'integer', at: at.getTime(), tf: 'integer', flag: 1, td: 'text', tnn: 'integer', tno: 'null' });

    // Reads with dates, booleans, lists and text with quotes and question marks find the same rows.
    const query = { at: { $lte: at }, flag: true, n: { $in: [1, 4] }, name: { $like: "it's%" } };
    const found = await bound.fork().find(RowSchema, query, { orderBy: { id: 'asc' } });
    expect(found.map((r) => r.id)).toEqual(['a', 'c']);
    expect(found[0]).toMatchObject({ at, flag: true, data: { nested: { n: 1 }, list: [1, 'two'] } });
    expect((await formatted.fork().find(RowSchema, query, { orderBy: { id: 'asc' } })).map((r) => r.id)).toEqual(['a', 'c']);
    expect(await bound.fork().findOne(RowSchema, { note: 'x?y' })).toMatchObject({ id: 'b', flag: false, n: 3 });
  });

  it("compiles the ORM's same query with other values once", async () => {
    // Spied before the pool opens its connection: the statement cache wraps the connection's prepare then.
    const compiled = jest.spyOn(Database.prototype, 'prepare');
    const em = await open('bound.sqlite', BoundSqliteDriver);
    await em.insertMany(RowSchema, [row('a', 1), row('b', 2), row('c', 3)]);
    for (const [id, n] of [['a', 10], ['b', 20], ['c', 30]] as const) await em.fork().nativeUpdate(RowSchema, { id }, { n });
    const updates = compiled.mock.calls.map(([sql]) => sql).filter((sql) => /^update/i.test(sql));
    expect(updates).toEqual([expect.stringMatching(/^update `bound_row` set `n` = \? where `id` = \?$/)]);
    expect((await stored(em)).map((r: Record<string, unknown>) => r.n)).toEqual([10, 20, 30]);
  });

  it('runs a query whose values cannot be bound as MikroORM runs it', async () => {
    const em = await open('bound.sqlite', BoundSqliteDriver);
    await em.insertMany(RowSchema, [row('a', 1), row('b', 2)]);
    const conn = em.getConnection();
    // An identifier (??), a list written into the text, an escaped question mark.
    expect(await conn.execute('select ?? as v from bound_row where id = ?', ['n', 'b'])).toEqual([{ v: 2 }]);
    expect(await conn.execute('select id from bound_row where n in (?) order by id', [[1, 2]])).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(await conn.execute("select 'a\\?' as q, ? as v", [1])).toEqual([{ q: 'a?', v: 1 }]);
  });

  it('binds plain values, JSON as its text, and leaves the rest to be written in', () => {
    const when = new Date(5);
    expect(bindableValues('select ?, ?, ?, ?, ?, ?', ['x', 1, true, when, null, undefined])).toEqual(['x', 1, true, when, null, null]);
    expect(bindableValues('select ?', [{ a: [1] }])).toEqual(['{"a":[1]}']);
    expect(bindableValues('select ?', [[1, 2]])).toBeUndefined();
    expect(bindableValues('select ??', ['id'])).toBeUndefined();
    expect(bindableValues('select \\?, ?', [1])).toBeUndefined();
    expect(bindableValues('select ?', [new (class Money {})()])).toBeUndefined();
  });
});
