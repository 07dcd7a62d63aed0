import { borrowerTimeZones } from './calling-window.util';
import { ALL_PARTY_CONSENT_STATES } from './data/recording-consent-states';
import { US_STATES } from './lead.types';
import { isAllPartyState, RecordingPolicy, recordingPolicyRefusal, recordingRuleFor } from './recording-rule.util';

const DEFAULT: RecordingPolicy = { allParty: 'record_with_disclosure', oneParty: 'record', states: {} };
// Written out by hand from the statutes of data/recording-consent-states.ts.
const ALL_PARTY = ['CA', 'CT', 'DE', 'FL', 'IL', 'MA', 'MD', 'MI', 'MT', 'NH', 'NV', 'OR', 'PA', 'WA'];

describe('recording rule by the borrower state', () => {
  it('lists exactly the all-party states, each with its statute', () => {
    expect(Object.keys(ALL_PARTY_CONSENT_STATES).sort()).toEqual(ALL_PARTY);
  });

  it.each(US_STATES.map((s) => [s]))('%s', (state) => {
    const decision = recordingRuleFor(DEFAULT, borrowerTimeZones({ propertyState: state }));
    const allParty = ALL_PARTY.includes(state);
    expect(isAllPartyState(state)).toBe(allParty);
    expect(decision).toEqual({ action: allParty ? 'record_with_disclosure' : 'record', region: state, basis: allParty ? 'all_party_state' : 'one_party_state' });
  });

  it.each<[string, RecordingPolicy, { propertyState?: string; phone?: string }, unknown]>([
    ['the area code when there is no property state (415: California)', DEFAULT, { phone: '+14155550100' }, { action: 'record_with_disclosure', region: 'CA', basis: 'all_party_state' }],
    ['an unknown state counts as all-party', DEFAULT, { phone: '+18005550100' }, { action: 'record_with_disclosure', region: null, basis: 'unknown_state' }],
    ['the org chooses the disclosure everywhere', { ...DEFAULT, oneParty: 'record_with_disclosure' }, { propertyState: 'TX' }, { action: 'record_with_disclosure', region: 'TX', basis: 'one_party_state' }],
    ['the org records nothing in all-party states', { ...DEFAULT, allParty: 'do_not_record' }, { propertyState: 'WA' }, { action: 'do_not_record', region: 'WA', basis: 'all_party_state' }],
    ['a per-state choice wins', { ...DEFAULT, states: { TX: 'do_not_record', CA: 'do_not_record' } }, { propertyState: 'CA' }, { action: 'do_not_record', region: 'CA', basis: 'state_choice' }],
  ])('%s', (_name, policy, lead, expected) => {
    expect(recordingRuleFor(policy, borrowerTimeZones(lead))).toEqual(expected);
  });

  it('refuses "record without disclosure" for an all-party state, allows it for a one-party one', () => {
    expect(recordingPolicyRefusal({ ...DEFAULT, states: { CA: 'record' } })).toMatchObject({ field: 'states.CA' });
    expect(recordingPolicyRefusal({ ...DEFAULT, states: { TX: 'record', CA: 'do_not_record' } })).toBeNull();
  });
});
