import { EntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import { Org } from '../database/entities';

@Injectable()
export class OrgRepository {
  constructor(private readonly em: EntityManager) {}

  get(id: string): Promise<Org> {
    return this.em.findOneOrFail(Org, { id });
  }

  /** The org's IANA time zone: what a date typed without a zone means. */
  async timeZoneOf(id: string): Promise<string> {
    return (await this.em.findOneOrFail(Org, { id }, { fields: ['timeZone'] })).timeZone;
  }

  async save(org: Org): Promise<void> {
    await this.em.persistAndFlush(org);
  }
}
