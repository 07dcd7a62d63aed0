import { borrowerTimeZones } from './calling-window.util';
import { ALL_PARTY_CONSENT_STATES } from './data/recording-consent-states';

// Whether a borrower call is recorded, and whether the borrower first hears the recording
// disclosure (docs/compliance.md). Pure: the org's policy and the borrower's state come in.

/** What an org does where every party must consent: disclose then record (default), or not record. */
export type AllPartyStateChoice = 'disclose_then_record' | 'do_not_record';
/** What an org does where one party's consent is enough. */
export type OnePartyStateChoice = 'disclose_then_record' | 'record_without_disclosure' | 'do_not_record';

export const ALL_PARTY_STATE_CHOICES: readonly AllPartyStateChoice[] = ['disclose_then_record', 'do_not_record'];
export const ONE_PARTY_STATE_CHOICES: readonly OnePartyStateChoice[] = ['disclose_then_record', 'record_without_disclosure', 'do_not_record'];

export interface RecordingPolicy {
  allPartyStates: AllPartyStateChoice;
  onePartyStates: OnePartyStateChoice;
}

export const DEFAULT_RECORDING_POLICY: RecordingPolicy = { allPartyStates: 'disclose_then_record', onePartyStates: 'disclose_then_record' };

/** What happened to a call's recording: the disclosure played then recorded, recorded without it, or not recorded. */
export type RecordingRule = 'disclosed' | 'undisclosed' | 'not_recorded';

export interface RecordingDecision {
  rule: RecordingRule;
  /** The borrower's state (or Canadian province) that decided; null when unknown. */
  state: string | null;
  /** Where the state came from. */
  stateFrom: 'property_state' | 'area_code' | 'unknown';
  /** Whether the all-party column of the policy applied (an unknown state counts as all-party). */
  allPartyConsent: boolean;
}

/**
 * The rule for one borrower: the state is the lead's property state, else the area code's (the
 * same "whose state" as the calling rules). A borrower whose state is not known — no property
 * state, a blocked caller ID, a number outside the US — gets the all-party column: the safe side.
 */
export function chooseRecordingRule(input: { propertyState?: string | null; borrowerPhone?: string | null; policy: RecordingPolicy }): RecordingDecision {
  const where = borrowerTimeZones({ propertyState: input.propertyState, phone: input.borrowerPhone });
  const usState = where.region !== null && where.basis !== 'unknown' && !CANADIAN_REGIONS.has(where.region);
  const allPartyConsent = !usState || where.region! in ALL_PARTY_CONSENT_STATES;
  const choice: OnePartyStateChoice = allPartyConsent ? input.policy.allPartyStates : input.policy.onePartyStates;
  return { rule: RULE_OF[choice], state: where.region, stateFrom: where.basis, allPartyConsent };
}

const RULE_OF: Record<OnePartyStateChoice, RecordingRule> = {
  disclose_then_record: 'disclosed',
  record_without_disclosure: 'undisclosed',
  do_not_record: 'not_recorded',
};

// Canada's provinces (federal law is one-party, but PIPEDA expects a business to say it records):
// treated like an unknown state.
const CANADIAN_REGIONS = new Set(['AB', 'BC', 'MB', 'NB', 'NL', 'NS', 'NT', 'NU', 'ON', 'PE', 'QC', 'SK', 'YT']);
