// The schema comes only from migrations, applied at start: a fresh data dir (or, with
// LEADLINE_TEST_DB=postgres, a fresh database) gets every table, every column and every index the
// entities declare; a second start on the same database applies nothing and keeps the data. Read
// back with a connection of its own, as an operator would.
import { MikroORM } from '@mikro-orm/core';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { knex } from '@mikro-orm/knex';
import type { DatabaseConfig } from '../../apps/server/src/config/app-config';
import { MIGRATIONS } from '../../apps/server/src/database/migration-list';
import { aLead, createCampaign, createUser, postLead, prospectCount } from '../factories';
import { IT_DATABASE, IT_DIR } from '../harness/it-env';
import { ADMIN, startServer, TestServer } from '../harness/server';

/** Runs one read-only query on the server's database (a separate connection). */
async function query<T = Record<string, unknown>>(database: DatabaseConfig, sql: string): Promise<T[]> {
  if (database.kind === 'sqlite') {
    const db = new Database(database.path, { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql).all() as T[];
    } finally {
      db.close();
    }
  }
  const client = knex({ client: 'pg', connection: database.url, pool: { min: 0, max: 1 } });
  try {
    return ((await client.raw(sql)) as { rows: T[] }).rows;
  } finally {
    await client.destroy();
  }
}

const tablesOf = async (db: DatabaseConfig) =>
  (
    await query<{ name: string }>(
      db,
      db.kind === 'sqlite'
        ? "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name"
        : "select table_name as name from information_schema.tables where table_schema = 'public' order by table_name",
    )
  ).map((r) => r.name);

const columnsOf = async (db: DatabaseConfig, table: string) =>
  new Set(
    (
      await query<{ name: string }>(
        db,
        db.kind === 'sqlite' ? `pragma table_info(\`${table}\`)` : `select column_name as name from information_schema.columns where table_schema = 'public' and table_name = '${table}'`,
      )
    ).map((c) => c.name),
  );

interface IndexInfo {
  unique: boolean;
  columns: string[];
}

/** Every index of a table (primary keys included), with its columns in order. */
async function indexesOf(db: DatabaseConfig, table: string): Promise<IndexInfo[]> {
  if (db.kind === 'sqlite') {
    const list = await query<{ name: string; unique: number }>(db, `pragma index_list(\`${table}\`)`);
    return Promise.all(list.map(async (i) => ({ unique: i.unique === 1, columns: (await query<{ name: string }>(db, `pragma index_info(\`${i.name}\`)`)).map((c) => c.name) })));
  }
  const rows = await query<{ unique: boolean; columns: string[] }>(
    db,
    `select ix.indisunique as unique, array(select a.attname from unnest(ix.indkey) with ordinality k(attnum, n) join pg_attribute a on a.attrelid = ix.indrelid and a.attnum = k.attnum order by k.n)::text[] as columns
       from pg_index ix join pg_class t on t.oid = ix.indrelid where t.relname = '${table}' and t.relnamespace = 'public'::regnamespace`,
  );
  return rows.map((r) => ({ unique: r.unique, columns: r.columns }));
}

const migrationRows = async (db: DatabaseConfig) =>
  (await query<{ id: number; name: string; executed_at: unknown }>(db, 'select id, name, executed_at from mikro_orm_migrations order by id')).map((r) => ({ ...r, executed_at: String(r.executed_at) }));

