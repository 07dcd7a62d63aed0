import { decideStasisClaim, endpointOfChannel, StasisClaimInput } from './stasis-claim.util';

const deskPhone = (e: string) => /^agent\d{6}$/.test(e);
const input = (over: Partial<StasisClaimInput>): StasisClaimInput => ({ owned: false, args: [], channelName: 'PJSIP/agent123456-0000002a', trunkEndpoint: 'trunk', isDeskPhoneEndpoint: deskPhone, ...over });

describe('endpointOfChannel', () => {
  it.each([
    ['PJSIP/agent123456-0000002a', 'agent123456'],
    ['PJSIP/trunk-00000001', 'trunk'],
    ['PJSIP/my-phone-0000ffff', 'my-phone'],
    ['Snoop/1f2e-00000003', null],
    ['PJSIP/agent123456', null],
    ['Local/101@from-phones-00000001;1', null],
  ])('%s → %s', (name, endpoint) => expect(endpointOfChannel(name)).toBe(endpoint));
});

describe('decideStasisClaim', () => {
  // Every row names a reason ('' = none): a shorter row would hand Jest's `done` callback to the test.
  it.each<[string, Partial<StasisClaimInput>, ReturnType<typeof decideStasisClaim>['kind'], string]>([
    ['a channel a call claimed before originating it stays with that call, whatever its args', { owned: true, args: ['ringall', 'x'] }, 'owned', ''],
    ['an owned channel with no args (a snoop) stays owned', { owned: true, args: [], channelName: 'Snoop/abc-00000001' }, 'owned', ''],
    ['inbound from the trunk is an inbound entry', { args: ['inbound', '+18005550100'], channelName: 'PJSIP/trunk-00000001' }, 'entry', ''],
    ['inbound from a desk phone is refused', { args: ['inbound', '+18005550100'] }, 'refuse', 'must come from the trunk'],
    ['a desk-phone call from a provisioned phone is a phone entry', { args: ['phone', '5125550142'] }, 'entry', ''],
    ['a desk-phone call from the trunk is refused', { args: ['phone', '911'], channelName: 'PJSIP/trunk-00000001' }, 'refuse', 'must come from a Leadline desk phone'],
    ['a desk-phone call from a hand-made endpoint is refused', { args: ['phone', '911'], channelName: 'PJSIP/lobby-00000001' }, 'refuse', 'must come from a Leadline desk phone'],
    ['a leftover originated channel nobody owns is refused', { args: ['ringall', '5d1c'] }, 'refuse', 'no live call owns it'],
    ['no args at all is refused', { args: [] }, 'refuse', 'no Stasis arguments'],
    ['an empty first arg is refused', { args: [''] }, 'refuse', 'no Stasis arguments'],
  ])('%s', (_name, over, kind, reason) => {
    const claim = decideStasisClaim(input(over));
    expect(claim.kind).toBe(kind);
    if (reason) expect(claim).toMatchObject({ reason: expect.stringContaining(reason) });
  });

  it('an entry carries the dialled digits and the endpoint', () => {
    expect(decideStasisClaim(input({ args: ['phone', '*21'] }))).toEqual({ kind: 'entry', entry: 'phone', dialled: '*21', endpoint: 'agent123456' });
    expect(decideStasisClaim(input({ args: ['inbound'], channelName: 'PJSIP/trunk-00000009' }))).toEqual({ kind: 'entry', entry: 'inbound', dialled: '', endpoint: 'trunk' });
  });

  it("an inbound entry carries the caller's presentation when the dialplan passes it, and none from an older dialplan", () => {
    const trunk = 'PJSIP/trunk-0000000a';
    expect(decideStasisClaim(input({ args: ['inbound', '+18005550100', 'prohib'], channelName: trunk }))).toEqual({ kind: 'entry', entry: 'inbound', dialled: '+18005550100', endpoint: 'trunk', presentation: 'prohib' });
    expect(decideStasisClaim(input({ args: ['inbound', '+18005550100'], channelName: trunk }))).not.toHaveProperty('presentation');
    expect(decideStasisClaim(input({ args: ['inbound', '+18005550100', ''], channelName: trunk }))).not.toHaveProperty('presentation');
  });
});
