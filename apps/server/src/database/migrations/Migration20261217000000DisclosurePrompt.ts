import { Migration } from '@mikro-orm/migrations';
import { columnTypes, schemaStatements } from '../portable-schema';

// An org's own recording-disclosure prompt (docs/compliance.md): the uploaded WAVs, kept by the
// SHA-256 of their bytes (voice_prompt), and which one the org uses (null: the committed default).
// Knex schema builder: runs on SQLite and PostgreSQL alike.
export class Migration20261217000000DisclosurePrompt extends Migration {
  override async up(): Promise<void> {
    const knex = this.getKnex();
    const type = columnTypes(knex);
    const run = (builder: Parameters<typeof schemaStatements>[0]) => schemaStatements(builder).forEach((sql) => this.addSql(sql));
    run(
      knex.schema.alterTable('org', (t) => {
        t.text('disclosure_prompt').nullable();
        t.specificType('disclosure_prompt_uploaded_at', type.datetime).nullable();
      }),
    );
    run(
      knex.schema.createTable('voice_prompt', (t) => {
        t.text('sha256').primary();
        t.binary('wav').notNullable();
        t.specificType('seconds', type.double).notNullable();
        t.specificType('created_at', type.datetime).notNullable();
      }),
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists voice_prompt');
    for (const column of ['disclosure_prompt', 'disclosure_prompt_uploaded_at']) this.addSql(`alter table org drop column ${column}`);
  }
}
