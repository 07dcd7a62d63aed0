import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags, IntersectionType } from '@nestjs/swagger';
import type { Response } from 'express';
import { PROSPECT_STATUSES, ProspectStatus } from '@leadline/domain';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsUUID } from 'class-validator';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { toOptionalBoolean } from '../lead-exceptions/lead-filter.util';
import { Roles } from '../auth/roles.decorator';
import { PageQueryDto } from '../users/user.dto';
import { Page } from '../users/user.repository';
import { toCsv } from '../common/csv';
import { ApplicationView, EXPORT_MAX_ROWS, PROSPECT_EXPORT_COLUMNS, ProspectView } from './lead.views';
import { ProspectsService } from './prospects.service';
import { ApiPage, ApiView } from '../openapi/api-view.decorator';

export class ProspectExportQueryDto {
  @ApiPropertyOptional({ enum: PROSPECT_STATUSES, isArray: true, description: 'Comma-separated' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',') : value))
  @IsIn(PROSPECT_STATUSES, { each: true })
  status?: ProspectStatus[];

  @ApiPropertyOptional() @IsOptional() @IsUUID('4')
  campaignId?: string;
}

export class ProspectQueryDto extends IntersectionType(PageQueryDto, ProspectExportQueryDto) {}

export class ApplicationQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ default: false, description: "Only the caller's own applications (agents always get only their own)" })
  @IsOptional() @Transform(({ value }: { value: unknown }) => toOptionalBoolean(value)) @IsBoolean()
  mine?: boolean;
}

export class AssignDto {
  @ApiProperty() @IsUUID('4')
  userId!: string;
}

@ApiTags('prospects')
@ApiBearerAuth()
@Controller('prospects')
@Roles('admin', 'manager')
export class ProspectsController {
  constructor(private readonly prospects: ProspectsService) {}

  @Get()
  @ApiPage('ProspectView')
  list(@CurrentUser() me: AuthUser, @Query() q: ProspectQueryDto): Promise<Page<ProspectView>> {
    return this.prospects.list(me.orgId, { status: q.status, campaignId: q.campaignId }, q.page, q.pageSize);
  }

  @Get('export')
  @ApiOperation({ summary: `The prospects of the filter as a CSV file (text/csv, RFC 4180, header row), newest first, at most ${EXPORT_MAX_ROWS}: lead fields and consent evidence` })
  @ApiOkResponse({ description: 'leads.csv', content: { 'text/csv': { schema: { type: 'string' } } } })
  async export(@CurrentUser() me: AuthUser, @Query() q: ProspectExportQueryDto, @Res({ passthrough: true }) res: Response): Promise<string> {
    const rows = await this.prospects.exportRows(me.orgId, { status: q.status, campaignId: q.campaignId });
    res.type('text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="leads.csv"');
    return toCsv(rows, PROSPECT_EXPORT_COLUMNS);
  }

  @Get(':id')
  @ApiView('ProspectView')
  get(@CurrentUser() me: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<ProspectView> {
    return this.prospects.get(me.orgId, id);
  }

  @Post(':id/assign')
  @ApiOperation({ summary: 'Assign a prospect to a user; 409 when it is already assigned' })
  @ApiView('AssignedView', 201)
  assign(@CurrentUser() me: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: AssignDto): Promise<{ applicationId: string }> {
    return this.prospects.assign(me.orgId, id, dto.userId, 'manual', me.id);
  }
}

@ApiTags('applications')
@ApiBearerAuth()
@Controller('applications')
@Roles('admin', 'manager', 'agent')
export class ApplicationsController {
  constructor(private readonly prospects: ProspectsService) {}

  @Get()
  @ApiOperation({ summary: 'Applications, newest first; an agent sees only their own, a manager or admin too with mine=true' })
  @ApiPage('ApplicationView')
  list(@CurrentUser() me: AuthUser, @Query() q: ApplicationQueryDto): Promise<Page<ApplicationView>> {
    return this.prospects.listApplications(me, q.page, q.pageSize, q.mine === true);
  }

  @Get(':id')
  @ApiView('ApplicationView')
  get(@CurrentUser() me: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<ApplicationView> {
    return this.prospects.getApplication(me, id);
  }
}
