import { EntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { LiveCall, LiveCallState } from '../../database/entities';
import { callOwner, ownedIn, RecoveryScope } from '../call-owner';

/** What a restart recovery must leave alone: the connected calls this instance takes over at link-up. */
export interface AdoptableRows {
  callIds: string[];
  activityIds: string[];
  userIds: string[];
}

/** Connected calls as persisted for the next process (one row per call, written in place). */
@Injectable()
export class LiveCallRepository {
  private readonly owner: string;

  constructor(
    private readonly em: EntityManager,
    config: AppConfig,
  ) {
    this.owner = callOwner(config.ari);
  }

  async save(callId: string, bridgeId: string, state: LiveCallState): Promise<void> {
    await this.em.fork().upsert(LiveCall, { callId, owner: this.owner, bridgeId, state, updatedAt: new Date() });
  }

  async delete(callId: string): Promise<void> {
    await this.em.fork().nativeDelete(LiveCall, { callId });
  }

  /** The calls this instance (its earlier life included) left in its Stasis app. */
  mine(): Promise<LiveCall[]> {
    return this.em.fork().find(LiveCall, { owner: this.owner }, { orderBy: { callId: 'asc' } });
  }

  async adoptable(): Promise<AdoptableRows> {
    const rows = await this.mine();
    const parties = rows.flatMap((r) => r.state.parties);
    return {
      callIds: rows.map((r) => r.callId),
      activityIds: parties.map((p) => p.activityId),
      userIds: parties.filter((p) => p.holdsLine && p.userId).map((p) => p.userId!),
    };
  }

  /**
   * Calls of other owners within a recovery's scope: nobody can take them over (each instance
   * adopts only from its own Stasis app), so they go with the rows the recovery closes.
   */
  async dropOthers(scope: RecoveryScope): Promise<number> {
    return this.em.fork().nativeDelete(LiveCall, { $and: [ownedIn('owner', scope), { owner: { $ne: this.owner } }] });
  }
}
