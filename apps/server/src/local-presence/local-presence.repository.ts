import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import { LocalPresenceMapping, LocalPresenceNumber, Org } from '../database/entities';

export interface NumberWithMappings {
  number: LocalPresenceNumber;
  mappings: LocalPresenceMapping[];
}

export type AddMappingsResult = { ok: true } | { ok: false; alreadyMapped: string[] };

/** The org's Local Dial Presence numbers and their area-code mappings (runs in HTTP requests). */
@Injectable()
export class LocalPresenceRepository {
  constructor(private readonly em: EntityManager) {}

  async listNumbers(orgId: string): Promise<NumberWithMappings[]> {
    const numbers = await this.em.find(LocalPresenceNumber, { org: orgId }, { orderBy: { number: 'asc' } });
    const mappings = numbers.length ? await this.em.find(LocalPresenceMapping, { number: { $in: numbers.map((n) => n.id) } }, { orderBy: { areaCode: 'asc' } }) : [];
    return numbers.map((number) => ({ number, mappings: mappings.filter((m) => m.number.id === number.id) }));
  }

  async getNumber(orgId: string, id: string): Promise<NumberWithMappings | null> {
    const number = await this.em.findOne(LocalPresenceNumber, { id, org: orgId });
    if (!number) return null;
    return { number, mappings: await this.em.find(LocalPresenceMapping, { number: id }, { orderBy: { areaCode: 'asc' } }) };
  }

  /** A purchased number and its first mapping, in one transaction. */
  async createNumber(orgId: string, e164: string, areaCode: string): Promise<NumberWithMappings> {
    return this.em.transactional(async (em) => {
      const number = em.create(LocalPresenceNumber, { org: em.getReference(Org, orgId), number: e164, createdAt: new Date() });
      const mapping = em.create(LocalPresenceMapping, { number, areaCode });
      await em.flush();
      return { number, mappings: [mapping] };
    });
  }

  async deleteNumber(id: string): Promise<void> {
    await this.em.transactional(async (em) => {
      await em.nativeDelete(LocalPresenceMapping, { number: id });
      await em.nativeDelete(LocalPresenceNumber, { id });
    });
  }

  /** Maps more area codes to a number; none is added when any is mapped to it already. */
  async addMappings(numberId: string, areaCodes: string[]): Promise<AddMappingsResult> {
    try {
      return await this.em.transactional(async (em) => {
        const existing = await em.find(LocalPresenceMapping, { number: numberId, areaCode: { $in: areaCodes } });
        if (existing.length) return { ok: false, alreadyMapped: existing.map((m) => m.areaCode).sort() };
        for (const areaCode of areaCodes) em.create(LocalPresenceMapping, { number: em.getReference(LocalPresenceNumber, numberId), areaCode });
        await em.flush();
        return { ok: true } as const;
      });
    } catch (err) {
      // Two admins adding the same code at once: the unique (number, area code) index decides.
      if (err instanceof UniqueConstraintViolationException) return { ok: false, alreadyMapped: areaCodes };
      throw err;
    }
  }

  listMappings(orgId: string): Promise<LocalPresenceMapping[]> {
    return this.em.find(LocalPresenceMapping, { number: { org: orgId } }, { populate: ['number'], orderBy: { number: { number: 'asc' }, areaCode: 'asc' } });
  }

  /** Ids among `ids` that are mappings of this org. */
  async existingMappingIds(orgId: string, ids: string[]): Promise<string[]> {
    const rows = await this.em.find(LocalPresenceMapping, { id: { $in: ids }, number: { org: orgId } }, { fields: ['id'] });
    return rows.map((r) => r.id);
  }

  deleteMappings(ids: string[]): Promise<number> {
    return this.em.nativeDelete(LocalPresenceMapping, { id: { $in: ids } });
  }
}
