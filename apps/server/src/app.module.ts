import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AuthModule } from './auth/auth.module';
import { CallActivityModule } from './call-activity/call-activity.module';
import { CallsModule } from './calls/calls.module';
import { CampaignsModule } from './campaigns/campaigns.module';
import { Clock, ClockModule, SystemClock } from './common/clock';
import { DomainErrorFilter } from './common/domain-error.filter';
import { appValidationPipe } from './common/validation.pipe';
import { AppConfig } from './config/app-config';
import { ComplianceModule } from './compliance/compliance.module';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { DeskPhoneModule } from './desk-phone/desk-phone.module';
import { DevicesModule } from './devices/devices.module';
import { DialModeModule } from './dial-mode/dial-mode.module';
import { PresenceModule } from './presence/presence.module';
import { ProvisioningModule } from './provisioning/provisioning.module';
import { InboundModule } from './inbound/inbound.module';
import { DistributionModule } from './distribution/distribution.module';
import { DistributionGroupsModule } from './distribution-groups/distribution-groups.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { LeadExceptionsModule } from './lead-exceptions/lead-exceptions.module';
import { LeadsModule } from './leads/leads.module';
import { LocalPresenceModule } from './local-presence/local-presence.module';
import { LoggingModule } from './logging/logging.module';
import { OrgModule } from './org/org.module';
import { RecordingLinksModule } from './recordings/recording-links';
import { RecordingsModule } from './recordings/recordings.module';
import { ReportsModule } from './reports/reports.module';
import { SipSecurityModule } from './sip-security/sip-security.module';
import { TelephonyModule } from './telephony/telephony.module';
import { UsersModule } from './users/users.module';
import { WebhookOutboxModule, WebhooksModule } from './webhooks/webhooks.module';

/** What the embedding code (main.ts, the integration tests) may choose besides the config. */
export interface AppOptions {
  /** Time source of dial mode's scheduling; the system clock unless a test moves its own. */
  clock?: Clock;
}

@Module({})
export class AppModule {
  static register(config: AppConfig, options: AppOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.register(config),
        ClockModule.register(options.clock ?? new SystemClock()),
        LoggingModule.register(config),
        DatabaseModule.register(config),
        EventsModule,
        RecordingLinksModule,
        WebhookOutboxModule,
        ComplianceModule,
        TelephonyModule,
        UsersModule,
        AuthModule,
        OrgModule,
        DistributionGroupsModule,
        CampaignsModule,
        LeadsModule,
        LeadExceptionsModule,
        DevicesModule,
        PresenceModule,
        DistributionModule,
        InboundModule,
        LocalPresenceModule,
        CallsModule,
        DeskPhoneModule,
        CallActivityModule,
        DialModeModule,
        RecordingsModule,
        ReportsModule,
        WebhooksModule,
        HealthModule,
        SipSecurityModule,
        ProvisioningModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: DomainErrorFilter },
        { provide: APP_PIPE, useValue: appValidationPipe },
      ],
    };
  }
}
