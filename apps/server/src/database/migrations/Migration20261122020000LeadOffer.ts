import type { Knex } from '@mikro-orm/knex';
import { Migration } from '@mikro-orm/migrations';

// Distribute All offers move from one process's memory into the database, so that several server
// instances (REDIS_URL) share them and a restart keeps them. Knex schema builder: runs on SQLite
// and PostgreSQL alike.
export class Migration20261122020000LeadOffer extends Migration {
  override async up(): Promise<void> {
    const knex = this.getKnex();
    this.run(
      knex.schema.createTable('lead_offer', (t) => {
        t.text('prospect_id').notNullable().primary().references('id').inTable('prospect').onDelete('cascade').onUpdate('cascade');
        t.text('org_id').notNullable();
        t.json('summary').notNullable();
        t.json('eligible').notNullable();
        t.datetime('created_at').notNullable();
        t.datetime('expires_at').notNullable();
        t.datetime('closed_at').nullable();
        t.index(['closed_at', 'expires_at'], 'lead_offer_closed_at_expires_at_index');
      }),
    );
  }

  override async down(): Promise<void> {
    this.run(this.getKnex().schema.dropTableIfExists('lead_offer'));
  }

  private run(builder: Knex.SchemaBuilder): void {
    for (const statement of builder.toSQL()) this.addSql(statement.sql);
  }
}
