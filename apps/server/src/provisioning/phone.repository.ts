import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import { DeskPhoneDevice, ProvisioningFetch, User } from '../database/entities';

/** Desk phones by MAC and the configuration fetch log. Fetches run outside requests: each call forks. */
@Injectable()
export class PhoneRepository {
  constructor(private readonly em: EntityManager) {}

  list(orgId: string): Promise<DeskPhoneDevice[]> {
    return this.em.fork().find(DeskPhoneDevice, { org: orgId }, { populate: ['user'], orderBy: { mac: 'asc' } });
  }

  get(orgId: string, id: string): Promise<DeskPhoneDevice | null> {
    return this.em.fork().findOne(DeskPhoneDevice, { id, org: orgId }, { populate: ['user'] });
  }

  byMac(mac: string): Promise<DeskPhoneDevice | null> {
    return this.em.fork().findOne(DeskPhoneDevice, { mac }, { populate: ['user'] });
  }

  bySecretHash(secretHash: string): Promise<DeskPhoneDevice | null> {
    return this.em.fork().findOne(DeskPhoneDevice, { secretHash }, { populate: ['user'] });
  }

  byUser(userId: string): Promise<DeskPhoneDevice | null> {
    return this.em.fork().findOne(DeskPhoneDevice, { user: userId }, { populate: ['user'] });
  }

  /** Inserts a new phone; false when its MAC is taken (the unique index decides). */
  async insert(orgId: string, phone: Pick<DeskPhoneDevice, 'mac' | 'vendor' | 'label' | 'secretHash'>, userId: string | null): Promise<DeskPhoneDevice | false> {
    const em = this.em.fork();
    try {
      return await em.transactional(async (tx) => {
        if (userId) await tx.nativeUpdate(DeskPhoneDevice, { user: userId }, { user: null });
        const row = tx.create(DeskPhoneDevice, { ...phone, org: orgId, user: userId ? tx.getReference(User, userId) : null, createdAt: new Date() });
        await tx.flush();
        await tx.populate(row, ['user']);
        return row;
      });
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) return false;
      throw err;
    }
  }

  /**
   * Gives the phone to `userId` (null: to nobody). A user has one desk phone: the phone they had
   * before is left without a user. Returns the phone that lost the user, if any.
   */
  async assign(phoneId: string, userId: string | null): Promise<string | null> {
    return this.em.fork().transactional(async (tx) => {
      let previous: string | null = null;
      if (userId) {
        const other = await tx.findOne(DeskPhoneDevice, { user: userId, id: { $ne: phoneId } }, { fields: ['id'] });
        if (other) {
          previous = other.id;
          await tx.nativeUpdate(DeskPhoneDevice, { id: other.id }, { user: null });
        }
      }
      await tx.nativeUpdate(DeskPhoneDevice, { id: phoneId }, { user: userId });
      return previous;
    });
  }

  async update(id: string, fields: Partial<Pick<DeskPhoneDevice, 'label' | 'secretHash' | 'lastFetchAt' | 'lastFetchAddress'>>): Promise<void> {
    await this.em.fork().nativeUpdate(DeskPhoneDevice, { id }, fields);
  }

  async delete(orgId: string, id: string): Promise<boolean> {
    return (await this.em.fork().nativeDelete(DeskPhoneDevice, { id, org: orgId })) === 1;
  }

  async logFetch(row: Pick<ProvisioningFetch, 'at' | 'address' | 'file' | 'mac' | 'vendor' | 'phoneId' | 'userAgent' | 'result'>): Promise<void> {
    const em = this.em.fork();
    em.create(ProvisioningFetch, row);
    await em.flush();
  }

  /** Forgets fetches older than `before`. */
  async pruneFetches(before: Date): Promise<number> {
    return this.em.fork().nativeDelete(ProvisioningFetch, { at: { $lt: before } });
  }

  /** The most recent fetches, newest first, optionally of one MAC or with one result. */
  fetches(filter: { mac?: string; result?: ProvisioningFetch['result'] }, limit: number): Promise<ProvisioningFetch[]> {
    return this.em.fork().find(ProvisioningFetch, { ...(filter.mac ? { mac: filter.mac } : {}), ...(filter.result ? { result: filter.result } : {}) }, { orderBy: { at: 'desc', id: 'asc' }, limit });
  }

  /** An org's users with an extension, by extension (BLF keys; device states). */
  async team(orgId?: string): Promise<{ id: string; orgId: string; name: string; extension: string }[]> {
    const rows = await this.em.fork().find(User, { ...(orgId ? { org: orgId } : {}), extension: { $ne: null } }, { fields: ['id', 'org', 'name', 'extension'], orderBy: { extension: 'asc' } });
    return rows.map((u) => ({ id: u.id, orgId: u.org.id, name: u.name, extension: u.extension! }));
  }

  /** A user of the org by email (any case) or extension, for the CSV import. */
  userByEmailOrExtension(orgId: string, key: string): Promise<User | null> {
    return this.em.fork().findOne(User, { org: orgId, ...(key.includes('@') ? { email: key.toLowerCase() } : { extension: key }) });
  }

  /** MACs no phone has, among the given ones. */
  async unknownMacs(macs: string[]): Promise<Set<string>> {
    if (!macs.length) return new Set();
    const known = await this.em.fork().find(DeskPhoneDevice, { mac: { $in: macs } }, { fields: ['mac'] });
    const taken = new Set(known.map((p) => p.mac));
    return new Set(macs.filter((m) => !taken.has(m)));
  }
}
