import type { Knex } from '@mikro-orm/knex';
import { Migration } from '@mikro-orm/migrations';
import { columnTypes, schemaStatements } from '../portable-schema';

// Connected calls that outlive the process running them: a new process adopts them at link-up
// (docs/operations.md). Portable: the knex schema builder with MikroORM's column types.
export class Migration20261218000000LiveCall extends Migration {
  override up(): void {
    const knex = this.getKnex();
    const T = columnTypes(knex);
    const schema = (builder: Knex.SchemaBuilder) => schemaStatements(builder).forEach((sql) => this.addSql(sql));
    schema(
      knex.schema.createTable('live_call', (t) => {
        t.specificType('call_id', T.text).notNullable();
        t.primary(['call_id']);
        t.specificType('owner', T.text).notNullable();
        t.specificType('bridge_id', T.text).notNullable();
        t.specificType('state', T.json).notNullable();
        t.specificType('updated_at', T.datetime).notNullable();
        t.index(['owner'], 'live_call_owner_index');
      }),
    );
  }

  override down(): void {
    this.addSql('drop table live_call');
  }
}
