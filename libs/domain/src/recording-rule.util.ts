// Which recording rule a borrower's call gets (docs/compliance.md): by the borrower's state
// (property state, else area code), from the org's choices for all-party and one-party states and
// its per-state choices. Pure.
import type { BorrowerZones } from './calling-window.util';
import { ALL_PARTY_CONSENT_STATES } from './data/recording-consent-states';

export const RECORDING_ACTIONS = ['record_with_disclosure', 'record', 'do_not_record'] as const;
/** Play the disclosure to the borrower, then bridge and record; record without it; or do not record. */
export type RecordingAction = (typeof RECORDING_ACTIONS)[number];

export interface RecordingPolicy {
  /** States whose law needs every party's consent, and borrowers whose state is unknown. */
  allParty: Extract<RecordingAction, 'record_with_disclosure' | 'do_not_record'>;
  oneParty: RecordingAction;
  /** Per-state choices, over the two above. */
  states: Readonly<Record<string, RecordingAction>>;
}

export type RecordingRuleBasis = 'state_choice' | 'all_party_state' | 'one_party_state' | 'unknown_state';

export interface RecordingDecision {
  action: RecordingAction;
  /** The state the rule was chosen for (null: unknown). */
  region: string | null;
  basis: RecordingRuleBasis;
}

/** True for a state whose law needs every party's consent to record a call. */
export function isAllPartyState(region: string): boolean {
  return region in ALL_PARTY_CONSENT_STATES;
}

/** The rule for a borrower: a per-state choice first, else all-party / one-party; unknown states count as all-party. */
export function recordingRuleFor(policy: RecordingPolicy, zones: Pick<BorrowerZones, 'region'>): RecordingDecision {
  const region = zones.region;
  if (region && policy.states[region]) return { action: policy.states[region], region, basis: 'state_choice' };
  if (!region) return { action: policy.allParty, region: null, basis: 'unknown_state' };
  if (isAllPartyState(region)) return { action: policy.allParty, region, basis: 'all_party_state' };
  return { action: policy.oneParty, region, basis: 'one_party_state' };
}

/**
 * Why a policy change is refused, or null: recording without the disclosure is not offered for a
 * state whose law needs every party's consent.
 */
export function recordingPolicyRefusal(policy: RecordingPolicy): { field: string; message: string } | null {
  for (const [state, action] of Object.entries(policy.states)) {
    if (action === 'record' && isAllPartyState(state)) {
      return { field: `states.${state}`, message: `${state} requires every party's consent to record (${ALL_PARTY_CONSENT_STATES[state]}): choose record_with_disclosure or do_not_record` };
    }
  }
  return null;
}
