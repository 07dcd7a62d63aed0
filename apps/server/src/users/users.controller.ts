import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Roles } from '../auth/roles.decorator';
import { CreateUserDto, PageQueryDto, UpdateUserDto } from './user.dto';
import { Page } from './user.repository';
import { UserView } from './user.view';
import { UsersService } from './users.service';
import { ApiPage, ApiView } from '../openapi/api-view.decorator';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Roles('admin', 'manager')
  @ApiOperation({ summary: 'List users (managers need it to assign leads)' })
  @ApiPage('UserView')
  list(@CurrentUser() me: AuthUser, @Query() q: PageQueryDto): Promise<Page<UserView>> {
    return this.users.list(me.orgId, q.page, q.pageSize);
  }

  @Get(':id')
  @Roles('admin', 'manager')
  @ApiView('UserView')
  get(@CurrentUser() me: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<UserView> {
    return this.users.get(me.orgId, id);
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Register a user; a sip_desk work phone gets a SIP account, shown once' })
  @ApiView('UserView', 201)
  create(@CurrentUser() me: AuthUser, @Body() dto: CreateUserDto): Promise<UserView> {
    return this.users.create(me.orgId, dto);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiView('UserView')
  update(@CurrentUser() me: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateUserDto): Promise<UserView> {
    return this.users.update(me.orgId, id, dto);
  }

  @Post(':id/sip-password')
  @Roles('admin')
  @ApiOperation({ summary: 'Rotate the desk phone SIP password; the new one is shown once' })
  @ApiView('UserView', 201)
  rotate(@CurrentUser() me: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<UserView> {
    return this.users.rotateSipPassword(me.orgId, id);
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(204)
  remove(@CurrentUser() me: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.users.remove(me.orgId, id, me.id);
  }
}
