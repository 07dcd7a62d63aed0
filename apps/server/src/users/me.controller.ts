import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Roles } from '../auth/roles.decorator';
import { MeTogglesDto } from './user.dto';
import { UserView } from './user.view';
import { UsersService } from './users.service';
import { ApiView } from '../openapi/api-view.decorator';

@ApiTags('me')
@ApiBearerAuth()
@Controller('me')
@Roles('admin', 'manager', 'agent')
export class MeController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiView('UserView')
  get(@CurrentUser() me: AuthUser): Promise<UserView> {
    return this.users.get(me.orgId, me.id);
  }

  @Patch('session')
  @ApiOperation({ summary: 'Log in/out of taking calls, turn calls on/off, show incoming call details' })
  @ApiView('UserView')
  toggles(@CurrentUser() me: AuthUser, @Body() dto: MeTogglesDto): Promise<UserView> {
    return this.users.setToggles(me.orgId, me.id, dto);
  }
}
