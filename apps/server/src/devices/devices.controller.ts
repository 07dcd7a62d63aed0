import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Roles } from '../auth/roles.decorator';
import { DevicesService, DeviceView } from './devices.service';
import { ApiView, ApiViewList } from '../openapi/api-view.decorator';

export class CreateDeviceDto {
  @ApiProperty({ example: 'Desk PC BusyLight' }) @IsString() @MinLength(1) @MaxLength(100)
  name!: string;
}

@ApiTags('devices')
@ApiBearerAuth()
@Controller('me/devices')
@Roles('admin', 'manager', 'agent')
export class MyDevicesController {
  constructor(private readonly devices: DevicesService) {}

  @Get()
  @ApiViewList('DeviceView')
  list(@CurrentUser() me: AuthUser): Promise<DeviceView[]> {
    return this.devices.list(me.orgId, me.id);
  }

  @Post()
  @ApiOperation({ summary: 'Create a desk daemon token (shown once)' })
  @ApiView('DeviceView', 201)
  create(@CurrentUser() me: AuthUser, @Body() dto: CreateDeviceDto): Promise<DeviceView> {
    return this.devices.create(me.orgId, me.id, dto.name);
  }

  @Delete(':id')
  @HttpCode(204)
  revoke(@CurrentUser() me: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.devices.revoke(me.orgId, me.id, id);
  }
}

@ApiTags('devices')
@ApiBearerAuth()
@Controller('users/:userId/devices')
@Roles('admin')
export class UserDevicesController {
  constructor(private readonly devices: DevicesService) {}

  @Get()
  @ApiViewList('DeviceView')
  list(@CurrentUser() me: AuthUser, @Param('userId', ParseUUIDPipe) userId: string): Promise<DeviceView[]> {
    return this.devices.list(me.orgId, userId);
  }

  @Post()
  @ApiView('DeviceView', 201)
  create(@CurrentUser() me: AuthUser, @Param('userId', ParseUUIDPipe) userId: string, @Body() dto: CreateDeviceDto): Promise<DeviceView> {
    return this.devices.create(me.orgId, userId, dto.name);
  }

  @Delete(':id')
  @HttpCode(204)
  revoke(@CurrentUser() me: AuthUser, @Param('userId', ParseUUIDPipe) userId: string, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.devices.revoke(me.orgId, userId, id);
  }
}
