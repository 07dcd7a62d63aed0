import { Entity, Enum, Index, ManyToOne, OneToOne, PrimaryKey, Property } from '@mikro-orm/core';
import type { PhoneVendor } from '@leadline/domain';
import { newId } from './base';
import { Org } from './org.entity';
import { User } from './user.entity';

/** A desk phone known by its MAC, served its configuration file (docs/desk-phones.md). */
@Entity({ tableName: 'desk_phone_device' })
export class DeskPhoneDevice {
  @PrimaryKey({ type: 'string' })
  id: string = newId();

  @ManyToOne(() => Org)
  org!: Org;

  /** 12 lower-case hex digits. */
  @Property({ type: 'string', unique: true })
  mac!: string;

  @Enum({ items: ['yealink', 'poly', 'grandstream'], type: 'string' })
  vendor!: PhoneVendor;

  @Property({ type: 'string', nullable: true })
  label?: string | null;

  /** Whose account the phone gets; null = waits for a user (its line is disabled). */
  @OneToOne(() => User, { nullable: true, owner: true, deleteRule: 'set null', unique: 'desk_phone_device_user_id_unique' })
  user?: User | null;

  /** sha256 of the secret in the phone's provisioning URL (256 random bits: a fast hash is enough). */
  @Property({ type: 'string', hidden: true, unique: true })
  secretHash!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  lastFetchAt?: Date | null;

  @Property({ type: 'string', nullable: true })
  lastFetchAddress?: string | null;
}

export type ProvisioningFetchResult = 'served' | 'unknown_mac' | 'bad_secret' | 'not_allowed' | 'not_found';

/** One configuration request, whatever its answer (every fetch is logged; docs/security.md). */
@Entity({ tableName: 'provisioning_fetch' })
export class ProvisioningFetch {
  @PrimaryKey({ type: 'string' })
  id: string = newId();

  @Index()
  @Property({ type: 'datetime' })
  at: Date = new Date();

  @Property({ type: 'string' })
  address!: string;

  /** The file name asked for (at most 100 characters kept). */
  @Property({ type: 'string' })
  file!: string;

  @Index()
  @Property({ type: 'string', nullable: true })
  mac?: string | null;

  @Property({ type: 'string', nullable: true })
  vendor?: PhoneVendor | null;

  @Property({ type: 'string', nullable: true })
  phoneId?: string | null;

  @Property({ type: 'string', nullable: true })
  userAgent?: string | null;

  @Enum({ items: ['served', 'unknown_mac', 'bad_secret', 'not_allowed', 'not_found'], type: 'string' })
  result!: ProvisioningFetchResult;
}
