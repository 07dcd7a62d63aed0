import { Controller, Get, Header, Param, ParseUUIDPipe, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Public } from '../auth/public.decorator';
import { Roles } from '../auth/roles.decorator';
import { validationFailed } from '../common/domain-error';
import { RecordingAudio, RecordingsService } from './recordings.service';

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
    return streamed(await this.recordings.audio(me, id), id, res);
  }
}

/** The same audio without a login, through the signed, expiring links webhooks carry (docs/webhooks.md). */
@ApiTags('recordings')
@Controller('recording-links')
@Public()
export class RecordingLinksController {
  constructor(private readonly recordings: RecordingsService) {}

  @Get(':callActivityId')
  @ApiOperation({ summary: "A call leg's recording (WAV) through a signed link from a webhook; 403 when the link is expired or tampered with" })
  @ApiQuery({ name: 'expires', description: 'Unix time (s) the link stops working' })
  @ApiQuery({ name: 'signature', description: 'HMAC-SHA256 of the leg id and expiry (hex)' })
  @ApiProduces('audio/wav')
  @ApiOkResponse({ description: 'The WAV file', schema: { type: 'string', format: 'binary' } })
  @Header('Cache-Control', 'private, no-store')
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Referrer-Policy', 'no-referrer')
  async audio(@Param('callActivityId', callActivityIdPipe) id: string, @Query('expires') expires: unknown, @Query('signature') signature: unknown, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    return streamed(await this.recordings.audioByLink(id, expires, signature), id, res);
  }
}

function streamed(audio: RecordingAudio, id: string, res: Response): StreamableFile {
  // A listener who goes away mid-file releases the Asterisk download too.
  res.once('close', () => audio.stream.destroy());
  return new StreamableFile(audio.stream, { type: audio.contentType, disposition: `inline; filename="${id}.wav"`, length: audio.length });
}
