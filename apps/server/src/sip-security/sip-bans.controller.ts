import { Controller, Delete, Get, HttpCode, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { SipBanView } from '@leadline/contracts';
import { Roles } from '../auth/roles.decorator';
import { ApiViewList } from '../openapi/api-view.decorator';
import { SipBanService } from './sip-ban.service';

@ApiTags('sip-bans')
@ApiBearerAuth()
@Controller('sip-bans')
@Roles('admin')
export class SipBansController {
  constructor(private readonly bans: SipBanService) {}

  @Get()
  @ApiOperation({ summary: 'Addresses refused at the SIP port after too many failed requests' })
  @ApiViewList('SipBanView')
  list(): Promise<SipBanView[]> {
    return this.bans.list();
  }

  @Delete(':address')
  @HttpCode(204)
  @ApiOperation({ summary: 'Lift a SIP ban now' })
  lift(@Param('address') address: string): Promise<void> {
    return this.bans.lift(address);
  }
}
