import { Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { newId } from './base';
import { User } from './user.entity';

/** A desk daemon's credential: it may receive its agent's presence and nothing else. */
@Entity({ tableName: 'device_token' })
export class DeviceToken {
  @PrimaryKey({ type: 'string' })
  id: string = newId();

  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user!: User;

  @Property({ type: 'string' })
  name!: string;

  /** sha256 of the token's secret part (the token is 256 random bits, so a fast hash is enough). */
  @Property({ type: 'string', hidden: true })
  secretHash!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  lastUsedAt?: Date | null;
}
