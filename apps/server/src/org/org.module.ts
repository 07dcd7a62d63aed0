import { Module } from '@nestjs/common';
import { OrgController, PromptsController } from './org.controller';
import { OrgRepository } from './org.repository';
import { OrgService } from './org.service';

@Module({ controllers: [OrgController, PromptsController], providers: [OrgRepository, OrgService], exports: [OrgRepository] })
export class OrgModule {}
