import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import { SipBan } from '../database/entities';

/** SIP bans in the database; used from the log reader and timers too, so every call forks. */
@Injectable()
export class SipBanRepository {
  constructor(private readonly em: EntityManager) {}

  /** False when the address is already banned (another instance read the same log line). */
  async insert(ban: Pick<SipBan, 'address' | 'failures' | 'accounts' | 'expiresAt'>): Promise<boolean> {
    const em = this.em.fork();
    try {
      em.create(SipBan, { ...ban, createdAt: new Date() });
      await em.flush();
      return true;
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) return false;
      throw err;
    }
  }

  active(now: Date): Promise<SipBan[]> {
    return this.em.fork().find(SipBan, { expiresAt: { $gt: now } }, { orderBy: { createdAt: 'desc' } });
  }

  expired(now: Date): Promise<SipBan[]> {
    return this.em.fork().find(SipBan, { expiresAt: { $lte: now } });
  }

  async delete(address: string): Promise<boolean> {
    return (await this.em.fork().nativeDelete(SipBan, { address })) === 1;
  }
}
