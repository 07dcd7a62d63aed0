import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import type { RecordingDecision, RecordingRule } from '@leadline/domain';
import { newId } from './base';
import { Org } from './org.entity';
import { PhoneCall } from './phone-call.entity';
import { Prospect } from './prospect.entity';
import { User } from './user.entity';

export type CallDirection = 'outbound' | 'inbound';

/** One row per call leg. */
@Entity({ tableName: 'call_activity' })
@Index({ properties: ['prospect', 'startedAt'] })
// Callbacks look up the last call to a borrower's number; caller-ID choice counts today's calls per number.
@Index({ properties: ['toNumber', 'startedAt'] })
@Index({ properties: ['fromNumber', 'startedAt'] })
// Reports read one org's legs by day and what changed lately; the wallboard its open legs.
@Index({ properties: ['org', 'startedAt'] })
@Index({ properties: ['org', 'updatedAt'] })
@Index({ properties: ['org', 'endedAt'] })
export class CallActivity {
  @PrimaryKey({ type: 'string' })
  id: string = newId();

  @ManyToOne(() => Org)
  org!: Org;

  @ManyToOne(() => Prospect, { nullable: true })
  prospect?: Prospect | null;

  /** The call this leg belongs to (null on rows written before calls were kept). */
  @ManyToOne(() => PhoneCall, { nullable: true })
  call?: PhoneCall | null;

  @Enum({ items: ['outbound', 'inbound'], type: 'string' })
  direction!: CallDirection;

  /** What the leg was for: agent_offer (ring all), borrower, inbound, ... */
  @Property({ type: 'string' })
  purpose!: string;

  @Property({ type: 'string', nullable: true })
  fromNumber?: string | null;

  @Property({ type: 'string', nullable: true })
  toNumber?: string | null;

  @ManyToOne(() => User, { nullable: true })
  user?: User | null;

  @Index()
  @Property({ type: 'string', nullable: true })
  channelId?: string | null;

  @Property({ type: 'datetime' })
  startedAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  answeredAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  endedAt?: Date | null;

  @Property({ type: 'integer', nullable: true })
  ringSeconds?: number | null;

  @Property({ type: 'integer', nullable: true })
  talkSeconds?: number | null;

  /** ringing, answered, won, lost, no_answer, busy, failed, cancelled, completed ... */
  @Property({ type: 'string' })
  result: string = 'ringing';

  @Property({ type: 'string', nullable: true })
  recording?: string | null;

  /** Why this caller ID was chosen (local_presence, agent_caller_id, org_number, org_caller_id; borrower_number on a click-to-call agent leg). */
  @Property({ type: 'string', nullable: true })
  callerIdReason?: string | null;

  /** Stamped by a database trigger on every update (the reports rebuild the days that changed). */
  @Property({ type: 'datetime', nullable: true })
  updatedAt?: Date | null = new Date();
  /** Why the leg went the way it did, in words (e.g. the dialling policy's reason for a refusal). */
  @Property({ type: 'string', nullable: true })
  detail?: string | null;

  /** The recording rule applied to a connected borrower leg: disclosed, undisclosed, not_recorded. */
  @Property({ type: 'string', nullable: true })
  recordingRule?: RecordingRule | null;

  /** The borrower's state that decided it (null: unknown). */
  @Property({ type: 'string', nullable: true })
  recordingRuleState?: string | null;

  /** Where that state came from: property_state, area_code, unknown. */
  @Property({ type: 'string', nullable: true })
  recordingRuleStateFrom?: RecordingDecision['stateFrom'] | null;

  /** The server instance whose Stasis app carries this leg (see CallOwner). */
  @Property({ type: 'string', nullable: true })
  owner?: string | null;
}
