import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Roles } from '../auth/roles.decorator';
import { OrgView, UpdateOrgDto } from './org.dto';
import { OrgService } from './org.service';
import { ApiView } from '../openapi/api-view.decorator';

@ApiTags('org')
@ApiBearerAuth()
@Controller('org')
export class OrgController {
  constructor(private readonly org: OrgService) {}

  @Get()
  @Roles('admin', 'manager', 'agent')
  @ApiView('OrgView')
  get(@CurrentUser() me: AuthUser): Promise<OrgView> {
    return this.org.get(me.orgId);
  }

  @Patch()
  @Roles('admin')
  @ApiView('OrgView')
  update(@CurrentUser() me: AuthUser, @Body() dto: UpdateOrgDto): Promise<OrgView> {
    return this.org.update(me.orgId, dto);
  }
}
