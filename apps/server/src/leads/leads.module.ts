import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { ActionPostController } from './action-post/action-post.controller';
import { ActionPostLimits } from './action-post/action-post-limits';
import { ActionPostService } from './action-post/action-post.service';
import { ProspectIntakeRepository } from './prospect-intake.repository';
import { ProspectRepository } from './prospect.repository';
import { ApplicationsController, ProspectsController } from './prospects.controller';
import { ProspectsService } from './prospects.service';

@Module({
  imports: [CampaignsModule],
  controllers: [ActionPostController, ProspectsController, ApplicationsController],
  providers: [ProspectRepository, ProspectIntakeRepository, ActionPostService, ActionPostLimits, ProspectsService],
  exports: [ProspectRepository, ProspectsService],
})
export class LeadsModule {}
