import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import type { PhoneCallKind } from './phone-call.entity';

/** One party of a connected call as a new process needs it to take the call over. */
export interface LiveCallParty {
  channelId: string;
  role: 'agent' | 'outside';
  userId: string | null;
  activityId: string;
  /** ISO time. */
  answeredAt: string;
  result: string | null;
  /** The result its row gets instead (it handed the call on). */
  resultOverride: string | null;
  holdsLine: boolean;
  label: string;
  number: string | null;
}

/** A connected call's state: what the conversation machine resumes from. */
export interface LiveCallState {
  orgId: string;
  kind: PhoneCallKind;
  prospectId: string | null;
  recording: string | null;
  emergency: boolean;
  /** ISO time the call was connected. */
  connectedAt: string;
  /** Parties still on the call. */
  parties: LiveCallParty[];
  holding: string[];
  moh: string[];
  ending: boolean;
}

/**
 * A connected call Asterisk holds, as persisted for the next server process (docs/operations.md,
 * "Restarts"): written once the bridge is up and whenever its parties or hold change, deleted when
 * it ends. At link-up the instance that owns it (`owner`, see CallOwner) takes it over again.
 */
@Entity({ tableName: 'live_call' })
@Index({ properties: ['owner'] })
export class LiveCall {
  /** The phone_call's id. */
  @PrimaryKey({ type: 'string' })
  callId!: string;

  @Property({ type: 'string' })
  owner!: string;

  @Property({ type: 'string' })
  bridgeId!: string;

  @Property({ type: 'json' })
  state!: LiveCallState;

  @Property({ type: 'datetime' })
  updatedAt: Date = new Date();
}
