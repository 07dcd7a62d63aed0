import { toLeadFilter, toList, toOptionalBoolean, toOptionalNumber } from './lead-filter.util';

describe('toList', () => {
  it.each<[string, unknown, unknown]>([
    ['one value', 'TX', ['TX']],
    ['comma-separated', 'TX,CA', ['TX', 'CA']],
    ['repeated', ['TX', 'CA'], ['TX', 'CA']],
    ['repeated and comma-separated', ['TX,CA', 'FL'], ['TX', 'CA', 'FL']],
    ['trimmed, blanks dropped', ' TX , ,CA,', ['TX', 'CA']],
    ['duplicates kept (the length cap counts what was sent)', 'TX,TX,CA', ['TX', 'TX', 'CA']],
    ['empty', '', []],
    ['an object (nested query syntax) is left for validation to refuse', { $ne: 'x' }, { $ne: 'x' }],
    ['a list with a non-string is left as is', ['TX', 1], ['TX', 1]],
    ['undefined stays undefined', undefined, undefined],
  ])('%s', (_case, value, expected) => expect(toList(value)).toEqual(expected));

  it('keeps commas when told to (lead providers may contain them)', () => {
    expect(toList(['Acme, Inc.', 'Zillow'], { splitCommas: false })).toEqual(['Acme, Inc.', 'Zillow']);
  });
});

describe('toOptionalNumber', () => {
  it.each<[unknown, unknown]>([
    [undefined, undefined],
    ['', undefined],
    ['  ', undefined],
    ['250000', 250000],
    ['250000.50', 250000.5],
    [' 42 ', 42],
    ['-1', -1],
    ['1e9', 1e9],
    ['.5', 0.5],
    ['abc', Number.NaN],
    ['0x10', Number.NaN],
    ['Infinity', Number.NaN],
    ['1,000', Number.NaN],
    ["1; drop table prospect", Number.NaN],
    [['1', '2'], ['1', '2']],
  ])('%j → %j', (value, expected) => expect(toOptionalNumber(value)).toEqual(expected));
});

describe('toOptionalBoolean', () => {
  it.each<[unknown, unknown]>([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['false', false],
    ['0', false],
    ['', undefined],
    ['yes', 'yes'],
    [undefined, undefined],
    [['true', 'false'], ['true', 'false']],
  ])('%j → %j', (value, expected) => expect(toOptionalBoolean(value)).toEqual(expected));
});

describe('toLeadFilter', () => {
  it.each<[string, Parameters<typeof toLeadFilter>[0], ReturnType<typeof toLeadFilter>]>([
    [
      "dates without a zone in the org's time zone (UTC here)",
      { createdFrom: '2025-03-01T09:30', createdTo: '2025-03-01T17:00:00' },
      { filter: { createdFrom: new Date('2025-03-01T09:30:00Z'), createdTo: new Date('2025-03-01T17:00:00Z') }, errors: [] },
    ],
    ['nothing → no filter', {}, { filter: {}, errors: [] }],
    ['blank text and empty lists do not filter', { name: '  ', description: '', state: [], campaignId: [] }, { filter: {}, errors: [] }],
    ['text is trimmed', { name: ' Ada ', description: 'Spring' }, { filter: { name: 'Ada', description: 'Spring' }, errors: [] }],
    [
      'lists are renamed to plurals',
      { campaignId: ['c1'], distribution: ['ring_all'], leadProvider: ['Zillow'], loanPurpose: ['purchase'], state: ['TX'], failureReason: ['Fatal error'] },
      {
        filter: { campaignIds: ['c1'], distributions: ['ring_all'], leadProviders: ['Zillow'], loanPurposes: ['purchase'], states: ['TX'], failureReasons: ['Fatal error'] },
        errors: [],
      },
    ],
    ['an amount range', { loanAmountMin: 100, loanAmountMax: 200 }, { filter: { loanAmountMin: 100, loanAmountMax: 200 }, errors: [] }],
    ['an amount of one value', { loanAmountMin: 100, loanAmountMax: 100 }, { filter: { loanAmountMin: 100, loanAmountMax: 100 }, errors: [] }],
    [
      'min above max',
      { loanAmountMin: 300, loanAmountMax: 200 },
      { filter: { loanAmountMin: 300, loanAmountMax: 200 }, errors: [{ field: 'loanAmountMax', message: 'loanAmountMax must not be below loanAmountMin' }] },
    ],
    [
      'a date range; createdTo as a date covers the whole day',
      { createdFrom: '2025-03-01', createdTo: '2025-03-01' },
      { filter: { createdFrom: new Date('2025-03-01T00:00:00.000Z'), createdTo: new Date('2025-03-01T23:59:59.999Z') }, errors: [] },
    ],
    [
      'from after to',
      { createdFrom: '2025-03-02T00:00:00Z', createdTo: '2025-03-01T00:00:00Z' },
      {
        filter: { createdFrom: new Date('2025-03-02T00:00:00Z'), createdTo: new Date('2025-03-01T00:00:00Z') },
        errors: [{ field: 'createdTo', message: 'createdTo must not be before createdFrom' }],
      },
    ],
    [
      'an unreadable date',
      { createdFrom: 'yesterday' },
      { filter: {}, errors: [{ field: 'createdFrom', message: expect.stringContaining('ISO 8601') }] },
    ],
  ])('%s', (_case, params, expected) => expect(toLeadFilter(params, 'UTC')).toEqual(expected));

  it("reads zone-less dates in the org's time zone", () => {
    expect(toLeadFilter({ createdFrom: '2025-03-01', createdTo: '2025-03-01' }, 'America/Los_Angeles').filter).toEqual({
      createdFrom: new Date('2025-03-01T08:00:00Z'),
      createdTo: new Date('2025-03-02T07:59:59.999Z'),
    });
  });
});
