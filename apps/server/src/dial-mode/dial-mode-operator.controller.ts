import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { DialNextView, DialResultView } from '@leadline/contracts';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Roles } from '../auth/roles.decorator';
import { DialResultDto, NextLeadDto } from './dial-mode.dto';
import { DialerService, DialModeMeView } from './dialer.service';
import { ApiView } from '../openapi/api-view.decorator';

/** The operator's side of dial mode (the socket offers the same as dial:next / dial:result / dial:release). */
@ApiTags('dial-mode')
@ApiBearerAuth()
@Controller('dial-mode')
@Roles('admin', 'manager', 'agent')
export class DialModeOperatorController {
  constructor(private readonly dialer: DialerService) {}

  @Get('me')
  @ApiOperation({ summary: 'The campaigns × modes you may work, and the lead you hold' })
  @ApiView('DialModeMeView')
  me(@CurrentUser() me: AuthUser): Promise<DialModeMeView> {
    return this.dialer.me(me);
  }

  @Post('next')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Enter dial mode / next lead: hands you the next due lead you may work and dials it (your phone first, then the lead)',
    description: 'lead: null when nothing is due (nextCallableAt says when). 409 DIAL_RESULT_PENDING while you hold a lead; 409 AGENT_UNAVAILABLE; 403 without access; 503 when telephony is down.',
  })
  @ApiView('DialNextView')
  next(@CurrentUser() me: AuthUser, @Body() dto: NextLeadDto): Promise<DialNextView> {
    return this.dialer.next(me, dto);
  }

  @Post('current/result')
  @HttpCode(200)
  @ApiOperation({ summary: "Record the result of the lead you hold with one of its mode's buttons" })
  @ApiView('DialResultView')
  result(@CurrentUser() me: AuthUser, @Body() dto: DialResultDto): Promise<DialResultView> {
    return this.dialer.result(me, dto);
  }

  @Post('current/release')
  @HttpCode(200)
  @ApiOperation({ summary: 'Give the lead you hold back to its queue unchanged' })
  @ApiView('ReleasedView')
  release(@CurrentUser() me: AuthUser): Promise<{ released: boolean }> {
    return this.dialer.release(me);
  }
}