describe(`database migrations (real ${IT_DATABASE === 'postgres' ? 'PostgreSQL' : 'SQLite file'})`, () => {
  const dataDir = path.join(IT_DIR, `migrations-${process.pid}-${Date.now().toString(36)}`, 'fresh');
  let server: TestServer | undefined;
  let db: DatabaseConfig;
  let firstRun: { migrations: Awaited<ReturnType<typeof migrationRows>>; campaignId: string; userId: string; prospects: number; token: string };

  afterAll(async () => {
    await server?.close();
  });

  it('creates every table in a fresh data dir and records the migrations', async () => {
    expect(existsSync(dataDir)).toBe(false);
    server = await startServer({ LEADLINE_DATA_DIR: dataDir });
    db = server.config.database;
    if (IT_DATABASE === 'sqlite') {
      expect(db).toEqual({ kind: 'sqlite', path: path.join(dataDir, 'leadline.db') });
      expect(existsSync(path.join(dataDir, 'leadline.db'))).toBe(true);
    } else {
      expect(db.kind).toBe('postgresql');
    }

    const tables = await tablesOf(db);
    // every entity's table (pivot tables included), as the running ORM maps them
    const orm = server.app.get(MikroORM);
    const mapped = Object.values(orm.getMetadata().getAll())
      .filter((meta) => !meta.embeddable && !meta.virtual && meta.tableName)
      .map((meta) => meta.tableName);
    expect(mapped.length).toBeGreaterThan(0);
    expect(tables).toEqual(expect.arrayContaining([...new Set(mapped)]));
    expect(tables).toEqual(expect.arrayContaining(['org', 'app_user', 'campaign', 'distribution_group', 'distribution_group_member', 'prospect', 'prospect_phone', 'application', 'call_activity', 'local_presence_number', 'local_presence_mapping', 'mikro_orm_migrations']));

    // every migration the server ships, once each, in order
    const rows = await migrationRows(db);
    expect(rows.map((r) => r.name.replace(/\.[jt]s$/, ''))).toEqual(MIGRATIONS.map((m) => m.name));
    expect(await orm.getMigrator().getPendingMigrations()).toEqual([]);

    // every column an entity maps exists, and every unique key and index it declares (the unique
    // ones guard invariants: one prospect per phone in a campaign, one application per prospect …)
    // (MikroORM's own SQLite diff is not used: it reports spurious rebuilds of every table with an
    // enum check constraint)
    const missing: string[] = [];
    let checked = 0;
    let indexesChecked = 0;
    for (const meta of Object.values(orm.getMetadata().getAll())) {
      if (meta.embeddable || meta.virtual || !meta.tableName) continue;
      const columns = await columnsOf(db, meta.tableName);
      const fieldsOf = (props: string | string[] | undefined) => [props ?? []].flat().flatMap((p) => meta.properties[p]?.fieldNames ?? [p]);
      for (const prop of meta.props) {
        if (prop.persist === false || prop.kind === '1:m' || prop.kind === 'm:n' || (prop.kind === '1:1' && !prop.owner)) continue;
        for (const field of prop.fieldNames ?? []) {
          checked++;
          if (!columns.has(field)) missing.push(`${meta.tableName}.${field}`);
        }
      }
      const wanted: IndexInfo[] = [
        ...meta.uniques.map((u) => ({ unique: true, columns: fieldsOf(u.properties as string | string[]) })),
        ...meta.indexes.map((i) => ({ unique: false, columns: fieldsOf(i.properties as string | string[]) })),
        ...meta.props.filter((p) => p.unique === true).map((p) => ({ unique: true, columns: p.fieldNames })),
        ...meta.props.filter((p) => p.index === true).map((p) => ({ unique: false, columns: p.fieldNames })),
      ];
      const present = await indexesOf(db, meta.tableName);
      for (const w of wanted) {
        indexesChecked++;
        // A unique key must be a unique index on exactly its columns; a plain index is served by
        // any index that starts with its columns (a composite index serves lookups on its prefix).
        const found = present.some((p) => (w.unique ? p.unique && p.columns.join() === w.columns.join() : p.columns.slice(0, w.columns.length).join() === w.columns.join()));
        if (!found) missing.push(`${w.unique ? 'unique ' : ''}index ${meta.tableName}(${w.columns.join(', ')})`);
      }
    }
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(50);
    expect(indexesChecked).toBeGreaterThan(10);
    expect(await indexesOf(db, 'prospect_phone')).toContainEqual({ unique: true, columns: ['campaign_id', 'phone'] });

    // SQLite runs in WAL mode (persisted in the file)
    if (db.kind === 'sqlite') expect(await query(db, 'pragma journal_mode')).toEqual([{ journal_mode: 'wal' }]);

    // the first start created the org and its admin
    expect(await query(db, 'select count(*) as n from org')).toEqual([{ n: db.kind === 'sqlite' ? 1 : '1' }]);
    expect(await query(db, 'select email, role from app_user')).toEqual([{ email: ADMIN.email, role: 'admin' }]);

    // some data for the second start
    const token = await server.login();
    const campaign = await createCampaign(server, token);
    const user = await createUser(server, token, { role: 'agent' });
    const posted = await postLead(server, campaign, aLead());
    expect([posted.status, posted.body.StatusCode, posted.body.Message]).toEqual([200, 1, expect.any(String)]);
    firstRun = { migrations: rows, campaignId: campaign.id, userId: user.id, prospects: await prospectCount(server, token), token };
  });

  it('applies nothing on a second start on the same database and keeps the data', async () => {
    expect(firstRun).toBeDefined();
    await server!.close();
    server = undefined;

    server = await startServer({ LEADLINE_DATA_DIR: dataDir, LEADLINE_ADMIN_PASSWORD: 'a-different-password-1' });
    expect(server.config.database).toEqual(db);
    expect(await migrationRows(db)).toEqual(firstRun.migrations);
    expect(await server.app.get(MikroORM).getMigrator().getPendingMigrations()).toEqual([]);

    // no second org or admin; the first admin keeps the password it was created with
    expect(await query(db, 'select count(*) as n from org')).toEqual([{ n: db.kind === 'sqlite' ? 1 : '1' }]);
    const token = await server.login(ADMIN.email, ADMIN.password);
    expect((await server.request('POST', '/api/auth/login', { body: { email: ADMIN.email, password: 'a-different-password-1' } })).status).toBe(401);

    expect((await server.request('GET', `/api/campaigns/${firstRun.campaignId}`, { token })).status).toBe(200);
    expect((await server.request('GET', `/api/users/${firstRun.userId}`, { token })).status).toBe(200);
    expect(await prospectCount(server, token)).toBe(firstRun.prospects);
    // a token signed before the restart is still valid (the generated JWT secret is kept in the data dir)
    expect(existsSync(path.join(dataDir, 'jwt-secret'))).toBe(true);
    expect((await server.request('GET', '/api/me', { token: firstRun.token })).status).toBe(200);
  });
});
