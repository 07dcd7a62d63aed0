import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Roles } from '../auth/roles.decorator';
import { DomainError, ErrorCode } from '../common/domain-error';
import { Page } from '../users/user.repository';
import { DoNotCallDto, DoNotCallQueryDto, UpdateDoNotCallDto } from './dial-mode.dto';
import { DoNotCallImportView, DoNotCallService, DoNotCallView } from './do-not-call.service';
import { ApiPage, ApiView } from '../openapi/api-view.decorator';

@ApiTags('dial-mode')
@ApiBearerAuth()
@Controller('dial-mode/do-not-call')
@Roles('admin', 'manager')
export class DoNotCallController {
  constructor(private readonly dnc: DoNotCallService) {}

  @Get()
  @ApiPage('DoNotCallView')
  list(@CurrentUser() me: AuthUser, @Query() q: DoNotCallQueryDto): Promise<Page<DoNotCallView>> {
    return this.dnc.list(me.orgId, q.phone, q.page, q.pageSize);
  }

  @Post()
  @ApiOperation({ summary: 'Add a number to the do-not-call list (409 when listed already)' })
  @ApiView('DoNotCallView', 201)
  add(@CurrentUser() me: AuthUser, @Body() dto: DoNotCallDto): Promise<DoNotCallView> {
    return this.dnc.add(me.orgId, me.id, dto);
  }

  @Get(':id')
  @ApiView('DoNotCallView')
  get(@CurrentUser() me: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<DoNotCallView> {
    return this.dnc.get(me.orgId, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: "Change an entry's note" })
  @ApiView('DoNotCallView')
  update(@CurrentUser() me: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateDoNotCallDto): Promise<DoNotCallView> {
    return this.dnc.updateNote(me.orgId, id, dto.note);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@CurrentUser() me: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.dnc.remove(me.orgId, id);
  }

  @Post('import')
  @HttpCode(200)
  @ApiConsumes('text/csv')
  @ApiOperation({ summary: 'Import numbers from a CSV (header with a phone column and optional note, or one number per line); bad rows are reported by line' })
  @ApiView('DoNotCallImportView')
  import(@CurrentUser() me: AuthUser, @Req() req: Request): Promise<DoNotCallImportView> {
    if (!req.is('text/csv')) throw new DomainError(ErrorCode.UnsupportedMediaType, 'Send the list as text/csv');
    return this.dnc.import(me.orgId, me.id, typeof req.body === 'string' ? req.body : '');
  }
}
