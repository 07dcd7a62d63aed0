import { Controller, Get, Header, Param, ParseUUIDPipe, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Roles } from '../auth/roles.decorator';
import { validationFailed } from '../common/domain-error';
import { RecordingsService } from './recordings.service';

const callActivityIdPipe = new ParseUUIDPipe({ exceptionFactory: () => validationFailed([{ field: 'callActivityId', message: 'must be a UUID' }]) });

@ApiTags('recordings')
@ApiBearerAuth()
@Controller('recordings')
@Roles('admin', 'manager', 'agent')
export class RecordingsController {
  constructor(private readonly recordings: RecordingsService) {}

  @Get(':callActivityId')
  @ApiOperation({ summary: "A call leg's recording (WAV); 404 unless the caller was on the leg or manages the org" })
  @ApiProduces('audio/wav')
  @ApiOkResponse({ description: 'The WAV file', schema: { type: 'string', format: 'binary' } })
  @Header('Cache-Control', 'private, no-store')
  @Header('X-Content-Type-Options', 'nosniff')
  async audio(@CurrentUser() me: AuthUser, @Param('callActivityId', callActivityIdPipe) id: string, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const audio = await this.recordings.audio(me, id);
    // A listener who goes away mid-file releases the Asterisk download too.
    res.once('close', () => audio.stream.destroy());
    return new StreamableFile(audio.stream, { type: audio.contentType, disposition: `inline; filename="${id}.wav"`, length: audio.length });
  }
}
