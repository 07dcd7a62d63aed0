import { Migration } from '@mikro-orm/migrations';

// The agents on a call (the recovery sweep's "reserved, yet on no call"): a partial index of the
// few users whose on_call_since is set. It replaces the index on every user's on_call_since, which
// the planners chose for "on_call_since is null" — everyone not on a call, nearly every user — over
// the primary key of the ten agents a call reserves: with 10,000 users that reservation took 2.4 ms
// instead of 0.3 ms on SQLite (docs/benchmarks.md, "Inbound: the agents' reservation by their ids").
export class Migration20261220000000OnCallIndex extends Migration {
  override up(): void {
    this.addSql('drop index app_user_on_call_since_index');
    this.addSql('create index app_user_on_call_index on app_user (on_call_since) where on_call_since is not null');
  }

  override down(): void {
    this.addSql('drop index app_user_on_call_index');
    this.addSql('create index app_user_on_call_since_index on app_user (on_call_since)');
  }
}
