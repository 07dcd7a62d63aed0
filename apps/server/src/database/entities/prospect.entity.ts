import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { LoanPurpose, ProspectStatus } from '@leadline/domain';
import { newId } from './base';
import { Campaign } from './campaign.entity';
import { Org } from './org.entity';

/** A lead. It stays one row from intake to assignment; an Application row marks it taken. */
@Entity({ tableName: 'prospect' })
@Index({ properties: ['status', 'ignored', 'createdAt'] })
// Reports read one org's leads by day and what changed lately (updated_at: a trigger stamps every update).
@Index({ properties: ['org', 'createdAt'] })
@Index({ properties: ['org', 'updatedAt'] })
export class Prospect {
  @PrimaryKey({ type: 'string' })
  id: string = newId();

  @ManyToOne(() => Org)
  org!: Org;

  @ManyToOne(() => Campaign)
  campaign!: Campaign;

  @Property({ type: 'string', nullable: true })
  firstName?: string | null;

  @Property({ type: 'string', nullable: true })
  lastName?: string | null;

  @Property({ type: 'string', nullable: true })
  mobilePhone?: string | null;

  @Property({ type: 'string', nullable: true })
  homePhone?: string | null;

  @Property({ type: 'string', nullable: true })
  workPhone?: string | null;

  @Property({ type: 'string', nullable: true })
  email?: string | null;

  @Property({ type: 'string', length: 2, nullable: true })
  propertyState?: string | null;

  @Property({ type: 'string', nullable: true })
  loanPurpose?: LoanPurpose | null;

  @Property({ type: 'double', nullable: true })
  loanAmount?: number | null;

  @Property({ type: 'string', nullable: true })
  leadProvider?: string | null;

  @Property({ type: 'json' })
  extra: Record<string, string> = {};

  // Consent evidence (docs/compliance.md): what the lead vendor posted, as posted; written once, by
  // the post that created the lead (or the first later post that carries it), never overwritten.
  @Property({ type: 'text', nullable: true })
  consentText?: string | null;

  /** The consent time as the vendor wrote it. */
  @Property({ type: 'string', nullable: true })
  consentTimestamp?: string | null;

  /** The same instant, parsed. */
  @Property({ type: 'datetime', nullable: true })
  consentAt?: Date | null;

  @Property({ type: 'string', nullable: true })
  consentSourceUrl?: string | null;

  @Property({ type: 'string', nullable: true })
  consentIp?: string | null;

  /** A TrustedForm certificate URL or Jornaya LeadiD token. */
  @Property({ type: 'string', nullable: true })
  consentCertificate?: string | null;

  /** When Leadline stored the consent. */
  @Property({ type: 'datetime', nullable: true })
  consentReceivedAt?: Date | null;

  @Enum({ items: ['new', 'distributing', 'assigned', 'exception'], type: 'string' })
  status: ProspectStatus = 'new';

  /** The admin-defined lead status (dial mode, docs/dial-mode.md); a lead_status id, no FK constraint. */
  @Index()
  @Property({ type: 'string', nullable: true })
  leadStatusId?: string | null;

  @Property({ type: 'boolean' })
  ignored: boolean = false;

  @Property({ type: 'datetime', nullable: true })
  ignoredAt?: Date | null;

  @Property({ type: 'string', nullable: true })
  failureReason?: string | null;

  /** Why a Fatal error happened, for the logs and support; not shown as the reason. */
  @Property({ type: 'string', nullable: true })
  failureDetail?: string | null;

  // Speed to lead: accepted (createdAt) → distribution started → first agent rung → taken → borrower answered.
  @Property({ type: 'datetime', nullable: true })
  distributionStartedAt?: Date | null;

  /** The server instance running the distribution (see CallOwner); recovery after its death. */
  @Property({ type: 'string', nullable: true })
  distributionOwner?: string | null;

  @Property({ type: 'datetime', nullable: true })
  firstRingAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  takenAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  borrowerAnsweredAt?: Date | null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

/** Normalised phones of a prospect within its campaign: the matching index, unique per campaign. */
@Entity({ tableName: 'prospect_phone' })
@Unique({ properties: ['campaign', 'phone'] })
export class ProspectPhone {
  @PrimaryKey({ type: 'string' })
  id: string = newId();

  @ManyToOne(() => Campaign)
  campaign!: Campaign;

  @Index()
  @Property({ type: 'string' })
  phone!: string;

  @ManyToOne(() => Prospect, { deleteRule: 'cascade' })
  prospect!: Prospect;
}
