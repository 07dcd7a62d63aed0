import { Collection, Entity, ManyToMany, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import type { LoanPurpose, UsState } from '@leadline/domain';
import { newId } from './base';
import { Org } from './org.entity';
import { User } from './user.entity';

@Entity({ tableName: 'distribution_group' })
export class DistributionGroup {
  @PrimaryKey({ type: 'string' })
  id: string = newId();

  @ManyToOne(() => Org)
  org!: Org;

  @Property({ type: 'string' })
  name!: string;

  @ManyToMany(() => User, undefined, { pivotTable: 'distribution_group_member' })
  members = new Collection<User>(this);

  @Property({ type: 'json' })
  filterStates: UsState[] = [];

  @Property({ type: 'json' })
  filterLoanPurposes: LoanPurpose[] = [];

  @Property({ type: 'double', nullable: true })
  filterLoanAmountMin?: number | null;

  @Property({ type: 'double', nullable: true })
  filterLoanAmountMax?: number | null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
