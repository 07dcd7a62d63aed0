import { EligibilityAgent, eligibleAgents, ineligibility } from './eligibility.util';

const anAgent = (over: Partial<EligibilityAgent> = {}): EligibilityAgent => ({
  id: 'a',
  loggedIn: true,
  callsOn: true,
  onCall: false,
  stateLicences: ['TX'],
  filters: { loanPurposes: [], leadProviders: [] },
  lastCallEndedAt: null,
  reachable: true,
  ...over,
});
const anyGroup = { states: [], loanPurposes: [] };
const lead = { propertyState: 'TX', loanPurpose: 'purchase', loanAmount: 300_000, leadProvider: 'Zillow' };

describe('ineligibility', () => {
  it.each([
    ['eligible', {}, anyGroup, lead, null],
    ['logged out', { loggedIn: false }, anyGroup, lead, 'unavailable'],
    ['calls off', { callsOn: false }, anyGroup, lead, 'unavailable'],
    ['on a call', { onCall: true }, anyGroup, lead, 'unavailable'],
    ['no phone', { reachable: false }, anyGroup, lead, 'unreachable'],
    ['no licence for the state', { stateLicences: ['CA'] }, anyGroup, lead, 'no_licence'],
    ['no state on the lead: licence not needed', { stateLicences: [] }, anyGroup, { ...lead, propertyState: null }, null],
    ['group states exclude', {}, { states: ['CA'], loanPurposes: [] }, lead, 'group_filter'],
    ['group state filter with a stateless lead', {}, { states: ['TX'], loanPurposes: [] }, { ...lead, propertyState: null }, 'group_filter'],
    ['group purpose excludes', {}, { loanPurposes: ['refinance'] }, lead, 'group_filter'],
    ['group amount range excludes', {}, { loanPurposes: [], loanAmountMin: 400_000 }, lead, 'group_filter'],
    ['group amount range includes', {}, { loanPurposes: [], loanAmountMin: 100_000, loanAmountMax: 300_000 }, lead, null],
    ['amount range with no amount on the lead', {}, { loanPurposes: [], loanAmountMax: 500_000 }, { ...lead, loanAmount: null }, 'group_filter'],
    ['agent purpose filter excludes', { filters: { loanPurposes: ['heloc'] } }, anyGroup, lead, 'agent_filter'],
    ['agent provider filter excludes', { filters: { loanPurposes: [], leadProviders: ['LendingTree'] } }, anyGroup, lead, 'agent_filter'],
    ['agent provider filter includes', { filters: { loanPurposes: [], leadProviders: ['Zillow'] } }, anyGroup, lead, null],
  ] as const)('%s', (_name, over, group, l, expected) => {
    expect(ineligibility(anAgent(over as Partial<EligibilityAgent>), group, l)).toBe(expected);
  });
});

describe('eligibleAgents', () => {
  it('orders longest idle first, never-called first, ties by id, and caps the count', () => {
    const agents = [
      anAgent({ id: 'c', lastCallEndedAt: new Date('2026-01-01T10:00:00Z') }),
      anAgent({ id: 'b', lastCallEndedAt: null }),
      anAgent({ id: 'a', lastCallEndedAt: null }),
      anAgent({ id: 'd', lastCallEndedAt: new Date('2026-01-01T09:00:00Z') }),
      anAgent({ id: 'e', onCall: true }),
    ];
    expect(eligibleAgents(agents, anyGroup, lead, 10).map((a) => a.id)).toEqual(['a', 'b', 'd', 'c']);
    expect(eligibleAgents(agents, anyGroup, lead, 2).map((a) => a.id)).toEqual(['a', 'b']);
  });
});
