import type { Knex } from '@mikro-orm/knex';
import { Migration } from '@mikro-orm/migrations';
import { sqlDialectOf } from '../portable-schema';

// Reports and the wallboard (docs/reports.md):
// - indexes that read one org's leads and call legs by day, its open legs, and what changed lately;
// - call_activity.updated_at, and on both tables a trigger that stamps updated_at on every update a
//   writer did not stamp itself, so the reports notice every change to a day they already summed,
//   whichever code made it (the one step without a portable form: a trigger per database);
// - report_day, one row per org and day with that day summed (rebuilt when its rows change), and
//   report_state, what the stored days were built with and up to when changes were read.
// Everything else uses the knex schema builder and runs on SQLite and PostgreSQL alike.
export class Migration20261204000000Reports extends Migration {
  override async up(): Promise<void> {
    const knex = this.getKnex();
    this.run(knex.schema.alterTable('call_activity', (t) => t.datetime('updated_at').nullable()));
    this.run(
      knex.schema.alterTable('prospect', (t) => {
        t.index(['org_id', 'created_at'], 'prospect_org_id_created_at_index');
        t.index(['org_id', 'updated_at'], 'prospect_org_id_updated_at_index');
      }),
    );
    this.run(
      knex.schema.alterTable('call_activity', (t) => {
        t.index(['org_id', 'started_at'], 'call_activity_org_id_started_at_index');
        t.index(['org_id', 'updated_at'], 'call_activity_org_id_updated_at_index');
        t.index(['org_id', 'ended_at'], 'call_activity_org_id_ended_at_index');
      }),
    );
    this.run(
      knex.schema.createTable('report_day', (t) => {
        t.text('org_id').notNullable().references('id').inTable('org').onUpdate('cascade');
        t.text('day').notNullable();
        t.text('doc').notNullable();
        t.datetime('built_at').notNullable();
        t.primary(['org_id', 'day']);
      }),
    );
    this.run(
      knex.schema.createTable('report_state', (t) => {
        t.text('org_id').notNullable().primary().references('id').inTable('org').onUpdate('cascade');
        t.text('time_zone').notNullable();
        t.integer('format').notNullable();
        t.datetime('changes_until').notNullable();
        t.datetime('built_at').notNullable();
      }),
    );
    for (const statement of touchTriggers(sqlDialectOf(knex))) this.addSql(statement);
  }

  override async down(): Promise<void> {
    const knex = this.getKnex();
    const dialect = sqlDialectOf(knex);
    for (const table of TOUCHED) this.addSql(`drop trigger if exists ${table}_touch_updated_at${dialect === 'postgresql' ? ` on ${table}` : ''}`);
    if (dialect === 'postgresql') this.addSql('drop function if exists leadline_touch_updated_at()');
    this.run(knex.schema.dropTableIfExists('report_state'));
    this.run(knex.schema.dropTableIfExists('report_day'));
    for (const name of ['prospect_org_id_created_at_index', 'prospect_org_id_updated_at_index', 'call_activity_org_id_started_at_index', 'call_activity_org_id_updated_at_index', 'call_activity_org_id_ended_at_index']) {
      this.addSql(`drop index if exists ${name}`);
    }
    this.addSql('alter table call_activity drop column updated_at');
  }

  private run(builder: Knex.SchemaBuilder): void {
    for (const statement of builder.toSQL()) this.addSql(statement.sql);
  }
}

const TOUCHED = ['prospect', 'call_activity'] as const;

/** updated_at stamped by the database on an update that left it unchanged. */
function touchTriggers(dialect: 'sqlite' | 'postgresql'): string[] {
  if (dialect === 'sqlite') {
    // MikroORM keeps SQLite datetimes as epoch milliseconds; julianday('now') has millisecond precision.
    return TOUCHED.map(
      (table) =>
        `create trigger ${table}_touch_updated_at after update on ${table} for each row when new.updated_at is old.updated_at ` +
        `begin update ${table} set updated_at = cast(round((julianday('now') - 2440587.5) * 86400000) as integer) where id = new.id; end`,
    );
  }
  return [
    `create or replace function leadline_touch_updated_at() returns trigger language plpgsql as $$ begin if new.updated_at is not distinct from old.updated_at then new.updated_at := clock_timestamp(); end if; return new; end $$`,
    ...TOUCHED.map((table) => `create trigger ${table}_touch_updated_at before update on ${table} for each row execute function leadline_touch_updated_at()`),
  ];
}
