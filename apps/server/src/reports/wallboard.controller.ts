import { Controller, Get, Header } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { WallboardSnapshot } from '@leadline/contracts';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Roles } from '../auth/roles.decorator';
import { WallboardDto } from './wallboard.dto';
import { WallboardService } from './wallboard.service';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('wallboard')
@Roles('admin', 'manager')
export class WallboardController {
  constructor(private readonly wallboard: WallboardService) {}

  @Get()
  @ApiOperation({ summary: "The wallboard as it is now (live: socket.io 'wallboard:subscribe', then 'wallboard' events)" })
  @ApiOkResponse({ type: WallboardDto })
  @Header('Cache-Control', 'private, no-store')
  get(@CurrentUser() me: AuthUser): Promise<WallboardSnapshot> {
    return this.wallboard.snapshot(me.orgId);
  }
}
