import { Injectable } from '@nestjs/common';
import type { SessionEndReason } from '@leadline/contracts';
import { AuthUser } from '../auth/auth-user';
import { TokenService } from '../auth/token.service';
import { DomainError, ErrorCode } from '../common/domain-error';
import { DbContext } from '../database/db-context';
import { DevicesService } from '../devices/devices.service';
import { UserRepository } from '../users/user.repository';

export type SocketKind = 'user' | 'device';

/** Who a socket is, as the handshake established it. */
export type SocketIdentity =
  | { kind: 'user'; user: AuthUser; /** Epoch ms when the access token expires; null: never. */ expiresAt: number | null }
  | { kind: 'device'; user: AuthUser; deviceId: string; deviceToken: string };

/** Same rules as the REST guard for access tokens; device tokens for desk daemons. */
@Injectable()
export class SocketAuthenticator {
  constructor(
    private readonly tokens: TokenService,
    private readonly users: UserRepository,
    private readonly devices: DevicesService,
    private readonly db: DbContext,
  ) {}

  async authenticate(auth: { token?: unknown; deviceToken?: unknown }): Promise<SocketIdentity> {
    if (typeof auth.deviceToken === 'string') {
      const { deviceId, ...user } = await this.devices.authenticate(auth.deviceToken);
      return { user, kind: 'device', deviceId, deviceToken: auth.deviceToken };
    }
    if (typeof auth.token !== 'string') throw new DomainError(ErrorCode.Unauthenticated, 'missing access token (auth.token) or device token (auth.deviceToken)');
    const claims = this.tokens.verify(auth.token);
    const user = await this.db.run(() => this.users.findAuthUser(claims.sub));
    if (!user) throw new DomainError(ErrorCode.Unauthenticated, 'the user of this token no longer exists');
    return { user, kind: 'user', expiresAt: claims.exp ? claims.exp * 1000 : null };
  }

  /**
   * Whether a connected socket still holds the rights it was given (checked before every
   * privileged event): its user exists with the same role and, for a desk daemon, its device
   * token is still valid. The reason when not.
   */
  async stillValid(identity: SocketIdentity): Promise<SessionEndReason | null> {
    if (identity.kind === 'device') {
      try {
        await this.devices.authenticate(identity.deviceToken);
      } catch {
        return 'device_revoked';
      }
      return null;
    }
    const now = await this.db.run(() => this.users.findAuthUser(identity.user.id));
    if (!now) return 'user_deleted';
    return now.role === identity.user.role && now.orgId === identity.user.orgId ? null : 'rights_changed';
  }
}
