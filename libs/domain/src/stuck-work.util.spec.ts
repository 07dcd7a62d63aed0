import { isStuckLead, leftoverReservations, UnsettledLead } from './stuck-work.util';

const now = new Date('2026-12-03T12:00:00Z');
const ago = (s: number) => new Date(now.getTime() - s * 1000);
const lead = (over: Partial<UnsettledLead>): UnsettledLead => ({ status: 'distributing', createdAt: ago(600), distributionStartedAt: ago(600), ringTimeoutSeconds: 30, offerOpen: false, ...over });

describe('isStuckLead', () => {
  it.each<[string, UnsettledLead, boolean]>([
    ['new, accepted just now', lead({ status: 'new', createdAt: ago(5), distributionStartedAt: null }), false],
    ['new, accepted two sweeps ago and never started', lead({ status: 'new', createdAt: ago(121), distributionStartedAt: null }), true],
    ['distributing within its ring time and the grace', lead({ distributionStartedAt: ago(149) }), false],
    ['distributing past its ring time and the grace', lead({ distributionStartedAt: ago(151) }), true],
    ['a long ring time is waited for', lead({ distributionStartedAt: ago(200), ringTimeoutSeconds: 120 }), false],
    ['an open Distribute All offer is never stuck', lead({ offerOpen: true }), false],
    ['distributing without a start time counts from its acceptance', lead({ distributionStartedAt: null, createdAt: ago(10) }), false],
  ])('%s', (_name, l, stuck) => {
    expect(isStuckLead(l, now, 120_000)).toBe(stuck);
  });

  it.each<[string, UnsettledLead, number, boolean]>([
    ['new, short sweeps: waits for three pickups', lead({ status: 'new', createdAt: ago(14), distributionStartedAt: null }), 2_000, false],
    ['new, short sweeps, three pickups missed it', lead({ status: 'new', createdAt: ago(16), distributionStartedAt: null }), 2_000, true],
    ['new, long sweeps: the sweeps are the longer wait', lead({ status: 'new', createdAt: ago(60), distributionStartedAt: null }), 120_000, false],
    ['distributing: the pickup does not matter', lead({ distributionStartedAt: ago(40) }), 2_000, true],
  ])('with a 5 s pickup: %s', (_name, l, graceMs, stuck) => {
    expect(isStuckLead(l, now, graceMs, 5_000)).toBe(stuck);
  });
});

describe('leftoverReservations', () => {
  const r = (agentId: string, s: number) => ({ agentId, since: ago(s) });
  it.each<[string, ReturnType<typeof r>[], ReturnType<typeof r>[], string[]]>([
    ['first sighting: nobody freed yet', [], [r('a', 90)], []],
    ['seen twice under the same reservation: freed', [r('a', 90)], [r('a', 90)], ['a']],
    ['freed and reserved again meanwhile: a new reservation, kept', [r('a', 90)], [r('a', 10)], []],
    ['gone since (its call ended): nothing to do', [r('a', 90)], [], []],
    ['only those seen both times', [r('a', 90), r('b', 80)], [r('b', 80), r('c', 70)], ['b']],
  ])('%s', (_name, previous, current, freed) => {
    expect(leftoverReservations(previous, current).map((x) => x.agentId)).toEqual(freed);
  });
});
