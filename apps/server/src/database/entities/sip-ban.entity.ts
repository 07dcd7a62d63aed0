import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * An address refused at Asterisk's SIP port until `expiresAt` (a deny ACL Leadline writes through
 * ARI). One row per banned address; lifted or expired bans are deleted (the server log keeps them).
 */
@Entity({ tableName: 'sip_ban' })
export class SipBan {
  /** The banned IPv4 or IPv6 address. */
  @PrimaryKey({ type: 'string' })
  address!: string;

  /** Failed SIP requests counted when the ban was decided. */
  @Property({ type: 'integer' })
  failures!: number;

  /** The user names the failed requests claimed (a few, for the admin's eyes). */
  @Property({ type: 'string' })
  accounts!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Index()
  @Property({ type: 'datetime' })
  expiresAt!: Date;
}
