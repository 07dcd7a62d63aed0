import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@leadline/domain';
import type { Request } from 'express';
import { DomainError, ErrorCode } from '../common/domain-error';
import { UserRepository } from '../users/user.repository';
import { AuthUser } from './auth-user';
import { IS_PUBLIC } from './public.decorator';
import { ROLES_KEY } from './roles.decorator';
import { TokenService } from './token.service';

/** Global guard: every route needs a valid token and one of its @Roles, unless it is @Public. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly users: UserRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const header = req.headers.authorization ?? '';
    const match = /^Bearer (.+)$/i.exec(header);
    if (!match) throw new DomainError(ErrorCode.Unauthenticated, 'Missing bearer access token; POST /api/auth/login first');
    const claims = this.tokens.verify(match[1]);
    // The role is read from the database, so a demoted or deleted user loses access at once.
    const user = await this.users.findAuthUser(claims.sub);
    if (!user) throw new DomainError(ErrorCode.Unauthenticated, 'The user of this token no longer exists');
    req.user = user;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles || !roles.includes(user.role)) {
      throw new DomainError(ErrorCode.Forbidden, `This action needs one of the roles: ${(roles ?? []).join(', ') || 'none'}`);
    }
    return true;
  }
}
