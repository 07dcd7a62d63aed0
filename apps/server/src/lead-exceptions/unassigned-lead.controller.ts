import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Roles } from '../auth/roles.decorator';
import { Page } from '../users/user.repository';
import { UnassignedLeadQueryDto } from './lead-exception.dto';
import { LeadExceptionService } from './lead-exception.service';
import { LeadRowView } from './lead-row.view';
import { ApiPage } from '../openapi/api-view.decorator';

@ApiTags('lead-exceptions')
@ApiBearerAuth()
@Controller('unassigned-leads')
@Roles('admin', 'manager')
export class UnassignedLeadController {
  constructor(private readonly exceptions: LeadExceptionService) {}

  @Get()
  @ApiOperation({ summary: 'Leads nobody has taken yet (new, distributing, exception; ignored ones flagged), newest first' })
  @ApiPage('LeadRowView')
  list(@CurrentUser() me: AuthUser, @Query() q: UnassignedLeadQueryDto): Promise<Page<LeadRowView>> {
    return this.exceptions.listUnassigned(me.orgId, q);
  }
}
