import { Body, Controller, Get, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Roles } from '../auth/roles.decorator';
import { CarrierInventoryService, InventoryLoadView, InventoryView } from './carrier-inventory.service';
import { inventoryEntries } from './local-presence.dto';
import { ApiView } from '../openapi/api-view.decorator';

@ApiTags('local-presence')
@ApiBearerAuth()
@Controller('local-presence/inventory')
export class CarrierInventoryController {
  constructor(private readonly inventory: CarrierInventoryService) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: "Load the carrier's DID block (CSV one number per line, or JSON { numbers }); numbers already loaded are left as they are" })
  @ApiConsumes('application/json', 'text/csv')
  @ApiBody({
    description: 'JSON { numbers }, or a CSV carrier export (the column headed DID, number, phone …, else the first)',
    // One schema serves both content types: the JSON object or the CSV text.
    schema: {
      oneOf: [
        { type: 'object', required: ['numbers'], properties: { numbers: { type: 'array', items: { type: 'string' } } } },
        { type: 'string', description: 'text/csv' },
      ],
      example: { numbers: ['+15125550101', '(512) 555-0102'] },
    },
  })
  @ApiView('InventoryLoadView', 201)
  load(@CurrentUser() me: AuthUser, @Req() req: Request, @Body() body: unknown): Promise<InventoryLoadView> {
    return this.inventory.load(me.orgId, inventoryEntries(req, body));
  }

  @Get()
  @Roles('admin', 'manager')
  @ApiOperation({ summary: 'Free and assigned inventory numbers per area code' })
  @ApiView('InventoryView')
  summary(@CurrentUser() me: AuthUser): Promise<InventoryView> {
    return this.inventory.summary(me.orgId);
  }
}
