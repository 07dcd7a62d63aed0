import { Migration } from '@mikro-orm/migrations';
import { schemaStatements } from '../portable-schema';

// Listen / whisper / barge (docs/desk-phones.md): whether the agent's dashboard says so when a
// manager monitors their call. Off by default (silent monitoring, as call centres expect).
// Knex schema builder: runs on SQLite and PostgreSQL alike.
export class Migration20261216000000MonitorNotice extends Migration {
  override async up(): Promise<void> {
    const knex = this.getKnex();
    schemaStatements(
      knex.schema.alterTable('org', (t) => {
        t.boolean('monitor_notice_to_agent').notNullable().defaultTo(false);
      }),
    ).forEach((sql) => this.addSql(sql));
  }

  override async down(): Promise<void> {
    this.addSql('alter table org drop column monitor_notice_to_agent');
  }
}
