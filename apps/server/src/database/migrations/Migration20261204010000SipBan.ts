import type { Knex } from '@mikro-orm/knex';
import { Migration } from '@mikro-orm/migrations';

// SIP brute-force bans (docs/security.md): the addresses Asterisk refuses until they expire, kept
// in the database so every server instance and every ARI reconnect re-sends the same list.
// Knex schema builder: runs on SQLite and PostgreSQL alike.
export class Migration20261204010000SipBan extends Migration {
  override async up(): Promise<void> {
    const knex = this.getKnex();
    this.run(
      knex.schema.createTable('sip_ban', (t) => {
        t.text('address').notNullable().primary();
        t.integer('failures').notNullable();
        t.text('accounts').notNullable();
        t.datetime('created_at').notNullable();
        t.datetime('expires_at').notNullable();
        t.index(['expires_at'], 'sip_ban_expires_at_index');
      }),
    );
  }

  override async down(): Promise<void> {
    this.run(this.getKnex().schema.dropTableIfExists('sip_ban'));
  }

  private run(builder: Knex.SchemaBuilder): void {
    for (const statement of builder.toSQL()) this.addSql(statement.sql);
  }
}
