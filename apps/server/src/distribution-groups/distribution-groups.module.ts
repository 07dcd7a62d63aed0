import { Module } from '@nestjs/common';
import { DistributionGroupRepository } from './distribution-group.repository';
import { DistributionGroupsController } from './distribution-groups.controller';
import { DistributionGroupsService } from './distribution-groups.service';

@Module({ controllers: [DistributionGroupsController], providers: [DistributionGroupRepository, DistributionGroupsService], exports: [DistributionGroupRepository] })
export class DistributionGroupsModule {}
