import { Migration } from '@mikro-orm/migrations';
import { sqlDialectOf } from '../portable-schema';

// The available agents, longest idle first (inbound routing's `available`, inbound-lookup.sql.ts):
// a partial index holding only the users who are logged in, have calls on and are not on a call,
// in the query's order. Without it every call reads all of the org's users (one org per
// installation: the whole table) to find the few it rings. The query's WHERE repeats the index's
// predicate literally (1 on SQLite, true on PostgreSQL), so both planners can use it. On SQLite
// the index also holds the licences, so the licence test reads them from the index and only the
// rows that pass it are read from the table.
export class Migration20261219000000AvailableAgents extends Migration {
  override up(): void {
    const sqlite = sqlDialectOf(this.getKnex()) === 'sqlite';
    const yes = sqlite ? '1' : 'true';
    this.addSql(
      `create index app_user_available_index on app_user (org_id, last_call_ended_at${sqlite ? ', id, state_licences' : ' nulls first, id'}) where logged_in = ${yes} and calls_on = ${yes} and on_call_since is null`,
    );
  }

  override down(): void {
    this.addSql('drop index app_user_available_index');
  }
}
