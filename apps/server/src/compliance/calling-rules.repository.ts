import { EntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import { CallActivity } from '../database/entities';

/** What the state calling rules read: the calls a number already got. */
@Injectable()
export class CallingRulesRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * When the org's calls to this number started since `since` (every borrower leg: ring all,
   * click-to-call, dial mode, whatever the campaign). Uses the (to_number, started_at) index.
   */
  async callStartsTo(orgId: string, phone: string, since: Date): Promise<Date[]> {
    const rows = await this.em.fork().find(
      CallActivity,
      { org: orgId, toNumber: phone, direction: 'outbound', purpose: 'borrower', startedAt: { $gt: since } },
      { fields: ['startedAt'], orderBy: { startedAt: 'desc' } },
    );
    return rows.map((r) => r.startedAt);
  }
}
