import { Entity, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import type { DistributionType } from '@leadline/domain';
import { newId } from './base';
import { DistributionGroup } from './distribution-group.entity';
import { Org } from './org.entity';
import { User } from './user.entity';

@Entity({ tableName: 'campaign' })
export class Campaign {
  @PrimaryKey({ type: 'string' })
  id: string = newId();

  @ManyToOne(() => Org)
  org!: Org;

  @Property({ type: 'string' })
  name!: string;

  @Property({ type: 'string', nullable: true })
  description?: string | null;

  /** The marketing channel. */
  @Property({ type: 'string', nullable: true })
  leadProvider?: string | null;

  @Enum({ items: ['ring_all', 'distribute_all', 'none'], type: 'string' })
  distributionType: DistributionType = 'none';

  @ManyToOne(() => DistributionGroup, { nullable: true, deleteRule: 'set null' })
  distributionGroup?: DistributionGroup | null;

  /** When a distribution fails, the lead goes to this agent instead of staying an exception. */
  @ManyToOne(() => User, { nullable: true, deleteRule: 'set null' })
  defaultAgent?: User | null;

  @Property({ type: 'integer' })
  ringTimeoutSeconds: number = 30;

  @Property({ type: 'integer' })
  offerTimeoutSeconds: number = 60;

  /** Kept readable so admins can see the Action Post URL at any time; compared in constant time. */
  @Property({ type: 'string', hidden: true })
  apiKey!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
