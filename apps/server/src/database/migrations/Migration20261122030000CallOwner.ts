import type { Knex } from '@mikro-orm/knex';
import { Migration } from '@mikro-orm/migrations';

// Which server instance runs a distribution, reserved an agent or carries a call leg, so that
// with several instances (REDIS_URL) the crash recovery touches only a dead instance's rows.
// Knex schema builder: runs on SQLite and PostgreSQL alike.
export class Migration20261122030000CallOwner extends Migration {
  override async up(): Promise<void> {
    const knex = this.getKnex();
    this.run(knex.schema.alterTable('prospect', (t) => t.text('distribution_owner').nullable()));
    this.run(knex.schema.alterTable('app_user', (t) => t.text('on_call_owner').nullable()));
    this.run(knex.schema.alterTable('call_activity', (t) => t.text('owner').nullable()));
  }

  override async down(): Promise<void> {
    // Plain DROP COLUMN: SQLite (3.35+) and PostgreSQL both accept it.
    this.addSql('alter table prospect drop column distribution_owner');
    this.addSql('alter table app_user drop column on_call_owner');
    this.addSql('alter table call_activity drop column owner');
  }

  private run(builder: Knex.SchemaBuilder): void {
    for (const statement of builder.toSQL()) this.addSql(statement.sql);
  }
}
