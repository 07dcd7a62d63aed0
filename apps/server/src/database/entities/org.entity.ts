import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { AllPartyStateChoice, OnePartyStateChoice } from '@leadline/domain';
import { newId } from './base';

@Entity({ tableName: 'org' })
export class Org {
  @PrimaryKey({ type: 'string' })
  id: string = newId();

  @Property({ type: 'string' })
  name!: string;

  /** Shown to agents on distribution calls. E.164. */
  @Property({ type: 'string', nullable: true })
  callerId?: string | null;

  /** Last-resort outbound caller ID shown to borrowers. E.164. */
  @Property({ type: 'string', nullable: true })
  orgNumber?: string | null;

  /** IANA time zone: what "today" means in reports and what a date-time without a zone means. */
  @Property({ type: 'string' })
  timeZone: string = 'America/New_York';

  /** Dialling policy (libs/domain dialling-policy.util): all off = domestic and toll-free only. */
  @Property({ type: 'boolean' })
  dialAllowInternational: boolean = false;

  @Property({ type: 'boolean' })
  dialAllowPremium: boolean = false;

  @Property({ type: 'boolean' })
  dialAllowN11: boolean = false;

  /** Caller ID sent on 911 calls: the number registered with the office's location. E.164. */
  @Property({ type: 'string', nullable: true })
  emergencyCallerId?: string | null;

  /** Recording where every party must consent (docs/compliance.md). */
  @Property({ type: 'string' })
  recordingAllPartyStates: AllPartyStateChoice = 'disclose_then_record';

  /** Recording where one party's consent is enough. */
  @Property({ type: 'string' })
  recordingOnePartyStates: OnePartyStateChoice = 'disclose_then_record';

  /** Whether an agent's dashboard says so when a manager listens, whispers or barges on their call. */
  @Property({ type: 'boolean' })
  monitorNoticeToAgent: boolean = false;

  /** The admin's own disclosure prompt (a VoicePrompt's sha256); null: the committed default. */
  @Property({ type: 'string', nullable: true })
  disclosurePrompt?: string | null;

  @Property({ type: 'datetime', nullable: true })
  disclosurePromptUploadedAt?: Date | null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
