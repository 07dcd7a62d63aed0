import { EntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import { LIKE_ESCAPE, likeContains } from '../common/like-pattern.util';
import { DoNotCall, DoNotCallSource, Org, User } from '../database/entities';

export interface NewDoNotCall {
  phone: string;
  note: string | null;
}

/** The org's do-not-call list. */
@Injectable()
export class DoNotCallRepository {
  constructor(private readonly em: EntityManager) {}

  /** One page of the list, newest first; `phone` is found anywhere in the number. */
  list(orgId: string, phone: string | undefined, page: number, pageSize: number): Promise<[DoNotCall[], number]> {
    const qb = this.em.createQueryBuilder(DoNotCall, 'd').select('*').where({ org: orgId });
    if (phone) qb.andWhere('d.phone like ? escape ?', [likeContains(phone), LIKE_ESCAPE]);
    return qb.orderBy([{ createdAt: 'desc' }, { id: 'asc' }]).limit(pageSize).offset((page - 1) * pageSize).getResultAndCount();
  }

  get(orgId: string, id: string): Promise<DoNotCall | null> {
    return this.em.findOne(DoNotCall, { id, org: orgId });
  }

  byPhone(orgId: string, phone: string): Promise<DoNotCall | null> {
    return this.em.findOne(DoNotCall, { org: orgId, phone });
  }

  /** The numbers of `phones` that are on the list. */
  async listed(orgId: string, phones: string[]): Promise<Set<string>> {
    if (!phones.length) return new Set();
    const rows = await this.em.fork().find(DoNotCall, { org: orgId, phone: { $in: [...new Set(phones)] } }, { fields: ['phone'] });
    return new Set(rows.map((r) => r.phone));
  }

  /** Adds the numbers not listed yet, in one transaction; answers how many were new. */
  async add(orgId: string, rows: NewDoNotCall[], source: DoNotCallSource, userId: string | null): Promise<{ added: DoNotCall[]; alreadyListed: number }> {
    return this.em.fork().transactional(async (em) => {
      const existing = new Set((await em.find(DoNotCall, { org: orgId, phone: { $in: rows.map((r) => r.phone) } }, { fields: ['phone'] })).map((r) => r.phone));
      const added: DoNotCall[] = [];
      for (const row of rows) {
        if (existing.has(row.phone)) continue;
        existing.add(row.phone);
        added.push(em.create(DoNotCall, { org: em.getReference(Org, orgId), phone: row.phone, source, note: row.note, createdBy: userId ? em.getReference(User, userId) : null, createdAt: new Date() }));
      }
      await em.flush();
      return { added, alreadyListed: rows.length - added.length };
    });
  }

  async flush(): Promise<void> {
    await this.em.flush();
  }

  async remove(entry: DoNotCall): Promise<void> {
    await this.em.remove(entry).flush();
  }
}
