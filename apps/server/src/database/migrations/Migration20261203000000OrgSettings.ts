import type { Knex } from '@mikro-orm/knex';
import { Migration } from '@mikro-orm/migrations';

// Org-wide settings several features read: the org's time zone (what "today" and a zone-less date
// mean), and its dialling policy (what agents may call: international, premium-rate, N11), with
// the caller ID sent on 911 calls (the number tied to the office's registered location).
// Knex schema builder: runs on SQLite and PostgreSQL alike.
export class Migration20261203000000OrgSettings extends Migration {
  override async up(): Promise<void> {
    const knex = this.getKnex();
    this.run(
      knex.schema.alterTable('org', (t) => {
        t.text('time_zone').notNullable().defaultTo('America/New_York');
        t.boolean('dial_allow_international').notNullable().defaultTo(false);
        t.boolean('dial_allow_premium').notNullable().defaultTo(false);
        t.boolean('dial_allow_n11').notNullable().defaultTo(false);
        t.text('emergency_caller_id').nullable();
      }),
    );
  }

  override async down(): Promise<void> {
    for (const column of ['time_zone', 'dial_allow_international', 'dial_allow_premium', 'dial_allow_n11', 'emergency_caller_id']) {
      this.addSql(`alter table org drop column ${column}`);
    }
  }

  private run(builder: Knex.SchemaBuilder): void {
    for (const statement of builder.toSQL()) this.addSql(statement.sql);
  }
}
