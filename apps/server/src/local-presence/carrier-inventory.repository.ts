import { EntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import type { InventoryNumber } from '@leadline/domain';
import { CarrierNumber, CarrierNumberStatus } from '../database/entities';
import { newId } from '../database/entities/base';
import type { InventoryCount } from '@leadline/contracts';
export type { InventoryCount };

// Keeps each statement well under SQLite's bound-variable limit.
const CHUNK = 400;
const TAKE_ATTEMPTS = 5;

/** The carrier's DID block the admin loaded: what the inventory number provider sells from. */
@Injectable()
export class CarrierInventoryRepository {
  constructor(private readonly em: EntityManager) {}

  /** Adds numbers not in the inventory yet (a reload of the same block is harmless); returns how many were new. */
  async add(orgId: string, numbers: InventoryNumber[]): Promise<number> {
    let added = 0;
    await this.em.transactional(async (em) => {
      for (let i = 0; i < numbers.length; i += CHUNK) {
        const rows = numbers.slice(i, i + CHUNK).map((n) => ({ id: newId(), org: orgId, number: n.number, areaCode: n.areaCode, status: 'free' as CarrierNumberStatus, createdAt: new Date() }));
        const result = await em.createQueryBuilder(CarrierNumber).insert(rows).onConflict('number').ignore().execute('run');
        added += result.affectedRows;
      }
    });
    return added;
  }

  async counts(orgId: string): Promise<InventoryCount[]> {
    const rows = await this.em
      .getConnection()
      .execute<{ areaCode: string; status: CarrierNumberStatus; n: number }[]>(
        // "areaCode" quoted: PostgreSQL folds unquoted aliases to lower case.
        'select area_code as "areaCode", status, count(*) as n from carrier_number where org_id = ? group by area_code, status order by area_code',
        [orgId],
      );
    const byCode = new Map<string, InventoryCount>();
    for (const r of rows) {
      const count = byCode.get(r.areaCode) ?? { areaCode: r.areaCode, free: 0, assigned: 0 };
      count[r.status] = Number(r.n);
      byCode.set(r.areaCode, count);
    }
    return [...byCode.values()];
  }

  /** Moves one free number of the area code to assigned and returns it; null when none is free. */
  async take(orgId: string, areaCode: string): Promise<string | null> {
    for (let attempt = 0; attempt < TAKE_ATTEMPTS; attempt++) {
      const em = this.em.fork();
      const candidate = await em.findOne(CarrierNumber, { org: orgId, areaCode, status: 'free' }, { orderBy: { createdAt: 'asc', number: 'asc' }, fields: ['id', 'number'] });
      if (!candidate) return null;
      // Guarded: of two concurrent purchases only one moves it; the other tries the next number.
      if ((await em.nativeUpdate(CarrierNumber, { id: candidate.id, status: 'free' }, { status: 'assigned' })) === 1) return candidate.number;
    }
    return null;
  }

  async release(orgId: string, number: string): Promise<void> {
    await this.em.nativeUpdate(CarrierNumber, { org: orgId, number }, { status: 'free' });
  }
}
