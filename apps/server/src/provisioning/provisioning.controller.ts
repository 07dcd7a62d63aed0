import { Controller, Get, Header, Headers, Param, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/public.decorator';
import { ProvisioningService } from './provisioning.service';

const FILE_ANSWER = { description: 'The configuration file (Yealink key = value text; Poly and Grandstream XML)', schema: { type: 'string' as const } };

/** What desk phones fetch at boot (docs/desk-phones.md). No bearer token: the secret or the subnet decides. */
@ApiTags('provisioning')
@Controller('provisioning')
@Public()
export class ProvisioningController {
  constructor(private readonly provisioning: ProvisioningService) {}

  @Get(':secret/:file')
  @ApiOperation({ summary: "A desk phone's configuration file, with the phone's secret in the path" })
  @ApiProduces('text/plain', 'application/xml')
  @ApiOkResponse(FILE_ANSWER)
  @Header('Cache-Control', 'no-store')
  async withSecret(@Param('secret') secret: string, @Param('file') file: string, @Req() req: Request, @Headers('user-agent') userAgent: string | undefined, @Res({ passthrough: true }) res: Response): Promise<string> {
    return this.serve(secret, file, req, userAgent, res);
  }

  @Get(':file')
  @ApiOperation({ summary: "A desk phone's configuration file, for the phone subnet (PROVISIONING_SUBNETS) only" })
  @ApiProduces('text/plain', 'application/xml')
  @ApiOkResponse(FILE_ANSWER)
  @Header('Cache-Control', 'no-store')
  async fromSubnet(@Param('file') file: string, @Req() req: Request, @Headers('user-agent') userAgent: string | undefined, @Res({ passthrough: true }) res: Response): Promise<string> {
    return this.serve(null, file, req, userAgent, res);
  }

  private async serve(secret: string | null, file: string, req: Request, userAgent: string | undefined, res: Response): Promise<string> {
    // req.ip: the phone's address as TRUST_PROXY lets us see it (subnet check, rate limit, log).
    const answer = await this.provisioning.fetch({ secret, file, address: req.ip ?? 'unknown', userAgent });
    res.type(answer.contentType);
    return answer.body;
  }
}
