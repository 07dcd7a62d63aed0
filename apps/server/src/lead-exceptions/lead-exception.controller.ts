import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Roles } from '../auth/roles.decorator';
import { Page } from '../users/user.repository';
import { AssignLeadExceptionDto, LeadExceptionQueryDto } from './lead-exception.dto';
import { LeadExceptionService } from './lead-exception.service';
import { LeadRowView } from './lead-row.view';
import { ApiPage, ApiView } from '../openapi/api-view.decorator';

@ApiTags('lead-exceptions')
@ApiBearerAuth()
@Controller('lead-exceptions')
@Roles('admin', 'manager')
export class LeadExceptionController {
  constructor(private readonly exceptions: LeadExceptionService) {}

  @Get()
  @ApiOperation({ summary: 'Leads whose distribution failed; filter by any column, sort, page; showIgnored lists ignored ones last' })
  @ApiPage('LeadRowView')
  list(@CurrentUser() me: AuthUser, @Query() q: LeadExceptionQueryDto): Promise<Page<LeadRowView>> {
    return this.exceptions.list(me.orgId, q);
  }

  @Post(':prospectId/assign')
  @ApiOperation({ summary: 'Assign a lead exception (ignored or not) to a user; 409 when it is assigned already or not an exception' })
  @ApiView('AssignedView', 201)
  assign(@CurrentUser() me: AuthUser, @Param('prospectId', ParseUUIDPipe) prospectId: string, @Body() dto: AssignLeadExceptionDto): Promise<{ applicationId: string }> {
    return this.exceptions.assign(me, prospectId, dto.userId);
  }

  @Post(':prospectId/ignore')
  @HttpCode(200)
  @ApiOperation({ summary: 'Hide a lead exception from the list (idempotent)' })
  @ApiView('LeadRowView')
  ignore(@CurrentUser() me: AuthUser, @Param('prospectId', ParseUUIDPipe) prospectId: string): Promise<LeadRowView> {
    return this.exceptions.ignore(me, prospectId);
  }

  @Post(':prospectId/unignore')
  @HttpCode(200)
  @ApiOperation({ summary: 'Show an ignored lead exception again (idempotent)' })
  @ApiView('LeadRowView')
  unignore(@CurrentUser() me: AuthUser, @Param('prospectId', ParseUUIDPipe) prospectId: string): Promise<LeadRowView> {
    return this.exceptions.unignore(me, prospectId);
  }
}
