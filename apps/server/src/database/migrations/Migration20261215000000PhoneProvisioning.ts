import type { Knex } from '@mikro-orm/knex';
import { Migration } from '@mikro-orm/migrations';
import { columnTypes, schemaStatements } from '../portable-schema';

// Zero-touch desk-phone provisioning (docs/desk-phones.md): desk phones by MAC, assigned to users;
// every configuration fetch logged (the unknown MACs waiting to be assigned are read from it); the
// user's SIP password kept encrypted so the phone's file can carry it (docs/security.md).
// Portable: the knex schema builder with MikroORM's column types (docs/database.md).
export class Migration20261215000000PhoneProvisioning extends Migration {
  override up(): void {
    const knex = this.getKnex();
    const T = columnTypes(knex);
    const schema = (builder: Knex.SchemaBuilder) => schemaStatements(builder).forEach((sql) => this.addSql(sql));
    schema(knex.schema.alterTable('app_user', (t) => t.specificType('sip_password_enc', T.text).nullable()));
    schema(
      knex.schema.createTable('desk_phone_device', (t) => {
        t.specificType('id', T.text).notNullable();
        t.primary(['id']);
        t.specificType('org_id', T.text).notNullable();
        t.foreign('org_id', 'desk_phone_device_org_id_foreign').references('id').inTable('org').onUpdate('cascade');
        t.index(['org_id'], 'desk_phone_device_org_id_index');
        t.specificType('mac', T.text).notNullable();
        t.unique(['mac'], { indexName: 'desk_phone_device_mac_unique', useConstraint: false });
        t.specificType('vendor', T.text).notNullable();
        t.specificType('label', T.text).nullable();
        t.specificType('user_id', T.text).nullable();
        t.foreign('user_id', 'desk_phone_device_user_id_foreign').references('id').inTable('app_user').onUpdate('cascade').onDelete('set null');
        t.unique(['user_id'], { indexName: 'desk_phone_device_user_id_unique', useConstraint: false });
        t.specificType('secret_hash', T.text).notNullable();
        t.unique(['secret_hash'], { indexName: 'desk_phone_device_secret_hash_unique', useConstraint: false });
        t.specificType('created_at', T.datetime).notNullable();
        t.specificType('last_fetch_at', T.datetime).nullable();
        t.specificType('last_fetch_address', T.text).nullable();
      }),
    );
    schema(
      knex.schema.createTable('provisioning_fetch', (t) => {
        t.specificType('id', T.text).notNullable();
        t.primary(['id']);
        t.specificType('at', T.datetime).notNullable();
        t.index(['at'], 'provisioning_fetch_at_index');
        t.specificType('address', T.text).notNullable();
        t.specificType('file', T.text).notNullable();
        t.specificType('mac', T.text).nullable();
        t.index(['mac'], 'provisioning_fetch_mac_index');
        t.specificType('vendor', T.text).nullable();
        t.specificType('phone_id', T.text).nullable();
        t.specificType('user_agent', T.text).nullable();
        t.specificType('result', T.text).notNullable();
      }),
    );
  }

  override down(): void {
    this.addSql('drop table provisioning_fetch');
    this.addSql('drop table desk_phone_device');
    this.addSql('alter table app_user drop column sip_password_enc');
  }
}
