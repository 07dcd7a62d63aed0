import { chooseEmergencyCallerId, chooseBorrowerCallerId } from './caller-id.util';

const local = [
  { number: '+15125550001', areaCodes: ['512', '737'], usedToday: 5 },
  { number: '+15125550002', areaCodes: ['512'], usedToday: 2 },
  { number: '+12125550003', areaCodes: ['212'], usedToday: 0 },
];

describe('chooseBorrowerCallerId', () => {
  it.each([
    ['local presence, least used today', { borrowerPhone: '+15125551234', localPresence: local, agentCallerId: '+13105550000', orgNumber: '+18005550000' }, { number: '+15125550002', reason: 'local_presence' }],
    ['local presence via a second area code', { borrowerPhone: '+17375551234', localPresence: local, agentCallerId: null, orgNumber: null }, { number: '+15125550001', reason: 'local_presence' }],
    ['agent caller ID when no local number', { borrowerPhone: '+13055551234', localPresence: local, agentCallerId: '+13105550000', orgNumber: '+18005550000' }, { number: '+13105550000', reason: 'agent_caller_id' }],
    ['org number last', { borrowerPhone: '+13055551234', localPresence: [], agentCallerId: null, orgNumber: '+18005550000' }, { number: '+18005550000', reason: 'org_number' }],
    ['nothing configured', { borrowerPhone: '+13055551234', localPresence: [], agentCallerId: null, orgNumber: null }, { number: null, reason: 'none' }],
    ['non-NANP borrower skips local presence', { borrowerPhone: '+442079460958', localPresence: local, agentCallerId: '+13105550000' }, { number: '+13105550000', reason: 'agent_caller_id' }],
  ])('%s', (_name, input, expected) => expect(chooseBorrowerCallerId(input)).toEqual(expected));
});

describe('chooseEmergencyCallerId', () => {
  it.each([
    [{ emergencyCallerId: '+15125550100', orgNumber: '+18005550100' }, { number: '+15125550100', reason: 'emergency_caller_id' }],
    [{ emergencyCallerId: null, orgNumber: '+18005550100' }, { number: '+18005550100', reason: 'org_number' }],
    [{ emergencyCallerId: null, orgNumber: null }, { number: null, reason: 'none' }],
  ])('%j → %j', (input, expected) => expect(chooseEmergencyCallerId(input)).toEqual(expected));
});
