import type { Knex } from '@mikro-orm/knex';
import { Migration } from '@mikro-orm/migrations';
import { columnTypes, schemaStatements } from '../portable-schema';

// Desk phones as full phones: every user gets an extension (unique in the org; existing users get
// 1001, 1002 … in the order they were created), and a call-activity row can say why a call went
// the way it did (e.g. the dialling policy refused the number). Portable (docs/database.md).
export class Migration20261211000000DeskPhones extends Migration {
  override up(): void {
    const knex = this.getKnex();
    const T = columnTypes(knex);
    const schema = (builder: Knex.SchemaBuilder) => schemaStatements(builder).forEach((sql) => this.addSql(sql));
    schema(knex.schema.alterTable('app_user', (t) => t.specificType('extension', T.text).nullable()));
    schema(knex.schema.alterTable('call_activity', (t) => t.specificType('detail', T.text).nullable()));
    // Numbered per org in creation order (ties by id): a correlated count both databases accept.
    this.addSql(
      `update app_user set extension = cast(1000 + (select count(*) from app_user u2 where u2.org_id = app_user.org_id and (u2.created_at < app_user.created_at or (u2.created_at = app_user.created_at and u2.id <= app_user.id))) as ${T.text})`,
    );
    schema(knex.schema.alterTable('app_user', (t) => t.unique(['org_id', 'extension'], { indexName: 'app_user_org_id_extension_unique', useConstraint: false })));
  }

  override down(): void {
    this.addSql('drop index app_user_org_id_extension_unique');
    this.addSql('alter table app_user drop column extension');
    this.addSql('alter table call_activity drop column detail');
  }
}
