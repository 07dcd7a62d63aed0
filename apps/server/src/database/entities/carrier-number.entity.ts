import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { newId } from './base';
import { Org } from './org.entity';

export type CarrierNumberStatus = 'free' | 'assigned';

/**
 * One DID of the carrier's block that the admin loaded (the inventory Local Dial Presence numbers
 * are purchased from). `assigned` while it is one of the org's local presence numbers.
 */
@Entity({ tableName: 'carrier_number' })
@Index({ properties: ['areaCode', 'status'] })
export class CarrierNumber {
  @PrimaryKey({ type: 'string' })
  id: string = newId();

  @ManyToOne(() => Org)
  org!: Org;

  /** E.164. */
  @Property({ type: 'string', unique: true })
  number!: string;

  @Property({ type: 'string', length: 3 })
  areaCode!: string;

  @Enum({ items: ['free', 'assigned'], type: 'string' })
  status: CarrierNumberStatus = 'free';

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
