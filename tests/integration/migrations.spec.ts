// The schema comes only from migrations, applied at start: a fresh data dir gets every table, a
// second start on the same file applies nothing and keeps the data. Read back with a connection of its own.
import { MikroORM } from '@mikro-orm/core';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../apps/server/src/database/migration-list';
import { aLead, createCampaign, createUser, postLead, prospectCount } from '../factories';
import { IT_DIR } from '../harness/it-env';
import { ADMIN, startServer, TestServer } from '../harness/server';

/** Runs one read-only query against a SQLite file (a separate connection, as an operator would). */
function query<T = Record<string, unknown>>(file: string, sql: string): Promise<T[]> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return Promise.resolve(db.prepare(sql).all() as T[]);
  } finally {
    db.close();
  }
}

const tablesOf = async (file: string) => (await query<{ name: string }>(file, "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")).map((r) => r.name);
const migrationRows = (file: string) => query<{ id: number; name: string; executed_at: string }>(file, 'select id, name, executed_at from mikro_orm_migrations order by id');

describe('database migrations (real SQLite file)', () => {
  const dataDir = path.join(IT_DIR, `migrations-${process.pid}-${Date.now().toString(36)}`, 'fresh');
  let server: TestServer | undefined;
  let dbFile: string;
  let firstRun: { migrations: Awaited<ReturnType<typeof migrationRows>>; campaignId: string; userId: string; prospects: number; token: string };

  afterAll(async () => {
    await server?.close();
  });

  it('creates every table in a fresh data dir and records the migrations', async () => {
    expect(existsSync(dataDir)).toBe(false);
    server = await startServer({ LEADLINE_DATA_DIR: dataDir });
    dbFile = server.config.databasePath;
    expect(dbFile).toBe(path.join(dataDir, 'leadline.db'));
    expect(existsSync(dbFile)).toBe(true);

    const tables = await tablesOf(dbFile);
    // every entity's table (pivot tables included), as the running ORM maps them
    const orm = server.app.get(MikroORM);
    const mapped = Object.values(orm.getMetadata().getAll())
      .filter((meta) => !meta.embeddable && !meta.virtual && meta.tableName)
      .map((meta) => meta.tableName);
    expect(mapped.length).toBeGreaterThan(0);
    expect(tables).toEqual(expect.arrayContaining([...new Set(mapped)]));
    expect(tables).toEqual(expect.arrayContaining(['org', 'app_user', 'campaign', 'distribution_group', 'distribution_group_member', 'prospect', 'prospect_phone', 'application', 'call_activity', 'local_presence_number', 'local_presence_mapping', 'mikro_orm_migrations']));

    // every migration the server ships, once each, in order
    const rows = await migrationRows(dbFile);
    expect(rows.map((r) => r.name.replace(/\.[jt]s$/, ''))).toEqual(MIGRATIONS.map((m) => m.name));
    expect(await orm.getMigrator().getPendingMigrations()).toEqual([]);

    // every column an entity maps exists (MikroORM's own SQLite diff is not used: it reports
    // spurious rebuilds of every table with an enum check constraint)
    const missing: string[] = [];
    let checked = 0;
    for (const meta of Object.values(orm.getMetadata().getAll())) {
      if (meta.embeddable || meta.virtual || !meta.tableName) continue;
      const columns = new Set((await query<{ name: string }>(dbFile, `pragma table_info(\`${meta.tableName}\`)`)).map((c) => c.name));
      for (const prop of meta.props) {
        if (prop.persist === false || prop.kind === '1:m' || prop.kind === 'm:n' || (prop.kind === '1:1' && !prop.owner)) continue;
        for (const field of prop.fieldNames ?? []) {
          checked++;
          if (!columns.has(field)) missing.push(`${meta.tableName}.${field}`);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(50);

    // SQLite runs in WAL mode (persisted in the file)
    expect(await query(dbFile, 'pragma journal_mode')).toEqual([{ journal_mode: 'wal' }]);

    // the first start created the org and its admin
    expect(await query(dbFile, 'select count(*) as n from org')).toEqual([{ n: 1 }]);
    expect(await query(dbFile, "select email, role from app_user")).toEqual([{ email: ADMIN.email, role: 'admin' }]);

    // some data for the second start
    const token = await server.login();
    const campaign = await createCampaign(server, token);
    const user = await createUser(server, token, { role: 'agent' });
    const posted = await postLead(server, campaign, aLead());
    expect([posted.status, posted.body.StatusCode, posted.body.Message]).toEqual([200, 1, expect.any(String)]);
    firstRun = { migrations: rows, campaignId: campaign.id, userId: user.id, prospects: await prospectCount(server, token), token };
  });

  it('applies nothing on a second start on the same file and keeps the data', async () => {
    expect(firstRun).toBeDefined();
    await server!.close();
    server = undefined;

    server = await startServer({ LEADLINE_DATA_DIR: dataDir, LEADLINE_ADMIN_PASSWORD: 'a-different-password-1' });
    expect(server.config.databasePath).toBe(dbFile);
    expect(await migrationRows(dbFile)).toEqual(firstRun.migrations);
    expect(await server.app.get(MikroORM).getMigrator().getPendingMigrations()).toEqual([]);

    // no second org or admin; the first admin keeps the password it was created with
    expect(await query(dbFile, 'select count(*) as n from org')).toEqual([{ n: 1 }]);
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
