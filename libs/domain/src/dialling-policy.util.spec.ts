import { checkDialling, classifyDialled, DEFAULT_DIALLING_POLICY, DiallingPolicy } from './dialling-policy.util';

describe('classifyDialled', () => {
  it.each([
    ['911', 'emergency', '911'],
    ['1-911', 'emergency', '911'],
    ['411', 'n11', '411'],
    ['211', 'n11', '211'],
    ['(512) 555-0147', 'domestic', '+15125550147'],
    ['5125550147', 'domestic', '+15125550147'],
    ['1 512 555 0147', 'domestic', '+15125550147'],
    ['+1 416 555 0123', 'domestic', '+14165550123'], // Toronto: Canada counts as domestic
    ['8005550199', 'toll_free', '+18005550199'],
    ['+1 888 555 0100', 'toll_free', '+18885550100'],
    ['1-900-555-0123', 'premium', '+19005550123'],
    ['512-976-1234', 'premium', '+15129761234'],
    ['+44 20 7946 0958', 'international', '+442079460958'],
    ['011 44 20 7946 0958', 'international', '+442079460958'],
    ['+1 876 555 0123', 'international', '+18765550123'], // Jamaica: NANP but abroad (one-ring scams)
    ['+1 809 555 0123', 'international', '+18095550123'], // Dominican Republic
    ['12', 'invalid', null],
    ['abc', 'invalid', null],
    ['555-0147', 'invalid', null],
    ['', 'invalid', null],
  ])('%j → %s', (raw, category, dial) => {
    expect(classifyDialled(raw)).toEqual({ category, dial });
  });
});

describe('checkDialling', () => {
  const all: DiallingPolicy = { allowInternational: true, allowPremium: true, allowN11: true };

  it.each([
    ['5125550147', true],
    ['8005550199', true],
    ['911', true],
    ['411', false],
    ['19005550123', false],
    ['+442079460958', false],
    ['+18765550123', false],
    ['not a number', false],
  ])('default policy: %s allowed = %s', (raw, allowed) => {
    expect(checkDialling(raw, DEFAULT_DIALLING_POLICY).allowed).toBe(allowed);
  });

  it.each([
    ['411', { allowN11: true }],
    ['19005550123', { allowPremium: true }],
    ['+442079460958', { allowInternational: true }],
  ])('%s is allowed once the org turns on %j, and only that', (raw, on) => {
    expect(checkDialling(raw, { ...DEFAULT_DIALLING_POLICY, ...on }).allowed).toBe(true);
    const others = { ...all, ...Object.fromEntries(Object.keys(on).map((k) => [k, false])) };
    expect(checkDialling(raw, others).allowed).toBe(false);
  });

  it('says why a number is refused', () => {
    const verdict = checkDialling('+44 20 7946 0958', DEFAULT_DIALLING_POLICY);
    expect(verdict).toEqual({ allowed: false, category: 'international', reason: expect.stringContaining('+442079460958') });
  });

  it('never refuses 911, whatever the policy', () => {
    expect(checkDialling('911', DEFAULT_DIALLING_POLICY)).toEqual({ allowed: true, category: 'emergency', dial: '911' });
  });

  it('still refuses what is not a number when everything is allowed', () => {
    expect(checkDialling('12', all).allowed).toBe(false);
  });
});
