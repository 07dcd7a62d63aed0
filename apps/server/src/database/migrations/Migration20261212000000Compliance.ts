import { Migration } from '@mikro-orm/migrations';
import { columnTypes, schemaStatements } from '../portable-schema';

// Compliance (docs/compliance.md): the calling rule holding a dial-mode lead back; the consent
// evidence a lead vendor posts, kept with the prospect as posted; the org's recording rules and
// its disclosure prompt; which recording rule a call leg got and when its disclosure ended.
// Knex schema builder: runs on SQLite and PostgreSQL alike.
export class Migration20261212000000Compliance extends Migration {
  override async up(): Promise<void> {
    const knex = this.getKnex();
    const type = columnTypes(knex);
    const run = (builder: Parameters<typeof schemaStatements>[0]) => schemaStatements(builder).forEach((sql) => this.addSql(sql));

    run(
      knex.schema.alterTable('dial_queue_entry', (t) => {
        t.text('calling_rule').nullable();
        t.specificType('calling_rule_hold', type.json).nullable();
      }),
    );
    run(
      knex.schema.alterTable('prospect', (t) => {
        t.text('consent_text').nullable();
        t.text('consent_timestamp').nullable();
        t.specificType('consent_at', type.datetime).nullable();
        t.text('consent_source_url').nullable();
        t.text('consent_ip').nullable();
        t.text('consent_certificate').nullable();
        t.specificType('consent_received_at', type.datetime).nullable();
      }),
    );
    run(
      knex.schema.alterTable('org', (t) => {
        t.text('recording_all_party').notNullable().defaultTo('record_with_disclosure');
        t.text('recording_one_party').notNullable().defaultTo('record');
        t.specificType('recording_states', type.json).nullable();
        t.text('disclosure_prompt_id').nullable();
      }),
    );
    run(
      knex.schema.createTable('disclosure_prompt', (t) => {
        t.text('id').primary();
        t.text('org_id').notNullable().references('id').inTable('org').onUpdate('cascade');
        t.text('sha256').notNullable();
        t.specificType('wav', type.binary).notNullable();
        t.integer('duration_ms').notNullable();
        t.text('original_name').nullable();
        t.text('uploaded_by_id').nullable();
        t.specificType('created_at', type.datetime).notNullable();
        t.index(['org_id'], 'disclosure_prompt_org_id_index');
        t.unique(['sha256'], { indexName: 'disclosure_prompt_sha256_unique', useConstraint: false });
      }),
    );
    run(
      knex.schema.alterTable('call_activity', (t) => {
        t.text('recording_rule').nullable();
        t.text('recording_rule_region').nullable();
        t.specificType('disclosure_ended_at', type.datetime).nullable();
        t.specificType('recording_started_at', type.datetime).nullable();
      }),
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists disclosure_prompt');
    for (const [table, columns] of [
      ['dial_queue_entry', ['calling_rule', 'calling_rule_hold']],
      ['prospect', ['consent_text', 'consent_timestamp', 'consent_at', 'consent_source_url', 'consent_ip', 'consent_certificate', 'consent_received_at']],
      ['org', ['recording_all_party', 'recording_one_party', 'recording_states', 'disclosure_prompt_id']],
      ['call_activity', ['recording_rule', 'recording_rule_region', 'disclosure_ended_at', 'recording_started_at']],
    ] as const) {
      for (const column of columns) this.addSql(`alter table ${table} drop column ${column}`);
    }
  }
}
