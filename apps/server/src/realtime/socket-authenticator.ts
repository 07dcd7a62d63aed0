import { Injectable } from '@nestjs/common';
import { AuthUser } from '../auth/auth-user';
import { TokenService } from '../auth/token.service';
import { DomainError, ErrorCode } from '../common/domain-error';
import { DbContext } from '../database/db-context';
import { DevicesService } from '../devices/devices.service';
import { UserRepository } from '../users/user.repository';

export type SocketKind = 'user' | 'device';

/** Same rules as the REST guard for access tokens; device tokens for desk daemons. */
@Injectable()
export class SocketAuthenticator {
  constructor(
    private readonly tokens: TokenService,
    private readonly users: UserRepository,
    private readonly devices: DevicesService,
    private readonly db: DbContext,
  ) {}

  async authenticate(auth: { token?: unknown; deviceToken?: unknown }): Promise<{ user: AuthUser; kind: SocketKind }> {
    if (typeof auth.deviceToken === 'string') return { user: await this.devices.authenticate(auth.deviceToken), kind: 'device' };
    if (typeof auth.token !== 'string') throw new DomainError(ErrorCode.Unauthenticated, 'missing access token (auth.token) or device token (auth.deviceToken)');
    const claims = this.tokens.verify(auth.token);
    const user = await this.db.run(() => this.users.findAuthUser(claims.sub));
    if (!user) throw new DomainError(ErrorCode.Unauthenticated, 'the user of this token no longer exists');
    return { user, kind: 'user' };
  }
}
