import type { Knex } from '@mikro-orm/knex';
import { Migration } from '@mikro-orm/migrations';
import { columnTypes, schemaStatements } from '../portable-schema';

// Webhooks (docs/webhooks.md): subscriptions, the outbox of events, one delivery per event and
// subscription, and each delivery's attempts. call.ended reads its call's kind from phone_call
// (Migration20261210000000PhoneCall). Knex schema builder with the platform column types: runs on
// SQLite and PostgreSQL alike.
export class Migration20261213000000Webhooks extends Migration {
  override up(): void {
    const knex = this.getKnex();
    const T = columnTypes(knex);
    const schema = (builder: Knex.SchemaBuilder) => schemaStatements(builder).forEach((sql) => this.addSql(sql));
    const col = (t: Knex.CreateTableBuilder, name: string, type: string, nullable = false) => {
      const c = t.specificType(name, type);
      if (!nullable) c.notNullable();
      return c;
    };
    const index = (t: Knex.CreateTableBuilder, table: string, columns: string[]) => t.index(columns, `${table}_${columns.join('_')}_index`);

    schema(
      knex.schema.createTable('webhook_subscription', (t) => {
        col(t, 'id', T.text).primary();
        col(t, 'org_id', T.text);
        t.foreign('org_id', 'webhook_subscription_org_id_foreign').references('id').inTable('org').onUpdate('cascade');
        index(t, 'webhook_subscription', ['org_id']);
        col(t, 'url', T.text);
        col(t, 'description', T.text, true);
        col(t, 'events', T.json);
        col(t, 'secret', T.text);
        col(t, 'previous_secret', T.text, true);
        col(t, 'previous_secret_expires_at', T.datetime, true);
        col(t, 'active', T.boolean).defaultTo(knex.raw('true'));
        col(t, 'max_concurrency', T.integer);
        col(t, 'timeout_seconds', T.integer);
        col(t, 'created_at', T.datetime);
        col(t, 'updated_at', T.datetime);
      }),
    );

    schema(
      knex.schema.createTable('webhook_event', (t) => {
        // SQLite: integer primary key autoincrement; PostgreSQL: serial. The delivery order.
        t.increments('seq').primary();
        col(t, 'event_id', T.text);
        t.unique(['event_id'], { indexName: 'webhook_event_event_id_unique', useConstraint: false });
        col(t, 'org_id', T.text);
        col(t, 'type', T.text);
        col(t, 'prospect_id', T.text, true);
        // Text, not json/jsonb: the bytes sent (and signed) are exactly the bytes stored.
        col(t, 'body', T.text);
        col(t, 'created_at', T.datetime);
        col(t, 'fanned_out', T.boolean).defaultTo(knex.raw('false'));
        index(t, 'webhook_event', ['fanned_out', 'seq']);
      }),
    );

    schema(
      knex.schema.createTable('webhook_delivery', (t) => {
        col(t, 'id', T.text).primary();
        col(t, 'event_seq', T.integer);
        t.foreign('event_seq', 'webhook_delivery_event_seq_foreign').references('seq').inTable('webhook_event').onUpdate('cascade').onDelete('cascade');
        index(t, 'webhook_delivery', ['event_seq']);
        col(t, 'subscription_id', T.text);
        t.foreign('subscription_id', 'webhook_delivery_subscription_id_foreign').references('id').inTable('webhook_subscription').onUpdate('cascade').onDelete('cascade');
        index(t, 'webhook_delivery', ['subscription_id']);
        col(t, 'prospect_id', T.text, true);
        col(t, 'status', T.text);
        col(t, 'attempts', T.integer).defaultTo(0);
        col(t, 'queued_at', T.datetime);
        col(t, 'next_attempt_at', T.datetime, true);
        col(t, 'lease_owner', T.text, true);
        col(t, 'lease_until', T.datetime, true);
        col(t, 'last_status_code', T.integer, true);
        col(t, 'last_error', T.text, true);
        col(t, 'last_latency_ms', T.integer, true);
        col(t, 'delivered_at', T.datetime, true);
        col(t, 'dead_at', T.datetime, true);
        col(t, 'created_at', T.datetime);
        t.unique(['event_seq', 'subscription_id'], { indexName: 'webhook_delivery_event_seq_subscription_id_unique', useConstraint: false });
        index(t, 'webhook_delivery', ['status', 'next_attempt_at']);
        index(t, 'webhook_delivery', ['subscription_id', 'prospect_id', 'event_seq']);
        index(t, 'webhook_delivery', ['subscription_id', 'created_at']);
      }),
    );

    schema(
      knex.schema.createTable('webhook_attempt', (t) => {
        col(t, 'id', T.text).primary();
        col(t, 'delivery_id', T.text);
        t.foreign('delivery_id', 'webhook_attempt_delivery_id_foreign').references('id').inTable('webhook_delivery').onUpdate('cascade').onDelete('cascade');
        index(t, 'webhook_attempt', ['delivery_id']);
        col(t, 'attempt', T.integer);
        col(t, 'started_at', T.datetime);
        col(t, 'status_code', T.integer, true);
        col(t, 'error', T.text, true);
        col(t, 'latency_ms', T.integer);
        col(t, 'sent_by', T.text);
        index(t, 'webhook_attempt', ['delivery_id', 'attempt']);
      }),
    );
  }

  override down(): void {
    for (const table of ['webhook_attempt', 'webhook_delivery', 'webhook_event', 'webhook_subscription']) this.addSql(`drop table if exists ${table}`);
  }
}
