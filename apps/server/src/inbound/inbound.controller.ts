import { Controller, Get, Injectable, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Roles } from '../auth/roles.decorator';
import { PageQueryDto } from '../users/user.dto';
import { Page } from '../users/user.repository';
import { InboundRepository } from './inbound.repository';
import { ApiPage } from '../openapi/api-view.decorator';
import type { MissedCallView } from '@leadline/contracts';
export type { MissedCallView };


@Injectable()
export class MissedCallsService {
  constructor(private readonly inbound: InboundRepository) {}

  async list(orgId: string, page: number, pageSize: number): Promise<Page<MissedCallView>> {
    const [rows, total] = await this.inbound.missedCalls(orgId, page, pageSize);
    return {
      items: rows.map((r) => ({ id: r.id, from: r.fromNumber ?? null, to: r.toNumber ?? null, prospectId: r.prospect?.id ?? null, startedAt: r.startedAt.toISOString(), result: r.result, recordingUrl: r.recording ? `/api/recordings/${r.id}` : null })),
      total,
      page,
      pageSize,
    };
  }
}

@ApiTags('inbound')
@ApiBearerAuth()
@Controller('inbound')
@Roles('admin', 'manager')
export class InboundController {
  constructor(private readonly missed: MissedCallsService) {}

  @Get('missed-calls')
  @ApiOperation({ summary: 'Inbound calls nobody answered: voicemails, abandoned, failed' })
  @ApiPage('MissedCallView')
  missedCalls(@CurrentUser() me: AuthUser, @Query() q: PageQueryDto): Promise<Page<MissedCallView>> {
    return this.missed.list(me.orgId, q.page, q.pageSize);
  }
}
