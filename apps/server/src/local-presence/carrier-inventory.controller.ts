import { Body, Controller, Get, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Roles } from '../auth/roles.decorator';
import { CarrierInventoryService, InventoryLoadView, InventoryView } from './carrier-inventory.service';
import { inventoryEntries } from './local-presence.dto';

@ApiTags('local-presence')
@ApiBearerAuth()
@Controller('local-presence/inventory')
export class CarrierInventoryController {
  constructor(private readonly inventory: CarrierInventoryService) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: "Load the carrier's DID block (CSV one number per line, or JSON { numbers }); numbers already loaded are left as they are" })
  @ApiConsumes('application/json', 'text/csv')
  @ApiBody({ schema: { type: 'object', example: { numbers: ['+15125550101', '(512) 555-0102'] } } })
  load(@CurrentUser() me: AuthUser, @Req() req: Request, @Body() body: unknown): Promise<InventoryLoadView> {
    return this.inventory.load(me.orgId, inventoryEntries(req, body));
  }

  @Get()
  @Roles('admin', 'manager')
  @ApiOperation({ summary: 'Free and assigned inventory numbers per area code' })
  summary(@CurrentUser() me: AuthUser): Promise<InventoryView> {
    return this.inventory.summary(me.orgId);
  }
}
