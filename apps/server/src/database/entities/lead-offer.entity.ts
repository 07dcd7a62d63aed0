import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import type { LeadOfferSummary } from '@leadline/contracts';

/**
 * A Distribute All offer, open until claimed, withdrawn or expired. Kept in the database rather
 * than in one process's memory so every server instance can hand it to an agent who connects,
 * check a claim against it and expire it, and so it survives a restart.
 */
@Entity({ tableName: 'lead_offer' })
@Index({ properties: ['closedAt', 'expiresAt'] })
export class LeadOffer {
  /** One offer per prospect (a prospect is distributed once). */
  @PrimaryKey({ type: 'string' })
  prospectId!: string;

  @Property({ type: 'string' })
  orgId!: string;

  /** What the agents are shown, exactly as it was sent. */
  @Property({ type: 'json' })
  summary!: LeadOfferSummary;

  /** The agents it was offered to (ids). */
  @Property({ type: 'json' })
  eligible!: string[];

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime' })
  expiresAt!: Date;

  /** Set once, by whoever closes it first (claim, manager assignment or expiry). */
  @Property({ type: 'datetime', nullable: true })
  closedAt?: Date | null;
}
