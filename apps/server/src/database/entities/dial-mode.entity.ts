import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { CallMode, DialSubState, ExtraDialButton } from '@leadline/domain';
import { newId } from './base';
import { Campaign } from './campaign.entity';
import { Org } from './org.entity';
import { Prospect } from './prospect.entity';
import { User } from './user.entity';

const MODES = ['new', 'before_buyout', 're_approve', 'random'];

/** An admin-defined lead status of a campaign (processing, re-confirmation, approved, ...). */
@Entity({ tableName: 'lead_status' })
@Unique({ properties: ['campaign', 'name'] })
export class LeadStatus {
  @PrimaryKey({ type: 'string' })
  id: string = newId();

  @ManyToOne(() => Org)
  org!: Org;

  @ManyToOne(() => Campaign, { deleteRule: 'cascade' })
  campaign!: Campaign;

  @Property({ type: 'string' })
  name!: string;

  /** "Add to dial mode automatically": a lead entering this status joins `callMode`'s queue. */
  @Property({ type: 'boolean' })
  addToDialMode: boolean = false;

  @Enum({ items: MODES, type: 'string', nullable: true })
  callMode?: CallMode | null;

  /** New leads of the campaign get this status when they are accepted. */
  @Property({ type: 'boolean' })
  isInitial: boolean = false;

  @Property({ type: 'integer' })
  position: number = 0;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}

/** Settings of one campaign × call mode (defaults apply while there is no row). */
@Entity({ tableName: 'dial_mode_setting' })
@Unique({ properties: ['campaign', 'mode'] })
export class DialModeSetting {
  @PrimaryKey({ type: 'string' })
  id: string = newId();

  @ManyToOne(() => Campaign, { deleteRule: 'cascade' })
  campaign!: Campaign;

  @Enum({ items: MODES, type: 'string' })
  mode!: CallMode;

  @Property({ type: 'boolean' })
  highPriority: boolean = false;

  @Property({ type: 'integer' })
  timeStandardMinutes: number = 5;

  @Property({ type: 'integer' })
  retryDelayMinutes: number = 60;

  @Property({ type: 'integer' })
  maxAttempts: number = 5;

  @ManyToOne(() => LeadStatus, { nullable: true, deleteRule: 'set null' })
  exhaustedStatus?: LeadStatus | null;

  @Property({ type: 'json' })
  extraButtons: ExtraDialButton[] = [];

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

/** An operator (agent) may work one campaign × call mode. */
@Entity({ tableName: 'dial_mode_access' })
@Unique({ properties: ['campaign', 'mode', 'user'] })
export class DialModeAccess {
  @PrimaryKey({ type: 'string' })
  id: string = newId();

  @ManyToOne(() => Campaign, { deleteRule: 'cascade' })
  campaign!: Campaign;

  @Enum({ items: MODES, type: 'string' })
  mode!: CallMode;

  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user!: User;
}

/** The calling window of a campaign, in the borrower's local time (08:00–21:00 without a row). */
@Entity({ tableName: 'dial_calling_window' })
export class DialCallingWindow {
  @PrimaryKey({ type: 'string' })
  id: string = newId();

  @ManyToOne(() => Campaign, { deleteRule: 'cascade', unique: true })
  campaign!: Campaign;

  @Property({ type: 'integer' })
  startMinute!: number;

  @Property({ type: 'integer' })
  endMinute!: number;
}

/** A lead waiting in a call mode's queue (one per lead). Due times live here, not in timers. */
@Entity({ tableName: 'dial_queue_entry' })
@Index({ properties: ['callableAt'] })
@Index({ properties: ['campaign', 'mode', 'subState'] })
@Index({ properties: ['priority', 'dialByAt', 'dueAt', 'id'] })
export class DialQueueEntry {
  @PrimaryKey({ type: 'string' })
  id: string = newId();

  @ManyToOne(() => Org)
  org!: Org;

  @ManyToOne(() => Campaign, { deleteRule: 'cascade' })
  campaign!: Campaign;

  @ManyToOne(() => Prospect, { deleteRule: 'cascade', unique: true })
  prospect!: Prospect;

  @Enum({ items: MODES, type: 'string' })
  mode!: CallMode;

  @Enum({ items: ['unprocessed', 'no_answer', 'callback_planned'], type: 'string' })
  subState: DialSubState = 'unprocessed';

  /** The number dialled (E.164): the lead's mobile, else home, else work phone. */
  @Property({ type: 'string' })
  phone!: string;

  @Property({ type: 'integer' })
  priority: number = 0;

  @Property({ type: 'datetime' })
  dueAt!: Date;

  /** dueAt + the mode's time standard: the queue order after priority. */
  @Property({ type: 'datetime' })
  dialByAt!: Date;

  /** The first moment at or after dueAt inside the borrower's calling window; null: never. */
  @Property({ type: 'datetime', nullable: true })
  callableAt?: Date | null;

  @Property({ type: 'integer' })
  attempts: number = 0;

  /** The operator the lead is handed to right now (set by one guarded update). */
  @ManyToOne(() => User, { nullable: true, deleteRule: 'set null' })
  lockedBy?: User | null;

  @Property({ type: 'datetime', nullable: true })
  lockedAt?: Date | null;

  /** The last activity of the operator's hold (handed out, dialled, its call ended): it expires after DIAL_MODE_HOLD_EXPIRY_MINUTES. */
  @Index()
  @Property({ type: 'datetime', nullable: true })
  heldActiveAt?: Date | null;

  @Property({ type: 'string', nullable: true })
  lastResult?: string | null;

  /** The calling rule holding the lead back until callableAt (code and the reason in words), if any. */
  @Property({ type: 'string', nullable: true })
  callingRule?: string | null;

  @Property({ type: 'json', nullable: true })
  callingRuleHold?: CallingRuleHold | null;

  @Property({ type: 'datetime', nullable: true })
  lastDialedAt?: Date | null;

  @Property({ type: 'datetime' })
  enteredAt: Date = new Date();
}

/** What a calling rule said when it held a lead back (docs/compliance.md). */
export interface CallingRuleHold {
  region: string | null;
  law: string;
  reason: string;
}

export type DoNotCallSource = 'manual' | 'csv' | 'operator';

/** A number of the org's do-not-call list (E.164): never dialled by dial mode. */
@Entity({ tableName: 'do_not_call' })
@Unique({ properties: ['org', 'phone'] })
export class DoNotCall {
  @PrimaryKey({ type: 'string' })
  id: string = newId();

  @ManyToOne(() => Org)
  org!: Org;

  @Property({ type: 'string' })
  phone!: string;

  @Enum({ items: ['manual', 'csv', 'operator'], type: 'string' })
  source!: DoNotCallSource;

  @Property({ type: 'string', nullable: true })
  note?: string | null;

  @ManyToOne(() => User, { nullable: true, deleteRule: 'set null' })
  createdBy?: User | null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
