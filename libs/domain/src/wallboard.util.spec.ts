import { OpenLeg, wallboardState } from './wallboard.util';

const since = 1_000;
const leg = (over: Partial<OpenLeg>): OpenLeg => ({ purpose: 'ring_all_agent', startedAt: 5_000, answeredAt: null, ...over });

describe('wallboardState', () => {
  it.each<[string, Parameters<typeof wallboardState>[0]['reason'], OpenLeg[], string, number]>([
    ['logged out', 'logged_out', [], 'logged_out', since],
    ['calls off', 'calls_off', [], 'calls_off', since],
    ['available', 'available', [], 'available', since],
    ['an inbound call ringing', 'inbound_ringing', [], 'ringing', since],
    ['reserved for a round, the phone ringing', 'on_call', [leg({})], 'ringing', 5_000],
    ['two rounds ringing: since the first', 'on_call', [leg({ startedAt: 7_000 }), leg({ purpose: 'inbound_agent', startedAt: 6_000 })], 'ringing', 6_000],
    ['answered the round', 'on_call', [leg({ answeredAt: 6_000 })], 'on_call', since],
    ['talking to the borrower', 'on_call', [leg({ answeredAt: 6_000 }), leg({ purpose: 'borrower', startedAt: 8_000 })], 'on_call', since],
    ['reserved before any leg exists', 'on_call', [], 'on_call', since],
    ['a dial-mode call ringing the operator', 'on_call', [leg({ purpose: 'dial_mode_operator' })], 'ringing', 5_000],
  ])('%s', (_name, reason, legs, state, at) => expect(wallboardState({ reason, since }, legs)).toEqual({ state, since: at }));
});
