import { Module } from '@nestjs/common';
import { LeadsModule } from '../leads/leads.module';
import { OrgModule } from '../org/org.module';
import { LeadExceptionController } from './lead-exception.controller';
import { LeadExceptionService } from './lead-exception.service';
import { LeadListRepository } from './lead-list.repository';
import { UnassignedLeadController } from './unassigned-lead.controller';

@Module({
  imports: [LeadsModule, OrgModule],
  controllers: [LeadExceptionController, UnassignedLeadController],
  providers: [LeadListRepository, LeadExceptionService],
})
export class LeadExceptionsModule {}
