import { Injectable } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AuthUser } from '../auth/auth-user';
import { DomainError, ErrorCode, notFound } from '../common/domain-error';
import { DeviceToken } from '../database/entities';
import { LeadEvents } from '../events/lead-events';
import { UserRepository } from '../users/user.repository';
import { DeviceTokenRepository } from './device-token.repository';
import { isUuid } from '../common/uuid';
import type { DeviceView } from '@leadline/contracts';
export type { DeviceView };


const PREFIX = 'lld_';
const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');
const toView = (t: DeviceToken): DeviceView => ({ id: t.id, name: t.name, createdAt: t.createdAt.toISOString(), lastUsedAt: t.lastUsedAt?.toISOString() ?? null });

/** Desk daemon credentials: `lld_<id>.<secret>`; a token only ever receives its agent's presence. */
@Injectable()
export class DevicesService {
  constructor(
    private readonly tokens: DeviceTokenRepository,
    private readonly users: UserRepository,
    private readonly events: LeadEvents,
  ) {}

  async list(orgId: string, userId: string): Promise<DeviceView[]> {
    await this.requireUser(orgId, userId);
    return (await this.tokens.listFor(userId)).map(toView);
  }

  async create(orgId: string, userId: string, name: string): Promise<DeviceView> {
    await this.requireUser(orgId, userId);
    const secret = randomBytes(32).toString('base64url');
    const token = await this.tokens.create(userId, name, hash(secret));
    return { ...toView(token), token: `${PREFIX}${token.id}.${secret}` };
  }

  async revoke(orgId: string, userId: string, id: string): Promise<void> {
    await this.requireUser(orgId, userId);
    if (!(await this.tokens.delete(userId, id))) throw new DomainError(ErrorCode.Conflict, `Device ${id} does not exist (already revoked?)`);
    // Its connected desk daemons are cut off at once (RealtimeGateway).
    this.events.emit('access.revoked', { deviceId: id, reason: 'device_revoked' });
  }

  /** The agent a device token belongs to (and the token's id), or an Unauthenticated error. */
  async authenticate(token: string): Promise<AuthUser & { deviceId: string }> {
    const match = /^lld_([^.]+)\.(.+)$/.exec(token);
    const invalid = new DomainError(ErrorCode.Unauthenticated, 'device token is invalid or revoked');
    if (!match || !isUuid(match[1])) throw invalid;
    const row = await this.tokens.findWithUser(match[1]);
    if (!row) throw invalid;
    const expected = Buffer.from(row.secretHash, 'hex');
    const given = Buffer.from(hash(match[2]), 'hex');
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalid;
    return { id: row.user.id, orgId: row.user.org.id, role: row.user.role, email: row.user.email, deviceId: row.id };
  }

  private async requireUser(orgId: string, userId: string): Promise<void> {
    if (!(await this.users.get(orgId, userId))) throw notFound(ErrorCode.UserNotFound, 'User', userId);
  }
}
