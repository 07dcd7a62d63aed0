import type { Knex } from '@mikro-orm/knex';
import { Migration } from '@mikro-orm/migrations';
import { columnTypes, schemaStatements } from '../portable-schema';

// Calls in the database, not only in memory: each call Leadline runs (ring-all round, inbound call,
// click-to-call, dial-mode call, desk-phone call, monitoring session) gets a row with its kind,
// owner instance, bridge and recording, and its call-activity legs point at it.
// Portable: the knex schema builder with MikroORM's column types (docs/database.md).
export class Migration20261210000000PhoneCall extends Migration {
  override up(): void {
    const knex = this.getKnex();
    const T = columnTypes(knex);
    const schema = (builder: Knex.SchemaBuilder) => schemaStatements(builder).forEach((sql) => this.addSql(sql));
    schema(
      knex.schema.createTable('phone_call', (t) => {
        t.specificType('id', T.text).notNullable();
        t.primary(['id']);
        t.specificType('org_id', T.text).notNullable();
        t.foreign('org_id', 'phone_call_org_id_foreign').references('id').inTable('org').onUpdate('cascade');
        t.index(['org_id'], 'phone_call_org_id_index');
        t.specificType('kind', T.text).notNullable();
        t.specificType('owner', T.text).notNullable();
        t.specificType('prospect_id', T.text).nullable();
        t.foreign('prospect_id', 'phone_call_prospect_id_foreign').references('id').inTable('prospect').onUpdate('cascade').onDelete('set null');
        t.index(['prospect_id'], 'phone_call_prospect_id_index');
        t.specificType('phase', T.text).notNullable();
        t.specificType('bridge_id', T.text).nullable();
        t.specificType('recording', T.text).nullable();
        t.specificType('started_at', T.datetime).notNullable();
        t.specificType('connected_at', T.datetime).nullable();
        t.specificType('ended_at', T.datetime).nullable();
        t.index(['owner', 'ended_at'], 'phone_call_owner_ended_at_index');
      }),
    );
    // A column that references another table: SQLite's ALTER TABLE can add it with its FOREIGN KEY.
    schema(
      knex.schema.alterTable('call_activity', (t) => {
        t.specificType('call_id', T.text).nullable().references('id').inTable('phone_call').onUpdate('cascade').onDelete('set null');
        t.index(['call_id'], 'call_activity_call_id_index');
      }),
    );
  }

  override down(): void {
    this.addSql('drop index call_activity_call_id_index');
    this.addSql('alter table call_activity drop column call_id');
    this.addSql('drop table phone_call');
  }
}
