import { Module } from '@nestjs/common';
import { OrgModule } from '../org/org.module';
import { BlfStateService } from './blf-state.service';
import { CheckSyncNotifier } from './check-sync.notifier';
import { PhoneRepository } from './phone.repository';
import { PhonesController } from './phones.controller';
import { PhonesService } from './phones.service';
import { ProvisioningController } from './provisioning.controller';
import { ProvisioningService } from './provisioning.service';

/** Zero-touch desk-phone provisioning: phones by MAC, the files they fetch (docs/desk-phones.md). */
@Module({ imports: [OrgModule], controllers: [PhonesController, ProvisioningController], providers: [PhoneRepository, PhonesService, ProvisioningService, CheckSyncNotifier, BlfStateService] })
export class ProvisioningModule {}
