import { Entity, Enum, ManyToOne, OneToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { newId } from './base';
import { Prospect } from './prospect.entity';
import { User } from './user.entity';

export type AssignmentVia = 'ring_all' | 'distribute_all' | 'manual' | 'default_agent';

@Entity({ tableName: 'application' })
export class Application {
  @PrimaryKey({ type: 'string' })
  id: string = newId();

  @OneToOne(() => Prospect, { owner: true, unique: true })
  prospect!: Prospect;

  @ManyToOne(() => User)
  primaryAgent!: User;

  @Enum({ items: ['ring_all', 'distribute_all', 'manual', 'default_agent'], type: 'string' })
  via!: AssignmentVia;

  /** Who assigned it by hand; null when an agent took it. */
  @ManyToOne(() => User, { nullable: true })
  assignedBy?: User | null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
