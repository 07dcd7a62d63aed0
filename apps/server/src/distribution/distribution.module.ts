import { Module } from '@nestjs/common';
import { LeadsModule } from '../leads/leads.module';
import { RealtimeModule } from '../realtime/realtime.module';
import { DistributeAllService } from './distribute-all/distribute-all.service';
import { LeadOfferRepository } from './distribute-all/lead-offer.repository';
import { DistributionFailures } from './distribution-failures.service';
import { DistributionRepository } from './distribution.repository';
import { DistributionService } from './distribution.service';
import { RecoverySweep } from './recovery-sweep.service';
import { RingAllService } from './ring-all/ring-all.service';

@Module({
  imports: [LeadsModule, RealtimeModule],
  providers: [DistributionRepository, DistributionService, DistributionFailures, RingAllService, DistributeAllService, LeadOfferRepository, RecoverySweep],
  exports: [DistributionService, RingAllService, DistributionRepository],
})
export class DistributionModule {}
