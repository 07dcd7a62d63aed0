import type { Knex } from '@mikro-orm/knex';
import { Migration } from '@mikro-orm/migrations';
import { columnTypes, schemaStatements } from '../portable-schema';

// Portable: the knex schema builder writes it for SQLite and PostgreSQL alike, with the column
// types MikroORM's platform of each declares (see portable-schema.ts and docs/database.md).
export class Migration20261121000000Initial extends Migration {

  override up(): void {
    const knex = this.getKnex();
    const T = columnTypes(knex);
    const schema = (builder: Knex.SchemaBuilder) => schemaStatements(builder).forEach((sql) => this.addSql(sql));
    const create = (table: string, build: (t: Knex.CreateTableBuilder) => void) => schema(knex.schema.createTable(table, build));
    // Column helpers: NOT NULL unless `nullable`; defaults are SQL (the same literal on both).
    type Col = (t: Knex.CreateTableBuilder, name: string, opts?: { nullable?: boolean; default?: string }) => void;
    const column = (type: string): Col => (t, name, opts = {}) => {
      const c = t.specificType(name, type);
      if (!opts.nullable) c.notNullable();
      if (opts.default !== undefined) c.defaultTo(knex.raw(opts.default));
    };
    const text = column(T.text);
    const integer = column(T.integer);
    const double = column(T.double);
    const bool = column(T.boolean);
    const datetime = column(T.datetime);
    const json = column(T.json);
    const enumOf = (t: Knex.CreateTableBuilder, name: string, values: string[], opts: { nullable?: boolean; default?: string } = {}) => {
      const c = t.enu(name, values);
      if (!opts.nullable) c.notNullable();
      if (opts.default !== undefined) c.defaultTo(opts.default);
    };
    const id = (t: Knex.CreateTableBuilder) => {
      text(t, 'id');
      t.primary(['id']);
    };
    /** A foreign key column with its index; `onDelete` absent = restrict (the default). */
    const ref = (t: Knex.CreateTableBuilder, table: string, name: string, target: string, opts: { nullable?: boolean; onDelete?: 'cascade' | 'set null' } = {}) => {
      text(t, name, { nullable: opts.nullable });
      const fk = t.foreign(name, `${table}_${name}_foreign`).references('id').inTable(target).onUpdate('cascade');
      if (opts.onDelete) fk.onDelete(opts.onDelete);
      t.index([name], `${table}_${name}_index`);
    };
    const index = (t: Knex.CreateTableBuilder, table: string, columns: string[]) => t.index(columns, `${table}_${columns.join('_')}_index`);
    const unique = (t: Knex.CreateTableBuilder, table: string, columns: string[]) => t.unique(columns, { indexName: `${table}_${columns.join('_')}_unique`, useConstraint: false });

    create('org', (t) => {
      id(t);
      text(t, 'name');
      text(t, 'caller_id', { nullable: true });
      text(t, 'org_number', { nullable: true });
      datetime(t, 'created_at');
      datetime(t, 'updated_at');
    });

    create('local_presence_number', (t) => {
      id(t);
      ref(t, 'local_presence_number', 'org_id', 'org');
      text(t, 'number');
      datetime(t, 'created_at');
      unique(t, 'local_presence_number', ['number']);
    });

    create('local_presence_mapping', (t) => {
      id(t);
      ref(t, 'local_presence_mapping', 'number_id', 'local_presence_number', { onDelete: 'cascade' });
      text(t, 'area_code');
      unique(t, 'local_presence_mapping', ['number_id', 'area_code']);
    });

    create('distribution_group', (t) => {
      id(t);
      ref(t, 'distribution_group', 'org_id', 'org');
      text(t, 'name');
      json(t, 'filter_states');
      json(t, 'filter_loan_purposes');
      double(t, 'filter_loan_amount_min', { nullable: true });
      double(t, 'filter_loan_amount_max', { nullable: true });
      datetime(t, 'created_at');
    });

    create('carrier_number', (t) => {
      id(t);
      ref(t, 'carrier_number', 'org_id', 'org');
      text(t, 'number');
      text(t, 'area_code');
      enumOf(t, 'status', ['free', 'assigned'], { default: 'free' });
      datetime(t, 'created_at');
      unique(t, 'carrier_number', ['number']);
      index(t, 'carrier_number', ['area_code', 'status']);
    });

    create('app_user', (t) => {
      id(t);
      ref(t, 'app_user', 'org_id', 'org');
      text(t, 'name');
      text(t, 'email');
      enumOf(t, 'role', ['admin', 'manager', 'agent']);
      text(t, 'password_hash');
      enumOf(t, 'work_phone_type', ['sip_desk', 'static_ip', 'external'], { nullable: true });
      text(t, 'work_phone', { nullable: true });
      text(t, 'sip_username', { nullable: true });
      text(t, 'sip_md5cred', { nullable: true });
      text(t, 'caller_id', { nullable: true });
      json(t, 'state_licences');
      json(t, 'filter_loan_purposes');
      double(t, 'filter_loan_amount_min', { nullable: true });
      double(t, 'filter_loan_amount_max', { nullable: true });
      json(t, 'filter_lead_providers');
      bool(t, 'calls_on', { default: 'false' });
      bool(t, 'logged_in', { default: 'false' });
      bool(t, 'show_incoming_call_details', { default: 'true' });
      datetime(t, 'on_call_since', { nullable: true });
      datetime(t, 'last_call_ended_at', { nullable: true });
      datetime(t, 'created_at');
      datetime(t, 'updated_at');
      unique(t, 'app_user', ['email']);
      unique(t, 'app_user', ['sip_username']);
      index(t, 'app_user', ['on_call_since']);
    });

    create('distribution_group_member', (t) => {
      ref(t, 'distribution_group_member', 'distribution_group_id', 'distribution_group', { onDelete: 'cascade' });
      ref(t, 'distribution_group_member', 'user_id', 'app_user', { onDelete: 'cascade' });
      t.primary(['distribution_group_id', 'user_id']);
    });

    create('device_token', (t) => {
      id(t);
      ref(t, 'device_token', 'user_id', 'app_user', { onDelete: 'cascade' });
      text(t, 'name');
      text(t, 'secret_hash');
      datetime(t, 'created_at');
      datetime(t, 'last_used_at', { nullable: true });
    });

    create('campaign', (t) => {
      id(t);
      ref(t, 'campaign', 'org_id', 'org');
      text(t, 'name');
      text(t, 'description', { nullable: true });
      text(t, 'lead_provider', { nullable: true });
      enumOf(t, 'distribution_type', ['ring_all', 'distribute_all', 'none'], { default: 'none' });
      ref(t, 'campaign', 'distribution_group_id', 'distribution_group', { nullable: true, onDelete: 'set null' });
      ref(t, 'campaign', 'default_agent_id', 'app_user', { nullable: true, onDelete: 'set null' });
      integer(t, 'ring_timeout_seconds', { default: '30' });
      integer(t, 'offer_timeout_seconds', { default: '60' });
      text(t, 'api_key');
      datetime(t, 'created_at');
      datetime(t, 'updated_at');
    });

    create('prospect', (t) => {
      id(t);
      ref(t, 'prospect', 'org_id', 'org');
      ref(t, 'prospect', 'campaign_id', 'campaign');
      for (const name of ['first_name', 'last_name', 'mobile_phone', 'home_phone', 'work_phone', 'email', 'property_state', 'loan_purpose']) text(t, name, { nullable: true });
      double(t, 'loan_amount', { nullable: true });
      text(t, 'lead_provider', { nullable: true });
      json(t, 'extra');
      enumOf(t, 'status', ['new', 'distributing', 'assigned', 'exception'], { default: 'new' });
      bool(t, 'ignored', { default: 'false' });
      datetime(t, 'ignored_at', { nullable: true });
      text(t, 'failure_reason', { nullable: true });
      text(t, 'failure_detail', { nullable: true });
      for (const name of ['distribution_started_at', 'first_ring_at', 'taken_at', 'borrower_answered_at']) datetime(t, name, { nullable: true });
      datetime(t, 'created_at');
      datetime(t, 'updated_at');
      index(t, 'prospect', ['status', 'ignored', 'created_at']);
    });

    create('prospect_phone', (t) => {
      id(t);
      ref(t, 'prospect_phone', 'campaign_id', 'campaign');
      text(t, 'phone');
      ref(t, 'prospect_phone', 'prospect_id', 'prospect', { onDelete: 'cascade' });
      index(t, 'prospect_phone', ['phone']);
      // The backstop of "one prospect per phone in a campaign".
      unique(t, 'prospect_phone', ['campaign_id', 'phone']);
    });

    create('call_activity', (t) => {
      id(t);
      ref(t, 'call_activity', 'org_id', 'org');
      ref(t, 'call_activity', 'prospect_id', 'prospect', { nullable: true, onDelete: 'set null' });
      enumOf(t, 'direction', ['outbound', 'inbound']);
      text(t, 'purpose');
      text(t, 'from_number', { nullable: true });
      text(t, 'to_number', { nullable: true });
      ref(t, 'call_activity', 'user_id', 'app_user', { nullable: true, onDelete: 'set null' });
      text(t, 'channel_id', { nullable: true });
      datetime(t, 'started_at');
      datetime(t, 'answered_at', { nullable: true });
      datetime(t, 'ended_at', { nullable: true });
      integer(t, 'ring_seconds', { nullable: true });
      integer(t, 'talk_seconds', { nullable: true });
      text(t, 'result', { default: "'ringing'" });
      text(t, 'recording', { nullable: true });
      text(t, 'caller_id_reason', { nullable: true });
      index(t, 'call_activity', ['channel_id']);
      index(t, 'call_activity', ['from_number', 'started_at']);
      index(t, 'call_activity', ['to_number', 'started_at']);
      index(t, 'call_activity', ['prospect_id', 'started_at']);
    });

    create('application', (t) => {
      id(t);
      text(t, 'prospect_id');
      t.foreign('prospect_id', 'application_prospect_id_foreign').references('id').inTable('prospect').onUpdate('cascade');
      // One application per prospect: the guard of "assigned once".
      unique(t, 'application', ['prospect_id']);
      ref(t, 'application', 'primary_agent_id', 'app_user');
      enumOf(t, 'via', ['ring_all', 'distribute_all', 'manual', 'default_agent']);
      ref(t, 'application', 'assigned_by_id', 'app_user', { nullable: true, onDelete: 'set null' });
      datetime(t, 'created_at');
    });
  }

}
