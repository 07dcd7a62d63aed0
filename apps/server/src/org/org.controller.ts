import { Body, Controller, Delete, Get, Header, Param, Patch, Put, Req, StreamableFile } from '@nestjs/common';
import type { Request } from 'express';
import { ApiBearerAuth, ApiConsumes, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Public } from '../auth/public.decorator';
import { Roles } from '../auth/roles.decorator';
import { OrgView, UpdateOrgDto } from './org.dto';
import { OrgService } from './org.service';
import { ApiView } from '../openapi/api-view.decorator';

@ApiTags('org')
@ApiBearerAuth()
@Controller('org')
export class OrgController {
  constructor(private readonly org: OrgService) {}

  @Get()
  @Roles('admin', 'manager', 'agent')
  @ApiView('OrgView')
  get(@CurrentUser() me: AuthUser): Promise<OrgView> {
    return this.org.get(me.orgId);
  }

  @Patch()
  @Roles('admin')
  @ApiView('OrgView')
  update(@CurrentUser() me: AuthUser, @Body() dto: UpdateOrgDto): Promise<OrgView> {
    return this.org.update(me.orgId, dto);
  }

  /** The org's own recording disclosure: a WAV, 8 kHz mono 16-bit PCM, 1-30 s, at most 1 MB. */
  @Put('recording-disclosure')
  @Roles('admin')
  @ApiConsumes('audio/wav')
  @ApiView('OrgView')
  setDisclosure(@CurrentUser() me: AuthUser, @Req() req: Request): Promise<OrgView> {
    return this.org.setDisclosurePrompt(me.orgId, Buffer.isBuffer(req.body) ? req.body : null);
  }

  /** Back to the default disclosure prompt. */
  @Delete('recording-disclosure')
  @Roles('admin')
  @ApiView('OrgView')
  resetDisclosure(@CurrentUser() me: AuthUser): Promise<OrgView> {
    return this.org.resetDisclosurePrompt(me.orgId);
  }
}

/**
 * Uploaded voice prompts as Asterisk fetches them (`sound:<PROMPT_BASE_URL>/api/prompts/<sha256>.wav`):
 * no login — Asterisk has none to give —, named by the SHA-256 of their bytes, and only while an
 * org uses them. What they hold is what every borrower hears anyway.
 */
@ApiTags('org')
@Controller('prompts')
export class PromptsController {
  constructor(private readonly org: OrgService) {}

  @Get(':file')
  @Public()
  @ApiOperation({ summary: "An org's uploaded disclosure prompt, for Asterisk (no login; 404 unless an org uses it)" })
  @ApiProduces('audio/x-wav')
  @ApiOkResponse({ description: 'The WAV file', schema: { type: 'string', format: 'binary' } })
  // Content-addressed: a new upload is a new name, so Asterisk's media cache may keep this one.
  @Header('Cache-Control', 'public, max-age=31536000, immutable')
  @Header('X-Content-Type-Options', 'nosniff')
  async prompt(@Param('file') file: string): Promise<StreamableFile> {
    const wav = await this.org.promptFile(file.replace(/\.wav$/, ''));
    return new StreamableFile(wav, { type: 'audio/x-wav', length: wav.length });
  }
}
