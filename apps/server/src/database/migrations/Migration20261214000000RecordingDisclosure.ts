import { Migration } from '@mikro-orm/migrations';
import { schemaStatements } from '../portable-schema';

// Recording disclosure (docs/compliance.md): the org's recording choice for all-party-consent
// states and for the others; on each borrower leg, the rule that applied and the state that decided.
// Knex schema builder: runs on SQLite and PostgreSQL alike.
export class Migration20261214000000RecordingDisclosure extends Migration {
  override async up(): Promise<void> {
    const knex = this.getKnex();
    const run = (builder: Parameters<typeof schemaStatements>[0]) => schemaStatements(builder).forEach((sql) => this.addSql(sql));
    run(
      knex.schema.alterTable('org', (t) => {
        t.text('recording_all_party_states').notNullable().defaultTo('disclose_then_record');
        t.text('recording_one_party_states').notNullable().defaultTo('disclose_then_record');
      }),
    );
    run(
      knex.schema.alterTable('call_activity', (t) => {
        t.text('recording_rule').nullable();
        t.text('recording_rule_state').nullable();
        t.text('recording_rule_state_from').nullable();
      }),
    );
  }

  override async down(): Promise<void> {
    for (const [table, columns] of [
      ['org', ['recording_all_party_states', 'recording_one_party_states']],
      ['call_activity', ['recording_rule', 'recording_rule_state', 'recording_rule_state_from']],
    ] as const) {
      for (const column of columns) this.addSql(`alter table ${table} drop column ${column}`);
    }
  }
}
