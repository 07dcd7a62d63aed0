import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { DeskPhoneView, PhonesImportView, ProvisioningFetchView, WaitingPhoneView } from '@leadline/contracts';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Roles } from '../auth/roles.decorator';
import { DomainError, ErrorCode } from '../common/domain-error';
import { ApiView, ApiViewList } from '../openapi/api-view.decorator';
import { CreatePhoneDto, FetchLogQueryDto, UpdatePhoneDto } from './phone.dto';
import { PhonesService } from './phones.service';

@ApiTags('phones')
@ApiBearerAuth()
@Controller('phones')
@Roles('admin')
export class PhonesController {
  constructor(private readonly phones: PhonesService) {}

  @Get()
  @ApiOperation({ summary: 'Desk phones by MAC' })
  @ApiViewList('DeskPhoneView')
  list(@CurrentUser() me: AuthUser): Promise<DeskPhoneView[]> {
    return this.phones.list(me.orgId);
  }

  @Get('waiting')
  @ApiOperation({ summary: 'MACs that asked for their configuration from the phone subnet and are not registered yet' })
  @ApiViewList('WaitingPhoneView')
  waiting(): Promise<WaitingPhoneView[]> {
    return this.phones.waiting();
  }

  @Get('fetches')
  @ApiOperation({ summary: 'The configuration fetch log, newest first (200 rows)' })
  @ApiViewList('ProvisioningFetchView')
  fetches(@Query() query: FetchLogQueryDto): Promise<ProvisioningFetchView[]> {
    return this.phones.fetchLog(query);
  }

  @Post()
  @ApiOperation({ summary: 'Add a desk phone by MAC (its provisioning URL is shown once)' })
  @ApiView('DeskPhoneView', 201)
  create(@CurrentUser() me: AuthUser, @Body() dto: CreatePhoneDto): Promise<DeskPhoneView> {
    return this.phones.create(me.orgId, dto);
  }

  @Post('import')
  @HttpCode(200)
  @ApiConsumes('text/csv')
  @ApiOperation({ summary: 'Add phones from a CSV (header: mac, vendor, optional label and user = email or extension); refused rows are listed by line' })
  @ApiView('PhonesImportView')
  import(@CurrentUser() me: AuthUser, @Req() req: Request): Promise<PhonesImportView> {
    if (!req.is('text/csv')) throw new DomainError(ErrorCode.UnsupportedMediaType, 'Send the phones as text/csv');
    return this.phones.import(me.orgId, typeof req.body === 'string' ? req.body : '');
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Assign the phone to a user, to another user, or to nobody; rename it' })
  @ApiView('DeskPhoneView')
  update(@CurrentUser() me: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdatePhoneDto): Promise<DeskPhoneView> {
    return this.phones.update(me.orgId, id, dto);
  }

  @Post(':id/secret')
  @ApiOperation({ summary: 'Renew the secret of the provisioning URL (the old URL stops working; the new one is shown once)' })
  @ApiView('DeskPhoneView', 201)
  renewSecret(@CurrentUser() me: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<DeskPhoneView> {
    return this.phones.renewSecret(me.orgId, id);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@CurrentUser() me: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.phones.remove(me.orgId, id);
  }
}
