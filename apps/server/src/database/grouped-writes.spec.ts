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
