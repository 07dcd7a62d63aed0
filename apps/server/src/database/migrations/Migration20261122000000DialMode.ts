import { Migration } from '@mikro-orm/migrations';
import type { Knex } from 'knex';

// Dial mode (docs/dial-mode.md). Written with knex's schema builder so it runs on SQLite and
// PostgreSQL alike; every statement is added separately (better-sqlite3 runs one at a time).
const MODES = ['new', 'before_buyout', 're_approve', 'random'];

export class Migration20261122000000DialMode extends Migration {
  override async up(): Promise<void> {
    const knex = this.getKnex();
    const add = (builder: Knex.SchemaBuilder) => {
      for (const q of builder.toSQL()) this.addSql(q.sql);
    };

    add(
      knex.schema.createTable('lead_status', (t) => {
        t.string('id').primary();
        t.string('org_id').notNullable().references('id').inTable('org').onUpdate('cascade');
        t.string('campaign_id').notNullable().references('id').inTable('campaign').onDelete('cascade').onUpdate('cascade');
        t.string('name').notNullable();
        t.boolean('add_to_dial_mode').notNullable().defaultTo(false);
        t.enu('call_mode', MODES).nullable();
        t.boolean('is_initial').notNullable().defaultTo(false);
        t.integer('position').notNullable().defaultTo(0);
        t.datetime('created_at').notNullable();
        t.index(['org_id']);
        t.index(['campaign_id']);
        t.unique(['campaign_id', 'name']);
      }),
    );

    add(
      knex.schema.createTable('dial_mode_setting', (t) => {
        t.string('id').primary();
        t.string('campaign_id').notNullable().references('id').inTable('campaign').onDelete('cascade').onUpdate('cascade');
        t.enu('mode', MODES).notNullable();
        t.boolean('high_priority').notNullable().defaultTo(false);
        t.integer('time_standard_minutes').notNullable().defaultTo(5);
        t.integer('retry_delay_minutes').notNullable().defaultTo(60);
        t.integer('max_attempts').notNullable().defaultTo(5);
        t.string('exhausted_status_id').nullable().references('id').inTable('lead_status').onDelete('set null').onUpdate('cascade');
        t.json('extra_buttons').notNullable();
        t.datetime('updated_at').notNullable();
        t.index(['exhausted_status_id']);
        t.unique(['campaign_id', 'mode']);
      }),
    );

    add(
      knex.schema.createTable('dial_mode_access', (t) => {
        t.string('id').primary();
        t.string('campaign_id').notNullable().references('id').inTable('campaign').onDelete('cascade').onUpdate('cascade');
        t.enu('mode', MODES).notNullable();
        t.string('user_id').notNullable().references('id').inTable('app_user').onDelete('cascade').onUpdate('cascade');
        t.index(['user_id']);
        t.unique(['campaign_id', 'mode', 'user_id']);
      }),
    );

    add(
      knex.schema.createTable('dial_calling_window', (t) => {
        t.string('id').primary();
        t.string('campaign_id').notNullable().references('id').inTable('campaign').onDelete('cascade').onUpdate('cascade');
        t.integer('start_minute').notNullable();
        t.integer('end_minute').notNullable();
        t.unique(['campaign_id']);
      }),
    );

    add(
      knex.schema.createTable('dial_queue_entry', (t) => {
        t.string('id').primary();
        t.string('org_id').notNullable().references('id').inTable('org').onUpdate('cascade');
        t.string('campaign_id').notNullable().references('id').inTable('campaign').onDelete('cascade').onUpdate('cascade');
        t.string('prospect_id').notNullable().references('id').inTable('prospect').onDelete('cascade').onUpdate('cascade');
        t.enu('mode', MODES).notNullable();
        t.enu('sub_state', ['unprocessed', 'no_answer', 'callback_planned']).notNullable().defaultTo('unprocessed');
        t.string('phone').notNullable();
        t.integer('priority').notNullable().defaultTo(0);
        t.datetime('due_at').notNullable();
        t.datetime('dial_by_at').notNullable();
        t.datetime('callable_at').nullable();
        t.integer('attempts').notNullable().defaultTo(0);
        t.string('locked_by_id').nullable().references('id').inTable('app_user').onDelete('set null').onUpdate('cascade');
        t.datetime('locked_at').nullable();
        t.string('last_result').nullable();
        t.datetime('last_dialed_at').nullable();
        t.datetime('entered_at').notNullable();
        t.unique(['prospect_id']);
        t.index(['org_id']);
        t.index(['locked_by_id']);
        t.index(['callable_at']);
        t.index(['campaign_id', 'mode', 'sub_state']);
        t.index(['priority', 'dial_by_at', 'due_at', 'id']);
      }),
    );

    add(
      knex.schema.createTable('do_not_call', (t) => {
        t.string('id').primary();
        t.string('org_id').notNullable().references('id').inTable('org').onUpdate('cascade');
        t.string('phone').notNullable();
        t.enu('source', ['manual', 'csv', 'operator']).notNullable();
        t.string('note').nullable();
        t.string('created_by_id').nullable().references('id').inTable('app_user').onDelete('set null').onUpdate('cascade');
        t.datetime('created_at').notNullable();
        t.unique(['org_id', 'phone']);
        t.index(['created_by_id']);
      }),
    );

    // The lead's admin-defined status. No FK constraint: adding one to an existing table would
    // make SQLite rebuild the prospect table; the service keeps the reference valid.
    add(
      knex.schema.alterTable('prospect', (t) => {
        t.string('lead_status_id').nullable();
        t.index(['lead_status_id']);
      }),
    );
  }

  override async down(): Promise<void> {
    const knex = this.getKnex();
    this.addSql(knex.schema.alterTable('prospect', (t) => t.dropIndex(['lead_status_id'])).toQuery());
    // Plain SQL both accept (SQLite 3.35+ drops columns in place).
    this.addSql('alter table prospect drop column lead_status_id');
    for (const table of ['do_not_call', 'dial_queue_entry', 'dial_calling_window', 'dial_mode_access', 'dial_mode_setting', 'lead_status']) this.addSql(knex.schema.dropTable(table).toQuery());
  }
}
