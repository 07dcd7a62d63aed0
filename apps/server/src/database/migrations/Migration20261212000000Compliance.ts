import { Migration } from '@mikro-orm/migrations';
import { columnTypes, schemaStatements } from '../portable-schema';

// Compliance (docs/compliance.md): the calling rule holding a dial-mode lead back; the consent
// evidence a lead vendor posts, kept with the prospect as posted.
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
  }

  override async down(): Promise<void> {
    for (const [table, columns] of [
      ['dial_queue_entry', ['calling_rule', 'calling_rule_hold']],
      ['prospect', ['consent_text', 'consent_timestamp', 'consent_at', 'consent_source_url', 'consent_ip', 'consent_certificate', 'consent_received_at']],
    ] as const) {
      for (const column of columns) this.addSql(`alter table ${table} drop column ${column}`);
    }
  }
}
