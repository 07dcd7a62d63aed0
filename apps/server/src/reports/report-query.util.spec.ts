import { addDays } from '@leadline/domain';
import { MAX_PERIOD_DAYS, reportFilter, reportPeriod } from './report-query.util';

// The longest period allowed ends today and starts MAX_PERIOD_DAYS − 1 days before.
const EARLIEST = addDays('2025-03-15', -(MAX_PERIOD_DAYS - 1));

describe('reportPeriod', () => {
  it.each<[string, { from?: string; to?: string }, { from: string; to: string }]>([
    ['the last 30 days by default, today included', {}, { from: '2025-02-14', to: '2025-03-15' }],
    ['from alone runs to today', { from: '2025-03-01' }, { from: '2025-03-01', to: '2025-03-15' }],
    ['to alone takes the 30 days before it', { to: '2025-01-31' }, { from: '2025-01-02', to: '2025-01-31' }],
    ['one day', { from: '2025-03-09', to: '2025-03-09' }, { from: '2025-03-09', to: '2025-03-09' }],
    ['the longest period', { from: EARLIEST, to: '2025-03-15' }, { from: EARLIEST, to: '2025-03-15' }],
  ])('%s', (_name, q, expected) => expect(reportPeriod(q, '2025-03-15')).toEqual({ period: expected, errors: [] }));

  it.each<[string, { from?: string; to?: string }, string[]]>([
    ['a date-time is no day', { from: '2025-03-01T00:00:00Z' }, ['from']],
    ['no such day', { to: '2025-02-30' }, ['to']],
    ['from after to', { from: '2025-03-02', to: '2025-03-01' }, ['from']],
    ['one day more than the longest period', { from: addDays(EARLIEST, -1), to: '2025-03-15' }, ['from']],
  ])('refuses %s', (_name, q, fields) => expect(reportPeriod(q, '2025-03-15').errors.map((e) => e.field)).toEqual(fields));
});

describe('reportFilter', () => {
  it('keeps everything when nothing is asked', () => expect(reportFilter({}, null)).toEqual({}));

  it('turns lists into sets', () => {
    expect(reportFilter({ campaignId: ['c1'], leadProvider: ['Zillow'], agentId: ['a1', 'a2'] }, null)).toEqual({ campaignIds: new Set(['c1']), leadProviders: new Set(['Zillow']), agentIds: new Set(['a1', 'a2']) });
  });

  it.each<[string, string[] | undefined, string[], string[]]>([
    ['a group means its campaigns', undefined, ['c1', 'c2'], ['c1', 'c2']],
    ['a group and campaigns: those of the group', ['c2', 'c3'], ['c1', 'c2'], ['c2']],
    ['a group without campaigns keeps nothing', undefined, [], []],
  ])('%s', (_name, campaignId, groupCampaigns, expected) => expect(reportFilter({ campaignId }, groupCampaigns).campaignIds).toEqual(new Set(expected)));
});
