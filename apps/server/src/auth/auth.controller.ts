import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { LoginDto } from './auth.dto';
import { AuthService, LoginResult } from './auth.service';
import { Public } from './public.decorator';
import { ApiView } from '../openapi/api-view.decorator';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange email and password for an access token (failed tries are slowed down per account and per address: 429 with Retry-After)' })
  @ApiView('LoginResult')
  login(@Body() body: LoginDto, @Req() req: Request): Promise<LoginResult> {
    return this.auth.login(body.email, body.password, req.ip ?? 'unknown');
  }
}
