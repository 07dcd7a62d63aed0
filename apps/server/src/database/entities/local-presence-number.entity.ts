import { Entity, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { newId } from './base';
import { Org } from './org.entity';

/** An org-owned number used as a local caller ID (Local Dial Presence). */
@Entity({ tableName: 'local_presence_number' })
export class LocalPresenceNumber {
  @PrimaryKey({ type: 'string' })
  id: string = newId();

  @ManyToOne(() => Org)
  org!: Org;

  @Property({ type: 'string', unique: true })
  number!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}

/** One area code mapped to a local presence number (one number, many area codes). */
@Entity({ tableName: 'local_presence_mapping' })
@Unique({ properties: ['number', 'areaCode'] })
export class LocalPresenceMapping {
  @PrimaryKey({ type: 'string' })
  id: string = newId();

  @ManyToOne(() => LocalPresenceNumber, { deleteRule: 'cascade' })
  number!: LocalPresenceNumber;

  @Property({ type: 'string', length: 3 })
  areaCode!: string;
}
