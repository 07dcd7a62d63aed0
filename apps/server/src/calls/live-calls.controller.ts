import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { LiveCallView } from '@leadline/contracts';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Roles } from '../auth/roles.decorator';
import { TransferDto } from './calls.dto';
import { LiveCallsService } from './live-calls.service';
import { ApiView, ApiViewList } from '../openapi/api-view.decorator';
import type { TransferStartedView } from '../openapi/api-views';

@ApiTags('calls')
@ApiBearerAuth()
@Controller('calls')
@Roles('admin', 'manager', 'agent')
export class LiveCallsController {
  constructor(private readonly live: LiveCallsService) {}

  @Get('live')
  @ApiOperation({ summary: "Connected calls: an agent's own; for managers and admins every live call of the org" })
  @ApiViewList('LiveCallView')
  list(@CurrentUser() me: AuthUser): LiveCallView[] {
    return this.live.list(me);
  }

  @Post(':callId/hold')
  @HttpCode(200)
  @ApiOperation({ summary: 'Put your live call on hold: the others hear music on hold (404 CALL_NOT_FOUND when you are not on it)' })
  @ApiView('LiveCallView')
  hold(@CurrentUser() me: AuthUser, @Param('callId', ParseUUIDPipe) callId: string): LiveCallView {
    return this.live.hold(me, callId, true);
  }

  @Post(':callId/resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Take your live call off hold' })
  @ApiView('LiveCallView')
  resume(@CurrentUser() me: AuthUser, @Param('callId', ParseUUIDPipe) callId: string): LiveCallView {
    return this.live.hold(me, callId, false);
  }

  @Post(':callId/transfer')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Blind transfer of the others on your call to a colleague or a number; you leave once the target answers',
    description: '403 DIALLING_REFUSED for a number the org does not allow; 409 AGENT_UNAVAILABLE for a colleague who is not taking calls or is on another call.',
  })
  @ApiView('TransferStartedView', 202)
  transfer(@CurrentUser() me: AuthUser, @Param('callId', ParseUUIDPipe) callId: string, @Body() dto: TransferDto): Promise<TransferStartedView> {
    return this.live.transfer(me, callId, dto);
  }
}
