import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { newId } from './base';

@Entity({ tableName: 'org' })
export class Org {
  @PrimaryKey({ type: 'string' })
  id: string = newId();

  @Property({ type: 'string' })
  name!: string;

  /** Shown to agents on distribution calls. E.164. */
  @Property({ type: 'string', nullable: true })
  callerId?: string | null;

  /** Last-resort outbound caller ID shown to borrowers. E.164. */
  @Property({ type: 'string', nullable: true })
  orgNumber?: string | null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
