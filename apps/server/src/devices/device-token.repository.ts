import { EntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import { DeviceToken, User } from '../database/entities';

@Injectable()
export class DeviceTokenRepository {
  constructor(private readonly em: EntityManager) {}

  listFor(userId: string): Promise<DeviceToken[]> {
    return this.em.find(DeviceToken, { user: userId }, { orderBy: { createdAt: 'asc' } });
  }

  async create(userId: string, name: string, secretHash: string): Promise<DeviceToken> {
    const token = this.em.create(DeviceToken, { user: this.em.getReference(User, userId), name, secretHash, createdAt: new Date() });
    await this.em.flush();
    return token;
  }

  async delete(userId: string, id: string): Promise<boolean> {
    return (await this.em.nativeDelete(DeviceToken, { id, user: userId })) === 1;
  }

  /** For socket authentication, outside any request. */
  async findWithUser(id: string): Promise<DeviceToken | null> {
    const em = this.em.fork();
    const token = await em.findOne(DeviceToken, { id }, { populate: ['user', 'secretHash'] });
    if (token) await em.nativeUpdate(DeviceToken, { id }, { lastUsedAt: new Date() });
    return token;
  }
}
