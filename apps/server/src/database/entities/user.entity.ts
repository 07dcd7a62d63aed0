import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { LoanPurpose, Role, UsState, WorkPhoneType } from '@leadline/domain';
import { newId } from './base';
import { Org } from './org.entity';

@Entity({ tableName: 'app_user' })
@Unique({ properties: ['org', 'extension'] })
export class User {
  @PrimaryKey({ type: 'string' })
  id: string = newId();

  @ManyToOne(() => Org)
  org!: Org;

  @Property({ type: 'string' })
  name!: string;

  @Property({ type: 'string', unique: true })
  email!: string;

  @Enum({ items: ['admin', 'manager', 'agent'], type: 'string' })
  role!: Role;

  @Property({ type: 'string', hidden: true, lazy: true })
  passwordHash!: string;

  @Enum({ items: ['sip_desk', 'static_ip', 'external'], type: 'string', nullable: true })
  workPhoneType?: WorkPhoneType | null;

  /** external: E.164 number; static_ip: host[:port] of the phone; sip_desk: null (the endpoint is sipUsername). */
  @Property({ type: 'string', nullable: true })
  workPhone?: string | null;

  /** PJSIP endpoint/auth/aor id in Asterisk, for sip_desk and static_ip phones. */
  @Property({ type: 'string', nullable: true, unique: true })
  sipUsername?: string | null;

  /** MD5 digest credential (md5(user:realm:password)); the clear password is shown once. */
  @Property({ type: 'string', nullable: true, hidden: true, lazy: true })
  sipMd5Cred?: string | null;

  /** The SIP password encrypted with a key outside the database (SipPasswordCipher), for the phone's provisioning file. */
  @Property({ type: 'string', nullable: true, hidden: true, lazy: true })
  sipPasswordEnc?: string | null;

  /** Dialled from desk phones to reach this user (unique in the org; 3-6 digits, see isValidExtension). */
  @Property({ type: 'string', nullable: true })
  extension?: string | null;

  /** Caller ID shown to borrowers. E.164. */
  @Property({ type: 'string', nullable: true })
  callerId?: string | null;

  @Property({ type: 'json' })
  stateLicences: UsState[] = [];

  @Property({ type: 'json' })
  filterLoanPurposes: LoanPurpose[] = [];

  @Property({ type: 'double', nullable: true })
  filterLoanAmountMin?: number | null;

  @Property({ type: 'double', nullable: true })
  filterLoanAmountMax?: number | null;

  @Property({ type: 'json' })
  filterLeadProviders: string[] = [];

  @Property({ type: 'boolean' })
  callsOn: boolean = false;

  @Property({ type: 'boolean' })
  loggedIn: boolean = false;

  @Property({ type: 'boolean' })
  showIncomingCallDetails: boolean = true;

  /**
   * Set while a call leg of this agent is up or ringing; the basis of "not on a call". Indexed only
   * where set (app_user_on_call_index, a partial index: Migration20261220000000OnCallIndex).
   */
  @Property({ type: 'datetime', nullable: true })
  onCallSince?: Date | null;

  /** The server instance that reserved the agent (see CallOwner); recovery after its death. */
  @Property({ type: 'string', nullable: true })
  onCallOwner?: string | null;

  /** For fair ordering: longest idle first. */
  @Property({ type: 'datetime', nullable: true })
  lastCallEndedAt?: Date | null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
