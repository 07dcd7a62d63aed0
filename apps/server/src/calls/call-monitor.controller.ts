import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { MonitorView } from '@leadline/contracts';
import type { Response } from 'express';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Roles } from '../auth/roles.decorator';
import { ApiView, ApiViewList } from '../openapi/api-view.decorator';
import { MonitorDto } from './calls.dto';
import { CallMonitorService } from './call-monitor.service';

@ApiTags('calls')
@ApiBearerAuth()
@Controller('calls')
@Roles('admin', 'manager')
export class CallMonitorController {
  constructor(private readonly monitors: CallMonitorService) {}

  @Get('monitors')
  @ApiOperation({ summary: "Managers' monitors of the org's live calls (listen, whisper, barge)" })
  @ApiViewList('MonitorView')
  list(@CurrentUser() me: AuthUser): MonitorView[] {
    return this.monitors.list(me);
  }

  @Post(':callId/monitor')
  @ApiOperation({
    summary: 'Listen, whisper or barge on a live call of the org: your desk phone rings (201); on a call you already monitor, switches the mode (200)',
    description: '404 CALL_NOT_FOUND for an unknown call or one of another org; 409 AGENT_UNAVAILABLE when your phone cannot be rung or you are on another call (or monitor another one); 409 CONFLICT on your own call.',
  })
  @ApiView('MonitorView', 201)
  @ApiView('MonitorView', 200)
  async monitor(@CurrentUser() me: AuthUser, @Param('callId', ParseUUIDPipe) callId: string, @Body() dto: MonitorDto, @Res({ passthrough: true }) res: Response): Promise<MonitorView> {
    const { view, started } = await this.monitors.monitor(me, callId, dto.mode);
    res.status(started ? 201 : 200);
    return view;
  }

  @Delete(':callId/monitor')
  @ApiOperation({ summary: 'Stop monitoring the call: your phone is hung up (404 CALL_NOT_FOUND when you do not monitor it)' })
  @ApiView('MonitorView')
  stop(@CurrentUser() me: AuthUser, @Param('callId', ParseUUIDPipe) callId: string): MonitorView {
    return this.monitors.stop(me, callId);
  }
}
