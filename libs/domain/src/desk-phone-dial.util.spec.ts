import { DEFAULT_DIALLING_POLICY } from './dialling-policy.util';
import { isValidExtension, nextExtension, routeDeskPhoneDial, voicemailPlaylist } from './desk-phone-dial.util';

describe('routeDeskPhoneDial', () => {
  const open = { allowInternational: true, allowPremium: true, allowN11: true };
  it.each<[string, string, object, ReturnType<typeof routeDeskPhoneDial>]>([
    ['log in', '*11', DEFAULT_DIALLING_POLICY, { kind: 'star', code: 'log_in' }],
    ['log out', '*10', DEFAULT_DIALLING_POLICY, { kind: 'star', code: 'log_out' }],
    ['calls on', '*21', DEFAULT_DIALLING_POLICY, { kind: 'star', code: 'calls_on' }],
    ['calls off', '*20', DEFAULT_DIALLING_POLICY, { kind: 'star', code: 'calls_off' }],
    ['the voicemail access number', '*97', DEFAULT_DIALLING_POLICY, { kind: 'voicemail' }],
    ['an unknown star code', '*99', DEFAULT_DIALLING_POLICY, { kind: 'unknown_star', dialled: '*99' }],
    ['a 4-digit extension', '1002', DEFAULT_DIALLING_POLICY, { kind: 'extension', extension: '1002' }],
    ['a 3-digit extension', '205', DEFAULT_DIALLING_POLICY, { kind: 'extension', extension: '205' }],
    ['a 10-digit number', '5125550142', DEFAULT_DIALLING_POLICY, { kind: 'outside', dial: '+15125550142', category: 'domestic', emergency: false }],
    ['1 + 10 digits', '15125550142', DEFAULT_DIALLING_POLICY, { kind: 'outside', dial: '+15125550142', category: 'domestic', emergency: false }],
    ['E.164', '+15125550142', DEFAULT_DIALLING_POLICY, { kind: 'outside', dial: '+15125550142', category: 'domestic', emergency: false }],
    ['toll-free', '8005550199', DEFAULT_DIALLING_POLICY, { kind: 'outside', dial: '+18005550199', category: 'toll_free', emergency: false }],
    ['911 always, whatever the policy', '911', DEFAULT_DIALLING_POLICY, { kind: 'outside', dial: '911', category: 'emergency', emergency: true }],
    ['411 refused by default', '411', DEFAULT_DIALLING_POLICY, { kind: 'refused', category: 'n11', reason: expect.stringContaining('N11') }],
    ['411 when N11 is allowed', '411', open, { kind: 'outside', dial: '411', category: 'n11', emergency: false }],
    ['premium refused', '19005550123', DEFAULT_DIALLING_POLICY, { kind: 'refused', category: 'premium', reason: expect.stringContaining('premium') }],
    ['international refused', '011442079460000', DEFAULT_DIALLING_POLICY, { kind: 'refused', category: 'international', reason: expect.stringContaining('outside the US') }],
    ['international allowed', '+442079460000', open, { kind: 'outside', dial: '+442079460000', category: 'international', emergency: false }],
    ['a 7-digit local number is not dialable (no area code)', '5550142', DEFAULT_DIALLING_POLICY, { kind: 'refused', category: 'invalid', reason: expect.stringContaining('not a phone number') }],
    ['garbage', 'abc', DEFAULT_DIALLING_POLICY, { kind: 'refused', category: 'invalid', reason: expect.any(String) }],
  ])('%s: %s', (_name, dialled, policy, expected) => {
    expect(routeDeskPhoneDial(dialled, policy as typeof DEFAULT_DIALLING_POLICY)).toEqual(expected);
  });
});

describe('isValidExtension', () => {
  it.each([
    ['1001', true],
    ['205', true],
    ['999999', true],
    ['911', false],
    ['411', false],
    ['211', false],
    ['0101', false],
    ['12', false],
    ['1234567', false],
    ['12a4', false],
    ['111', true],
  ])('%s → %s', (value, ok) => expect(isValidExtension(value)).toBe(ok));
});

describe('nextExtension', () => {
  it.each<[string[], string]>([
    [[], '1001'],
    [['1001', '1002'], '1003'],
    [['1001', '1007', '205'], '1008'],
    [['205', '31337'], '1001'],
    [['9999'], '10000'],
    [['9999', '10000', '10001'], '10002'],
  ])('%j → %s', (taken, next) => expect(nextExtension(taken)).toBe(next));
});

describe('voicemailPlaylist', () => {
  it.each([
    ['none', [], ['sound:vm-youhave', 'sound:vm-no', 'sound:vm-messages', 'sound:vm-goodbye']],
    ['one', ['voicemail-a'], ['sound:vm-youhave', 'number:1', 'sound:vm-message', 'sound:beep', 'recording:voicemail-a', 'sound:vm-nomore', 'sound:vm-goodbye']],
    ['two, in the order given', ['voicemail-b', 'voicemail-a'], ['sound:vm-youhave', 'number:2', 'sound:vm-messages', 'sound:beep', 'recording:voicemail-b', 'sound:beep', 'recording:voicemail-a', 'sound:vm-nomore', 'sound:vm-goodbye']],
  ])('%s', (_name, recordings, media) => expect(voicemailPlaylist(recordings)).toEqual(media));
});
