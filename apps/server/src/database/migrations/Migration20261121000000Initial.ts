import { Migration } from '@mikro-orm/migrations';

export class Migration20261121000000Initial extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`org\` (\`id\` text not null, \`name\` text not null, \`caller_id\` text null, \`org_number\` text null, \`created_at\` datetime not null, \`updated_at\` datetime not null, primary key (\`id\`));`);

    this.addSql(`create table \`local_presence_number\` (\`id\` text not null, \`org_id\` text not null, \`number\` text not null, \`created_at\` datetime not null, constraint \`local_presence_number_org_id_foreign\` foreign key(\`org_id\`) references \`org\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`local_presence_number_org_id_index\` on \`local_presence_number\` (\`org_id\`);`);
    this.addSql(`create unique index \`local_presence_number_number_unique\` on \`local_presence_number\` (\`number\`);`);

    this.addSql(`create table \`local_presence_mapping\` (\`id\` text not null, \`number_id\` text not null, \`area_code\` text not null, constraint \`local_presence_mapping_number_id_foreign\` foreign key(\`number_id\`) references \`local_presence_number\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`local_presence_mapping_number_id_index\` on \`local_presence_mapping\` (\`number_id\`);`);
    this.addSql(`create unique index \`local_presence_mapping_number_id_area_code_unique\` on \`local_presence_mapping\` (\`number_id\`, \`area_code\`);`);

    this.addSql(`create table \`distribution_group\` (\`id\` text not null, \`org_id\` text not null, \`name\` text not null, \`filter_states\` json not null, \`filter_loan_purposes\` json not null, \`filter_loan_amount_min\` double null, \`filter_loan_amount_max\` double null, \`created_at\` datetime not null, constraint \`distribution_group_org_id_foreign\` foreign key(\`org_id\`) references \`org\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`distribution_group_org_id_index\` on \`distribution_group\` (\`org_id\`);`);

    this.addSql(`create table \`carrier_number\` (\`id\` text not null, \`org_id\` text not null, \`number\` text not null, \`area_code\` text not null, \`status\` text check (\`status\` in ('free', 'assigned')) not null default 'free', \`created_at\` datetime not null, constraint \`carrier_number_org_id_foreign\` foreign key(\`org_id\`) references \`org\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`carrier_number_org_id_index\` on \`carrier_number\` (\`org_id\`);`);
    this.addSql(`create unique index \`carrier_number_number_unique\` on \`carrier_number\` (\`number\`);`);
    this.addSql(`create index \`carrier_number_area_code_status_index\` on \`carrier_number\` (\`area_code\`, \`status\`);`);

    this.addSql(`create table \`app_user\` (\`id\` text not null, \`org_id\` text not null, \`name\` text not null, \`email\` text not null, \`role\` text check (\`role\` in ('admin', 'manager', 'agent')) not null, \`password_hash\` text not null, \`work_phone_type\` text check (\`work_phone_type\` in ('sip_desk', 'static_ip', 'external')) null, \`work_phone\` text null, \`sip_username\` text null, \`sip_md5cred\` text null, \`caller_id\` text null, \`state_licences\` json not null, \`filter_loan_purposes\` json not null, \`filter_loan_amount_min\` double null, \`filter_loan_amount_max\` double null, \`filter_lead_providers\` json not null, \`calls_on\` integer not null default false, \`logged_in\` integer not null default false, \`show_incoming_call_details\` integer not null default true, \`on_call_since\` datetime null, \`last_call_ended_at\` datetime null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`app_user_org_id_foreign\` foreign key(\`org_id\`) references \`org\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`app_user_org_id_index\` on \`app_user\` (\`org_id\`);`);
    this.addSql(`create unique index \`app_user_email_unique\` on \`app_user\` (\`email\`);`);
    this.addSql(`create unique index \`app_user_sip_username_unique\` on \`app_user\` (\`sip_username\`);`);
    this.addSql(`create index \`app_user_on_call_since_index\` on \`app_user\` (\`on_call_since\`);`);

    this.addSql(`create table \`distribution_group_member\` (\`distribution_group_id\` text not null, \`user_id\` text not null, constraint \`distribution_group_member_distribution_group_id_foreign\` foreign key(\`distribution_group_id\`) references \`distribution_group\`(\`id\`) on delete cascade on update cascade, constraint \`distribution_group_member_user_id_foreign\` foreign key(\`user_id\`) references \`app_user\`(\`id\`) on delete cascade on update cascade, primary key (\`distribution_group_id\`, \`user_id\`));`);
    this.addSql(`create index \`distribution_group_member_distribution_group_id_index\` on \`distribution_group_member\` (\`distribution_group_id\`);`);
    this.addSql(`create index \`distribution_group_member_user_id_index\` on \`distribution_group_member\` (\`user_id\`);`);

    this.addSql(`create table \`device_token\` (\`id\` text not null, \`user_id\` text not null, \`name\` text not null, \`secret_hash\` text not null, \`created_at\` datetime not null, \`last_used_at\` datetime null, constraint \`device_token_user_id_foreign\` foreign key(\`user_id\`) references \`app_user\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`device_token_user_id_index\` on \`device_token\` (\`user_id\`);`);

    this.addSql(`create table \`campaign\` (\`id\` text not null, \`org_id\` text not null, \`name\` text not null, \`description\` text null, \`lead_provider\` text null, \`distribution_type\` text check (\`distribution_type\` in ('ring_all', 'distribute_all', 'none')) not null default 'none', \`distribution_group_id\` text null, \`default_agent_id\` text null, \`ring_timeout_seconds\` integer not null default 30, \`offer_timeout_seconds\` integer not null default 60, \`api_key\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`campaign_org_id_foreign\` foreign key(\`org_id\`) references \`org\`(\`id\`) on update cascade, constraint \`campaign_distribution_group_id_foreign\` foreign key(\`distribution_group_id\`) references \`distribution_group\`(\`id\`) on delete set null on update cascade, constraint \`campaign_default_agent_id_foreign\` foreign key(\`default_agent_id\`) references \`app_user\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`campaign_org_id_index\` on \`campaign\` (\`org_id\`);`);
    this.addSql(`create index \`campaign_distribution_group_id_index\` on \`campaign\` (\`distribution_group_id\`);`);
    this.addSql(`create index \`campaign_default_agent_id_index\` on \`campaign\` (\`default_agent_id\`);`);

    this.addSql(`create table \`prospect\` (\`id\` text not null, \`org_id\` text not null, \`campaign_id\` text not null, \`first_name\` text null, \`last_name\` text null, \`mobile_phone\` text null, \`home_phone\` text null, \`work_phone\` text null, \`email\` text null, \`property_state\` text null, \`loan_purpose\` text null, \`loan_amount\` double null, \`lead_provider\` text null, \`extra\` json not null, \`status\` text check (\`status\` in ('new', 'distributing', 'assigned', 'exception')) not null default 'new', \`ignored\` integer not null default false, \`ignored_at\` datetime null, \`failure_reason\` text null, \`failure_detail\` text null, \`distribution_started_at\` datetime null, \`first_ring_at\` datetime null, \`taken_at\` datetime null, \`borrower_answered_at\` datetime null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`prospect_org_id_foreign\` foreign key(\`org_id\`) references \`org\`(\`id\`) on update cascade, constraint \`prospect_campaign_id_foreign\` foreign key(\`campaign_id\`) references \`campaign\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`prospect_org_id_index\` on \`prospect\` (\`org_id\`);`);
    this.addSql(`create index \`prospect_campaign_id_index\` on \`prospect\` (\`campaign_id\`);`);
    this.addSql(`create index \`prospect_status_ignored_created_at_index\` on \`prospect\` (\`status\`, \`ignored\`, \`created_at\`);`);

    this.addSql(`create table \`prospect_phone\` (\`id\` text not null, \`campaign_id\` text not null, \`phone\` text not null, \`prospect_id\` text not null, constraint \`prospect_phone_campaign_id_foreign\` foreign key(\`campaign_id\`) references \`campaign\`(\`id\`) on update cascade, constraint \`prospect_phone_prospect_id_foreign\` foreign key(\`prospect_id\`) references \`prospect\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`prospect_phone_campaign_id_index\` on \`prospect_phone\` (\`campaign_id\`);`);
    this.addSql(`create index \`prospect_phone_phone_index\` on \`prospect_phone\` (\`phone\`);`);
    this.addSql(`create index \`prospect_phone_prospect_id_index\` on \`prospect_phone\` (\`prospect_id\`);`);
    this.addSql(`create unique index \`prospect_phone_campaign_id_phone_unique\` on \`prospect_phone\` (\`campaign_id\`, \`phone\`);`);

    this.addSql(`create table \`call_activity\` (\`id\` text not null, \`org_id\` text not null, \`prospect_id\` text null, \`direction\` text check (\`direction\` in ('outbound', 'inbound')) not null, \`purpose\` text not null, \`from_number\` text null, \`to_number\` text null, \`user_id\` text null, \`channel_id\` text null, \`started_at\` datetime not null, \`answered_at\` datetime null, \`ended_at\` datetime null, \`ring_seconds\` integer null, \`talk_seconds\` integer null, \`result\` text not null default 'ringing', \`recording\` text null, \`caller_id_reason\` text null, constraint \`call_activity_org_id_foreign\` foreign key(\`org_id\`) references \`org\`(\`id\`) on update cascade, constraint \`call_activity_prospect_id_foreign\` foreign key(\`prospect_id\`) references \`prospect\`(\`id\`) on delete set null on update cascade, constraint \`call_activity_user_id_foreign\` foreign key(\`user_id\`) references \`app_user\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`call_activity_org_id_index\` on \`call_activity\` (\`org_id\`);`);
    this.addSql(`create index \`call_activity_prospect_id_index\` on \`call_activity\` (\`prospect_id\`);`);
    this.addSql(`create index \`call_activity_user_id_index\` on \`call_activity\` (\`user_id\`);`);
    this.addSql(`create index \`call_activity_channel_id_index\` on \`call_activity\` (\`channel_id\`);`);
    this.addSql(`create index \`call_activity_from_number_started_at_index\` on \`call_activity\` (\`from_number\`, \`started_at\`);`);
    this.addSql(`create index \`call_activity_to_number_started_at_index\` on \`call_activity\` (\`to_number\`, \`started_at\`);`);
    this.addSql(`create index \`call_activity_prospect_id_started_at_index\` on \`call_activity\` (\`prospect_id\`, \`started_at\`);`);

    this.addSql(`create table \`application\` (\`id\` text not null, \`prospect_id\` text not null, \`primary_agent_id\` text not null, \`via\` text check (\`via\` in ('ring_all', 'distribute_all', 'manual', 'default_agent')) not null, \`assigned_by_id\` text null, \`created_at\` datetime not null, constraint \`application_prospect_id_foreign\` foreign key(\`prospect_id\`) references \`prospect\`(\`id\`) on update cascade, constraint \`application_primary_agent_id_foreign\` foreign key(\`primary_agent_id\`) references \`app_user\`(\`id\`) on update cascade, constraint \`application_assigned_by_id_foreign\` foreign key(\`assigned_by_id\`) references \`app_user\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`create unique index \`application_prospect_id_unique\` on \`application\` (\`prospect_id\`);`);
    this.addSql(`create index \`application_primary_agent_id_index\` on \`application\` (\`primary_agent_id\`);`);
    this.addSql(`create index \`application_assigned_by_id_index\` on \`application\` (\`assigned_by_id\`);`);
  }

}
