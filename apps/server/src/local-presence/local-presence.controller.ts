import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Roles } from '../auth/roles.decorator';
import { AddMappingsDto, DeleteMappingsQueryDto, PurchaseNumberDto } from './local-presence.dto';
import { LocalPresenceService } from './local-presence.service';
import { LocalPresenceMappingView, LocalPresenceNumberView } from './local-presence.view';
import { ApiView, ApiViewList } from '../openapi/api-view.decorator';

@ApiTags('local-presence')
@ApiBearerAuth()
@Controller('local-presence')
export class LocalPresenceController {
  constructor(private readonly localPresence: LocalPresenceService) {}

  @Get('numbers')
  @Roles('admin', 'manager')
  @ApiOperation({ summary: "The org's Local Dial Presence numbers with their area codes" })
  @ApiViewList('LocalPresenceNumberView')
  listNumbers(@CurrentUser() me: AuthUser): Promise<LocalPresenceNumberView[]> {
    return this.localPresence.listNumbers(me.orgId);
  }

  @Post('numbers/purchase')
  @Roles('admin')
  @ApiOperation({ summary: 'Purchase a number in an area code; 409 NO_NUMBER_AVAILABLE (a warning) when none is available' })
  @ApiView('LocalPresenceNumberView', 201)
  purchase(@CurrentUser() me: AuthUser, @Body() dto: PurchaseNumberDto): Promise<LocalPresenceNumberView> {
    return this.localPresence.purchase(me.orgId, dto.areaCode);
  }

  @Delete('numbers/:id')
  @Roles('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a number and its mappings; it goes back to the provider' })
  deleteNumber(@CurrentUser() me: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.localPresence.deleteNumber(me.orgId, id);
  }

  @Post('numbers/:id/mappings')
  @Roles('admin')
  @ApiOperation({ summary: 'Map more area codes to a number; 409 when one is mapped to it already' })
  @ApiView('LocalPresenceNumberView', 201)
  addMappings(@CurrentUser() me: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: AddMappingsDto): Promise<LocalPresenceNumberView> {
    return this.localPresence.addMappings(me.orgId, id, dto.areaCodes);
  }

  @Get('mappings')
  @Roles('admin', 'manager')
  @ApiViewList('LocalPresenceMappingView')
  listMappings(@CurrentUser() me: AuthUser): Promise<LocalPresenceMappingView[]> {
    return this.localPresence.listMappings(me.orgId);
  }

  @Delete('mappings')
  @Roles('admin')
  @ApiOperation({ summary: 'Delete mappings by id (?ids=a,b,c); all or nothing' })
  @ApiView('DeletedView')
  deleteMappings(@CurrentUser() me: AuthUser, @Query() q: DeleteMappingsQueryDto): Promise<{ deleted: number }> {
    return this.localPresence.deleteMappings(me.orgId, q.ids);
  }
}
