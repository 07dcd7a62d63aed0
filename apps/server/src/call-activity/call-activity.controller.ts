import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Roles } from '../auth/roles.decorator';
import { Page } from '../users/user.repository';
import { CallActivityQueryDto } from './call-activity.dto';
import { CallActivityService } from './call-activity.service';
import { CallActivityView } from './call-activity.view';
import { ApiPage } from '../openapi/api-view.decorator';

@ApiTags('call-activity')
@ApiBearerAuth()
@Controller('call-activity')
@Roles('admin', 'manager', 'agent')
export class CallActivityController {
  constructor(private readonly activity: CallActivityService) {}

  @Get()
  @ApiOperation({ summary: 'Call legs of the org (an agent sees only their own), filtered, sorted and paged' })
  @ApiPage('CallActivityView')
  list(@CurrentUser() me: AuthUser, @Query() q: CallActivityQueryDto): Promise<Page<CallActivityView>> {
    return this.activity.list(me, q);
  }
}
