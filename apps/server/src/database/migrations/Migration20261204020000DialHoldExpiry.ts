import { Migration } from '@mikro-orm/migrations';
import { columnTypes, schemaStatements } from '../portable-schema';

// A dial-mode lead held by an operator expires after DIAL_MODE_HOLD_EXPIRY_MINUTES without
// activity: the time of the hold's last activity (handed out, dialled, its call ended), indexed
// for the sweep every instance runs. Knex schema builder: runs on SQLite and PostgreSQL alike.
export class Migration20261204020000DialHoldExpiry extends Migration {
  override async up(): Promise<void> {
    const knex = this.getKnex();
    const types = columnTypes(knex);
    const builder = knex.schema.alterTable('dial_queue_entry', (t) => {
      t.specificType('held_active_at', types.datetime).nullable();
      t.index(['held_active_at'], 'dial_queue_entry_held_active_at_index');
    });
    for (const sql of schemaStatements(builder)) this.addSql(sql);
    // Leads held before this version: their hold's activity is when they were handed out.
    this.addSql('update dial_queue_entry set held_active_at = locked_at where locked_by_id is not null');
  }

  override async down(): Promise<void> {
    this.addSql('drop index dial_queue_entry_held_active_at_index');
    this.addSql('alter table dial_queue_entry drop column held_active_at');
  }
}
