import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Roles } from '../auth/roles.decorator';
import { CampaignView, CreateCampaignDto, UpdateCampaignDto } from './campaign.dto';
import { CampaignsService } from './campaigns.service';
import { ApiView, ApiViewList } from '../openapi/api-view.decorator';

@ApiTags('campaigns')
@ApiBearerAuth()
@Controller('campaigns')
@Roles('admin', 'manager')
export class CampaignsController {
  constructor(private readonly campaigns: CampaignsService) {}

  @Get()
  @ApiViewList('CampaignView')
  list(@CurrentUser() me: AuthUser): Promise<CampaignView[]> {
    return this.campaigns.list(me.orgId);
  }

  @Get(':id')
  @ApiView('CampaignView')
  get(@CurrentUser() me: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<CampaignView> {
    return this.campaigns.get(me.orgId, id);
  }

  @Post()
  @ApiView('CampaignView', 201)
  create(@CurrentUser() me: AuthUser, @Body() dto: CreateCampaignDto): Promise<CampaignView> {
    return this.campaigns.create(me.orgId, dto);
  }

  @Patch(':id')
  @ApiView('CampaignView')
  update(@CurrentUser() me: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateCampaignDto): Promise<CampaignView> {
    return this.campaigns.update(me.orgId, id, dto);
  }

  @Post(':id/rotate-key')
  @ApiOperation({ summary: 'Issue a new Action Post key; the old one stops working at once' })
  @ApiView('CampaignView', 201)
  rotateKey(@CurrentUser() me: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<CampaignView> {
    return this.campaigns.rotateKey(me.orgId, id);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@CurrentUser() me: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.campaigns.remove(me.orgId, id);
  }
}
