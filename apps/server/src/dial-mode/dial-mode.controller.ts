import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { DialLeadView } from '@leadline/contracts';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Roles } from '../auth/roles.decorator';
import { Page } from '../users/user.repository';
import { CallingWindowDto, CampaignModeParams, CreateLeadStatusDto, DialAccessDto, DialModeSettingsDto, QueueQueryDto, SetLeadStatusDto, UpdateLeadStatusDto } from './dial-mode.dto';
import { CallingWindowView, DialModeConfigService, DialModeSettingsView, LeadStatusView } from './dial-mode-config.service';
import type { DialModeAccessView, DialModeOverviewRow } from '@leadline/contracts';
import { DialQueueService, LeadStatusChangeView } from './dial-queue.service';
import { DialerService } from './dialer.service';
import { ApiPage, ApiView, ApiViewList } from '../openapi/api-view.decorator';

/** Dial mode configuration and the views admins and managers work with. */
@ApiTags('dial-mode')
@ApiBearerAuth()
@Controller('dial-mode')
@Roles('admin', 'manager')
export class DialModeController {
  constructor(
    private readonly config: DialModeConfigService,
    private readonly queue: DialQueueService,
    private readonly dialer: DialerService,
  ) {}

  @Get('overview')
  @ApiOperation({ summary: 'The admin table: every campaign × call mode with its lead counts per sub-state, links to settings and access' })
  @ApiViewList('DialModeOverviewRow')
  overview(@CurrentUser() me: AuthUser): Promise<DialModeOverviewRow[]> {
    return this.config.overview(me.orgId);
  }

  @Get('queue')
  @ApiOperation({ summary: 'The order list: queued leads in the order operators get them' })
  @ApiPage('DialLeadView')
  queueList(@CurrentUser() me: AuthUser, @Query() q: QueueQueryDto): Promise<Page<DialLeadView>> {
    return this.queue.orderList(me.orgId, { campaignId: q.campaignId, mode: q.mode, subState: q.subState }, q.page, q.pageSize);
  }

  @Post('entries/:id/release')
  @HttpCode(200)
  @ApiOperation({ summary: 'Give a lead an operator holds back to its queue, unchanged' })
  @ApiView('ReleasedView')
  releaseEntry(@CurrentUser() me: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<{ released: boolean }> {
    return this.dialer.forceRelease(me.orgId, id);
  }

  @Get('campaigns/:campaignId/statuses')
  @Roles('admin', 'manager', 'agent')
  @ApiOperation({ summary: "A campaign's lead statuses (agents too: an operator picks the next status on success)" })
  @ApiViewList('LeadStatusView')
  statuses(@CurrentUser() me: AuthUser, @Param('campaignId', ParseUUIDPipe) campaignId: string): Promise<LeadStatusView[]> {
    return this.config.statuses(me.orgId, campaignId);
  }

  @Post('campaigns/:campaignId/statuses')
  @ApiOperation({ summary: 'Add a lead status; addToDialMode + callMode: leads entering it join that call mode' })
  @ApiView('LeadStatusView', 201)
  createStatus(@CurrentUser() me: AuthUser, @Param('campaignId', ParseUUIDPipe) campaignId: string, @Body() dto: CreateLeadStatusDto): Promise<LeadStatusView> {
    return this.config.createStatus(me.orgId, campaignId, dto);
  }

  @Patch('statuses/:id')
  @ApiView('LeadStatusView')
  updateStatus(@CurrentUser() me: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateLeadStatusDto): Promise<LeadStatusView> {
    return this.config.updateStatus(me.orgId, id, dto);
  }

  @Delete('statuses/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a lead status no lead is in (409 otherwise)' })
  deleteStatus(@CurrentUser() me: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.config.deleteStatus(me.orgId, id);
  }

  @Get('campaigns/:campaignId/modes/:mode/settings')
  @ApiView('DialModeSettingsView')
  settings(@CurrentUser() me: AuthUser, @Param() p: CampaignModeParams): Promise<DialModeSettingsView> {
    return this.config.settings(me.orgId, p.campaignId, p.mode);
  }

  @Put('campaigns/:campaignId/modes/:mode/settings')
  @ApiOperation({ summary: 'Change settings of a campaign × call mode (fields not given keep their value); queued leads are re-ordered' })
  @ApiView('DialModeSettingsView')
  updateSettings(@CurrentUser() me: AuthUser, @Param() p: CampaignModeParams, @Body() dto: DialModeSettingsDto): Promise<DialModeSettingsView> {
    return this.config.updateSettings(me.orgId, p.campaignId, p.mode, dto);
  }

  @Get('campaigns/:campaignId/modes/:mode/access')
  @ApiView('DialModeAccessView')
  access(@CurrentUser() me: AuthUser, @Param() p: CampaignModeParams): Promise<DialModeAccessView> {
    return this.config.access(me.orgId, p.campaignId, p.mode);
  }

  @Put('campaigns/:campaignId/modes/:mode/access')
  @ApiOperation({ summary: 'The agents who may work this campaign × call mode (replaces the list; admins and managers may always)' })
  @ApiView('DialModeAccessView')
  setAccess(@CurrentUser() me: AuthUser, @Param() p: CampaignModeParams, @Body() dto: DialAccessDto): Promise<DialModeAccessView> {
    return this.config.setAccess(me.orgId, p.campaignId, p.mode, dto.userIds);
  }

  @Get('campaigns/:campaignId/calling-window')
  @ApiView('CallingWindowView')
  callingWindow(@CurrentUser() me: AuthUser, @Param('campaignId', ParseUUIDPipe) campaignId: string): Promise<CallingWindowView> {
    return this.config.callingWindow(me.orgId, campaignId);
  }

  @Put('campaigns/:campaignId/calling-window')
  @ApiOperation({ summary: "The hours leads may be dialled, in the borrower's local time (default 08:00–21:00)" })
  @ApiView('CallingWindowView')
  setCallingWindow(@CurrentUser() me: AuthUser, @Param('campaignId', ParseUUIDPipe) campaignId: string, @Body() dto: CallingWindowDto): Promise<CallingWindowView> {
    return this.config.setCallingWindow(me.orgId, campaignId, dto);
  }
}

/** Setting a lead's status (and with it, maybe, a dial-mode queue). */
@ApiTags('dial-mode')
@ApiBearerAuth()
@Controller('dial-mode/leads')
export class LeadStatusController {
  constructor(private readonly queue: DialQueueService) {}

  @Put(':prospectId/status')
  @Roles('admin', 'manager', 'agent')
  @ApiOperation({ summary: "Set a lead's status; a status flagged for dial mode queues the lead as unprocessed (an agent: only their own applications)" })
  @ApiView('LeadStatusChangeView')
  setStatus(@CurrentUser() me: AuthUser, @Param('prospectId', ParseUUIDPipe) prospectId: string, @Body() dto: SetLeadStatusDto): Promise<LeadStatusChangeView> {
    return this.queue.setLeadStatus(me, prospectId, dto.statusId);
  }
}
