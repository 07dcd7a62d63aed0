import { Entity, Enum, ManyToOne, OneToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { ASSIGNMENT_VIAS, AssignmentVia } from '@leadline/domain';
import { newId } from './base';
import { Prospect } from './prospect.entity';
import { User } from './user.entity';

export type { AssignmentVia };

@Entity({ tableName: 'application' })
export class Application {
  @PrimaryKey({ type: 'string' })
  id: string = newId();

  @OneToOne(() => Prospect, { owner: true, unique: true })
  prospect!: Prospect;

  @ManyToOne(() => User)
  primaryAgent!: User;

  @Enum({ items: [...ASSIGNMENT_VIAS], type: 'string' })
  via!: AssignmentVia;

  /** Who assigned it by hand; null when an agent took it. */
  @ManyToOne(() => User, { nullable: true })
  assignedBy?: User | null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
