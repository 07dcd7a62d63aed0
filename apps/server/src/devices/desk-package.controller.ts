import type { DeskPackageView } from '@leadline/contracts';
import { Controller, Get, Header, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../auth/roles.decorator';
import { ApiView } from '../openapi/api-view.decorator';
import { DeskPackageService } from './desk-package.service';

@ApiTags('devices')
@ApiBearerAuth()
@Controller('desk-package')
@Roles('admin', 'manager', 'agent')
export class DeskPackageController {
  constructor(private readonly desk: DeskPackageService) {}

  @Get()
  @ApiOperation({ summary: 'The desk daemon package (leadline-desk) this server offers: version, size, SHA-256; 404 when not built' })
  @ApiView('DeskPackageView')
  info(): Promise<DeskPackageView> {
    return this.desk.info();
  }

  @Get('download')
  @ApiOperation({ summary: 'Download the desk daemon package (npm tarball: npm install -g ./leadline-desk-<version>.tgz)' })
  @ApiProduces('application/gzip')
  @ApiOkResponse({ description: 'The npm tarball', schema: { type: 'string', format: 'binary' } })
  @Header('Cache-Control', 'private, no-cache')
  @Header('X-Content-Type-Options', 'nosniff')
  async download(@Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const file = await this.desk.download();
    res.once('close', () => file.stream.destroy());
    return new StreamableFile(file.stream, { type: 'application/gzip', disposition: `attachment; filename="${file.fileName}"`, length: file.size });
  }
}
