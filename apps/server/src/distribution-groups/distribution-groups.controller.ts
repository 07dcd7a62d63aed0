import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Roles } from '../auth/roles.decorator';
import { CreateDistributionGroupDto, DistributionGroupView, UpdateDistributionGroupDto } from './distribution-group.dto';
import { DistributionGroupsService } from './distribution-groups.service';
import { ApiView, ApiViewList } from '../openapi/api-view.decorator';

@ApiTags('distribution-groups')
@ApiBearerAuth()
@Controller('distribution-groups')
export class DistributionGroupsController {
  constructor(private readonly groups: DistributionGroupsService) {}

  @Get()
  @Roles('admin', 'manager')
  @ApiViewList('DistributionGroupView')
  list(@CurrentUser() me: AuthUser): Promise<DistributionGroupView[]> {
    return this.groups.list(me.orgId);
  }

  @Get(':id')
  @Roles('admin', 'manager')
  @ApiView('DistributionGroupView')
  get(@CurrentUser() me: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<DistributionGroupView> {
    return this.groups.get(me.orgId, id);
  }

  @Post()
  @Roles('admin')
  @ApiView('DistributionGroupView', 201)
  create(@CurrentUser() me: AuthUser, @Body() dto: CreateDistributionGroupDto): Promise<DistributionGroupView> {
    return this.groups.create(me.orgId, dto);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiView('DistributionGroupView')
  update(@CurrentUser() me: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateDistributionGroupDto): Promise<DistributionGroupView> {
    return this.groups.update(me.orgId, id, dto);
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(204)
  remove(@CurrentUser() me: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.groups.remove(me.orgId, id);
  }
}
