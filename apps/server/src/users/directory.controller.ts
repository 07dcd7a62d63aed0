import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { DirectoryEntryView } from '@leadline/contracts';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Roles } from '../auth/roles.decorator';
import { ApiViewList } from '../openapi/api-view.decorator';
import { DirectoryService } from './directory.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('directory')
@Roles('admin', 'manager', 'agent')
export class DirectoryController {
  constructor(private readonly directory: DirectoryService) {}

  @Get()
  @ApiOperation({ summary: "The org's users for any signed-in user: id, name, extension and presence state only (to pick a transfer target)" })
  @ApiViewList('DirectoryEntryView')
  list(@CurrentUser() me: AuthUser): Promise<DirectoryEntryView[]> {
    return this.directory.list(me.orgId);
  }
}
