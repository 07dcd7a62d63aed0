import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { MikroORM } from '@mikro-orm/core';
import type { AbstractSqlDriver } from '@mikro-orm/knex';
import Database from 'better-sqlite3';
import { mikroOrmOptions } from './mikro-orm.config';
import { cacheStatements } from './statement-cache';

describe('cacheStatements', () => {
  let dir: string;
  let db: Database.Database;
  let compiled: string[];

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'statement-cache-'));
    db = new Database(path.join(dir, 'db.sqlite'));
    db.exec('create table t (id integer primary key, v text)');
    compiled = [];
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => {
      compiled.push(sql);
      return prepare(sql);
    }) as typeof db.prepare;
  });

  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('hands back the statement already compiled for the same SQL, which runs with new values', () => {
    cacheStatements(db);
    const insert = 'insert into t (v) values (?)';
    const first = db.prepare(insert);
    first.run('a');
    const again = db.prepare(insert);
    again.run('b');
    expect(again).toBe(first);
    expect(compiled).toEqual([insert]);
    expect(db.prepare('select v from t order by id').all()).toEqual([{ v: 'a' }, { v: 'b' }]);
  });

  it('keeps the most recently used statements and compiles an evicted one again', () => {
    cacheStatements(db, 2);
    const [a, b, c] = ['select 1', 'select 2', 'select 3'];
    db.prepare(a);
    db.prepare(b);
    db.prepare(a); // a is now the most recently used: c pushes b out
    db.prepare(c);
    db.prepare(a);
    db.prepare(b);
    expect(compiled).toEqual([a, b, c, b]);
  });

  it('a statement handed back reads integers as numbers, whatever an earlier query set', () => {
    cacheStatements(db);
    db.prepare('select 42 as n').safeIntegers(true);
    expect(db.prepare('select 42 as n').get()).toEqual({ n: 42 });
  });

  it("a query repeated on MikroORM's SQLite connection is compiled once", async () => {
    // Spied before the pool opens its connection: the cache wraps the connection's prepare then.
    const native = jest.spyOn(Database.prototype, 'prepare');
    const orm = await MikroORM.init<AbstractSqlDriver>(mikroOrmOptions({ kind: 'sqlite', path: path.join(dir, 'orm.sqlite') }));
    try {
      // Through the ORM's own knex, with the values bound (the ORM's own queries: bound-sqlite.spec.ts).
      const knex = orm.em.getConnection().getKnex();
      const query = 'select ? + 1 as n';
      expect(await knex.raw(query, [1])).toEqual([{ n: 2 }]);
      const compiledFor = () => native.mock.calls.filter(([sql]) => sql === query).length;
      expect(compiledFor()).toBe(1);
      expect(await knex.raw(query, [41])).toEqual([{ n: 42 }]);
      expect(compiledFor()).toBe(1);
    } finally {
      native.mockRestore();
      await orm.close();
    }
  });
});
