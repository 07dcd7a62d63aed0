import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Roles } from '../auth/roles.decorator';
import { PageQueryDto } from '../users/user.dto';
import { Page } from '../users/user.repository';
import { CallActivityService, CallActivityView } from './call-activity.service';

export class CallActivityQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID('4')
  prospectId?: string;
}

@ApiTags('call-activity')
@ApiBearerAuth()
@Controller('call-activity')
@Roles('admin', 'manager', 'agent')
export class CallActivityController {
  constructor(private readonly activity: CallActivityService) {}

  @Get()
  list(@CurrentUser() me: AuthUser, @Query() q: CallActivityQueryDto): Promise<Page<CallActivityView>> {
    return this.activity.list(me, q.prospectId, q.page, q.pageSize);
  }
}
