import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { MikroORM } from '@mikro-orm/core';
import type { AbstractSqlDriver, EntityManager } from '@mikro-orm/knex';
import { GroupedWrites } from './grouped-writes';
import { mikroOrmOptions } from './mikro-orm.config';

describe('GroupedWrites (SQLite)', () => {
  let dir: string;
  let orm: MikroORM<AbstractSqlDriver>;
  let em: EntityManager;
  let statements: string[];
  const listener = (q: { sql: string }) => statements.push(q.sql.toLowerCase());

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'grouped-writes-'));
    orm = await MikroORM.init<AbstractSqlDriver>(mikroOrmOptions({ kind: 'sqlite', path: path.join(dir, 'db.sqlite') }));
    em = orm.em as EntityManager;
    await em.getConnection().execute('create table t (id integer primary key, v text)');
    statements = [];
    em.getKnex().on('query', listener);
  });

  afterEach(async () => {
    em.getKnex().off('query', listener);
    await orm.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = (id: number, v: string) => (tx: EntityManager) => tx.execute('insert into t (id, v) values (?, ?)', [id, v], 'run');
  const rows = () => em.getConnection().execute<{ id: number; v: string }[]>('select id, v from t order by id');
  const commits = () => statements.filter((s) => /^commit/.test(s)).length;

  it('writes asked for together share one commit, and each caller gets its own result', async () => {
    const group = new GroupedWrites(em);
    const results = await Promise.all([1, 2, 3].map((n) => group.run(async (tx) => (await insert(n, `v${n}`)(tx), n * 10))));
    expect(results).toEqual([10, 20, 30]);
    expect(commits()).toBe(1);
    expect(await rows()).toEqual([{ id: 1, v: 'v1' }, { id: 2, v: 'v2' }, { id: 3, v: 'v3' }]);
  });

  it('a write that fails is undone alone: its caller gets the error, the others commit', async () => {
    await insert(9, 'taken')(em);
    const group = new GroupedWrites(em);
    const settled = await Promise.allSettled([
      group.run(insert(1, 'a')),
      group.run(async (tx) => {
        await insert(2, 'undone with its own write')(tx);
        await insert(9, 'a duplicate key')(tx);
      }),
      group.run(insert(3, 'c')),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((settled[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE constraint failed/);
    expect(commits()).toBe(1);
    expect(await rows()).toEqual([{ id: 1, v: 'a' }, { id: 3, v: 'c' }, { id: 9, v: 'taken' }]);
  });

  it('writes asked for one after another commit one after another, in order', async () => {
    const group = new GroupedWrites(em);
    await group.run(insert(1, 'first'));
    expect(await rows()).toEqual([{ id: 1, v: 'first' }]);
    await group.run((tx) => tx.execute("update t set v = 'second' where id = 1", [], 'run'));
    expect(commits()).toBe(2);
    expect(await rows()).toEqual([{ id: 1, v: 'second' }]);
  });

  it('plain statements asked for together share one commit of prepared statements (no ORM transaction), each caller getting its rows changed', async () => {
    await insert(1, 'one')(em);
    statements = [];
    const group = new GroupedWrites(em);
    const changed = await Promise.all([
      group.sqlStatement('set_v', 'update t set v = ? where id = ?', ['uno', 1]),
      group.sqlStatement('set_v', 'update t set v = ? where id = ?', ['nobody', 7]),
      group.sqlStatement('add', 'insert into t (id, v) values (?, ?)', [2, 'two']),
    ]);
    expect(changed).toEqual([1, 0, 1]);
    expect(statements.filter((s) => /^(begin|commit)/.test(s))).toEqual(['begin immediate', 'commit']);
    expect(statements.filter((s) => /^savepoint/.test(s))).toHaveLength(3);
    expect(await rows()).toEqual([{ id: 1, v: 'uno' }, { id: 2, v: 'two' }]);
  });

  it('a plain statement that fails is undone alone; its caller gets the error, the others commit', async () => {
    await insert(9, 'taken')(em);
    const group = new GroupedWrites(em);
    const settled = await Promise.allSettled([
      group.sqlStatement('add', 'insert into t (id, v) values (?, ?)', [1, 'a']),
      group.sqlStatement('add', 'insert into t (id, v) values (?, ?)', [9, 'a duplicate key']),
      group.sqlStatement('add', 'insert into t (id, v) values (?, ?)', [3, 'c']),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((settled[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE constraint failed/);
    expect(await rows()).toEqual([{ id: 1, v: 'a' }, { id: 3, v: 'c' }, { id: 9, v: 'taken' }]);
  });

  it('plain statements and writes through MikroORM asked for together share one commit, applied in the order asked', async () => {
    const group = new GroupedWrites(em);
    const changed = await Promise.all([
      group.sqlStatement('add', 'insert into t (id, v) values (?, ?)', [1, 'plain']),
      group.run((tx) => tx.execute("update t set v = 'orm after plain' where id = 1", [], 'run')),
      group.sqlStatement('set_v', 'update t set v = ? where id = ?', ['plain after orm', 1]),
    ]);
    expect(changed[0]).toBe(1);
    expect(changed[2]).toBe(1);
    expect(commits()).toBe(1);
    expect(await rows()).toEqual([{ id: 1, v: 'plain after orm' }]);
  });

  it('a write asked for while a group is committing waits for the next group', async () => {
    const group = new GroupedWrites(em);
    let later: Promise<unknown> | undefined;
    await group.run(async (tx) => {
      later = group.run(insert(2, 'next group'));
      await insert(1, 'this group')(tx);
    });
    await later;
    expect(commits()).toBe(2);
    expect(await rows()).toEqual([{ id: 1, v: 'this group' }, { id: 2, v: 'next group' }]);
  });
});
