import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Role } from '@leadline/domain';

/** The authenticated caller, as the guard resolved it from the access token and the database. */
export interface AuthUser {
  id: string;
  orgId: string;
  role: Role;
  email: string;
}

export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthUser => {
  const req = ctx.switchToHttp().getRequest<{ user?: AuthUser }>();
  if (!req.user) throw new Error('CurrentUser used on a route without authentication');
  return req.user;
});
