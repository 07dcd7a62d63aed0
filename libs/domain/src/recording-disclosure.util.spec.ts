import { ALL_PARTY_CONSENT_STATES } from './data/recording-consent-states';
import { US_STATES } from './lead.types';
import { chooseRecordingRule, DEFAULT_RECORDING_POLICY, RecordingPolicy } from './recording-disclosure.util';

// Written by hand from the sources of data/recording-consent-states.ts: the states where every
// party must consent to recording a telephone call (MI, a contested reading, kept; OR, all-party
// for in-person conversations only, left out).
const ALL_PARTY = ['CA', 'CT', 'DE', 'FL', 'IL', 'MD', 'MA', 'MI', 'MT', 'NV', 'NH', 'PA', 'WA'];

const policy = (allPartyStates: RecordingPolicy['allPartyStates'], onePartyStates: RecordingPolicy['onePartyStates']): RecordingPolicy => ({ allPartyStates, onePartyStates });

describe('chooseRecordingRule', () => {
  it('the table lists exactly the all-party states', () => {
    expect(Object.keys(ALL_PARTY_CONSENT_STATES).sort()).toEqual([...ALL_PARTY].sort());
  });

  it.each(US_STATES.map((s) => [s]))('%s: the column of its consent rule decides', (state) => {
    const allParty = ALL_PARTY.includes(state);
    const strict = policy('do_not_record', 'record_without_disclosure');
    expect(chooseRecordingRule({ propertyState: state, policy: strict })).toEqual({
      rule: allParty ? 'not_recorded' : 'undisclosed',
      state,
      stateFrom: 'property_state',
      allPartyConsent: allParty,
    });
    // The default: the disclosure, then the recording, everywhere.
    expect(chooseRecordingRule({ propertyState: state, policy: DEFAULT_RECORDING_POLICY }).rule).toBe('disclosed');
  });

  it.each([
    // propertyState, phone, policy, rule, state, from
    ['CA', '+15125550100', policy('disclose_then_record', 'record_without_disclosure'), 'disclosed', 'CA', 'property_state'],
    ['TX', '+13105550100', policy('disclose_then_record', 'record_without_disclosure'), 'undisclosed', 'TX', 'property_state'],
    ['tx', null, policy('do_not_record', 'do_not_record'), 'not_recorded', 'TX', 'property_state'],
    [null, '+13105550100', policy('disclose_then_record', 'record_without_disclosure'), 'disclosed', 'CA', 'area_code'],
    [null, '+13105550100', policy('do_not_record', 'disclose_then_record'), 'not_recorded', 'CA', 'area_code'],
    [null, '+15125550100', policy('disclose_then_record', 'record_without_disclosure'), 'undisclosed', 'TX', 'area_code'],
    [null, '+15125550100', policy('do_not_record', 'disclose_then_record'), 'disclosed', 'TX', 'area_code'],
    [null, '+15035550100', policy('do_not_record', 'record_without_disclosure'), 'undisclosed', 'OR', 'area_code'],
    [null, '+12065550100', policy('do_not_record', 'record_without_disclosure'), 'not_recorded', 'WA', 'area_code'],
    // An unknown property state falls back to the area code.
    ['ZZ', '+15125550100', policy('do_not_record', 'record_without_disclosure'), 'undisclosed', 'TX', 'area_code'],
    // No state known (blocked caller ID, abroad, a toll-free number), or Canada: the all-party column.
    [null, null, policy('disclose_then_record', 'record_without_disclosure'), 'disclosed', null, 'unknown'],
    [null, '+442079460000', policy('do_not_record', 'record_without_disclosure'), 'not_recorded', null, 'unknown'],
    [null, '+18005550100', policy('disclose_then_record', 'record_without_disclosure'), 'disclosed', null, 'unknown'],
    [null, '+14165550100', policy('disclose_then_record', 'record_without_disclosure'), 'disclosed', 'ON', 'area_code'],
  ] as const)('property state %s, phone %s, %o → %s (%s from %s)', (propertyState, borrowerPhone, p, rule, state, stateFrom) => {
    expect(chooseRecordingRule({ propertyState, borrowerPhone, policy: p })).toMatchObject({ rule, state, stateFrom });
  });
});
