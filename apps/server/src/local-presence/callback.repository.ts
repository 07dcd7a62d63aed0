import { EntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import { CallActivity, User } from '../database/entities';

/** What callback routing reads (whether the DID is a local presence number: InboundRepository). It runs from ARI events, outside HTTP requests: each call forks. */
@Injectable()
export class CallbackRepository {
  constructor(private readonly em: EntityManager) {}

  /** The user of the most recent outbound call leg to this number (borrower legs carry the agent). */
  async lastCaller(orgId: string, e164: string): Promise<User | null> {
    const [leg] = await this.em.fork().find(
      CallActivity,
      { org: orgId, direction: 'outbound', toNumber: e164, user: { $ne: null } },
      { populate: ['user'], orderBy: { startedAt: 'desc', id: 'desc' }, limit: 1 },
    );
    return leg?.user ?? null;
  }
}
