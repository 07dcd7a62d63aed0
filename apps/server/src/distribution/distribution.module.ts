import { Module } from '@nestjs/common';
import { LeadsModule } from '../leads/leads.module';
import { DistributionRepository } from './distribution.repository';
import { DistributionService } from './distribution.service';
import { RingAllService } from './ring-all/ring-all.service';

@Module({
  imports: [LeadsModule],
  providers: [DistributionRepository, DistributionService, RingAllService],
  exports: [DistributionService, RingAllService],
})
export class DistributionModule {}
