import { isAnonymousCaller, locateCaller, routeInbound } from './inbound-routing.util';

describe('locateCaller', () => {
  it.each([
    ['+15125550142', { kind: 'us', state: 'TX' }],
    ['+19455550142', { kind: 'us', state: 'TX' }], // 945: a 2021 Dallas overlay
    ['+12125550142', { kind: 'us', state: 'NY' }],
    ['+13125550142', { kind: 'us', state: 'IL' }], // "Chicago, IL" in the source data
    ['+12065550142', { kind: 'us', state: 'WA' }], // "Washington State"
    ['+12025550142', { kind: 'us', state: 'DC' }],
    ['+17875550142', { kind: 'us', state: 'PR' }], // Puerto Rico, a US territory
    ['+14165550142', { kind: 'canada', province: 'ON' }],
    ['+16045550142', { kind: 'canada', province: 'BC' }],
    ['+18005550142', { kind: 'non_geographic' }],
    ['+18885550142', { kind: 'non_geographic' }],
    ['+12644972000', { kind: 'other_country', region: 'AI' }], // Anguilla shares +1
    ['+442079460958', { kind: 'other_country', region: 'GB' }],
    ['+10005550142', { kind: 'unknown' }],
  ])('%s → %o', (e164, expected) => expect(locateCaller(e164)).toEqual(expected));
});

describe('isAnonymousCaller', () => {
  it.each([
    ['anonymous', null, true],
    ['Anonymous', null, true],
    ['', null, true],
    [null, null, true],
    ['restricted', null, true],
    ['+15125550142', 'prohib_passed_screen', true],
    ['+15125550142', 'allowed_not_screened', false],
    ['5125550142', null, false],
  ])('%j (%s) → %s', (n, pres, expected) => expect(isAnonymousCaller(n, pres)).toBe(expected));
});

describe('routeInbound (PRODUCT.md §5, the four cases)', () => {
  it.each([
    ['no lead data → state from the caller area code', { callerE164: '+15125550142', lead: null }, { licensing: 'state', state: 'TX', basis: 'caller_area_code' }],
    ['lead with property state → that state', { callerE164: '+15125550142', lead: { propertyState: 'CA' } }, { licensing: 'state', state: 'CA', basis: 'lead_property_state' }],
    ['lead without property state → caller area code', { callerE164: '+12125550142', lead: { propertyState: null } }, { licensing: 'state', state: 'NY', basis: 'caller_area_code' }],
    ['blocked caller ID → everyone, no licensing', { callerE164: null, lead: null }, { licensing: 'none', basis: 'anonymous_caller' }],
    ['Canadian caller → everyone', { callerE164: '+14165550142', lead: null }, { licensing: 'none', basis: 'no_state_for_caller', location: 'canada' }],
    ['toll-free caller → everyone', { callerE164: '+18005550142', lead: null }, { licensing: 'none', basis: 'no_state_for_caller', location: 'non_geographic' }],
  ] as const)('%s', (_name, input, expected) => expect(routeInbound(input)).toEqual(expected));
});
