import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Roles } from '../auth/roles.decorator';
import { ClickToCallView, StartCallDto } from './calls.dto';
import { ClickToCallService } from './click-to-call.service';
import { ApiView } from '../openapi/api-view.decorator';

@ApiTags('calls')
@ApiBearerAuth()
@Controller('calls')
export class CallsController {
  constructor(private readonly clickToCall: ClickToCallService) {}

  @Post()
  @Roles('admin', 'manager', 'agent')
  @ApiOperation({
    summary: 'Click-to-call: rings your work phone, then the borrower (caller ID by local presence → your caller ID → org number), bridged and recorded',
    description: '409 AGENT_UNAVAILABLE when you are not available or have no phone Leadline can ring; 503 when telephony is down.',
  })
  @ApiView('ClickToCallView', 201)
  start(@CurrentUser() me: AuthUser, @Body() dto: StartCallDto): Promise<ClickToCallView> {
    return this.clickToCall.start(me, dto);
  }
}
