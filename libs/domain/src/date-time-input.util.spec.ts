import { parseDateTimeInput, zonedWallTimeToInstant } from './date-time-input.util';

const NY = 'America/New_York';
const parse = (value: string, timeZone = NY, endOfDay = false) => parseDateTimeInput(value, { timeZone, endOfDay })?.toISOString() ?? null;

describe('parseDateTimeInput: the one rule of every date filter', () => {
  it.each<[string, string, string | null]>([
    // A zone given names that instant, whatever the org's zone.
    ['2025-03-01T14:30:00Z', NY, '2025-03-01T14:30:00.000Z'],
    ['2025-03-01T14:30Z', 'Asia/Tokyo', '2025-03-01T14:30:00.000Z'],
    ['2025-03-01t14:30:00z', NY, '2025-03-01T14:30:00.000Z'],
    ['2025-03-01T14:30:00.123Z', NY, '2025-03-01T14:30:00.123Z'],
    ['2025-03-01T14:30:00+02:00', NY, '2025-03-01T12:30:00.000Z'],
    ['2025-03-01T14:30:00-0500', NY, '2025-03-01T19:30:00.000Z'],
    // No zone: the org's wall clock (EST in March before the change, EDT in July).
    ['2025-03-01T14:30', NY, '2025-03-01T19:30:00.000Z'],
    ['2025-03-01T14:30:00', NY, '2025-03-01T19:30:00.000Z'],
    ['2025-03-01T14:30:00.250', NY, '2025-03-01T19:30:00.250Z'],
    ['2025-07-01T14:30:00', NY, '2025-07-01T18:30:00.000Z'],
    ['2025-07-01T14:30:00', 'America/Los_Angeles', '2025-07-01T21:30:00.000Z'],
    ['2025-07-01T14:30:00', 'UTC', '2025-07-01T14:30:00.000Z'],
    ['2025-03-01', NY, '2025-03-01T05:00:00.000Z'],
    ['2025-03-01', 'Asia/Kolkata', '2025-02-28T18:30:00.000Z'],
    // Daylight saving: 02:30 on 9 March 2025 never happens in New York (read an hour later);
    // 01:30 on 2 November happens twice (the first).
    ['2025-03-09T02:30', NY, '2025-03-09T07:30:00.000Z'],
    ['2025-03-09T03:30', NY, '2025-03-09T07:30:00.000Z'],
    ['2025-11-02T01:30', NY, '2025-11-02T05:30:00.000Z'],
    ['2025-11-02T03:00', NY, '2025-11-02T08:00:00.000Z'],
    // Not a real moment, or not ISO 8601.
    ['2024-02-29', NY, '2024-02-29T05:00:00.000Z'],
    ['2025-02-29', NY, null],
    ['2025-02-30', NY, null],
    ['2025-13-01', NY, null],
    ['2025-03-01T25:00:00Z', NY, null],
    ['2025-03-01T14:60:00', NY, null],
    ['2025-03-01T14:30:00+25:00', NY, null],
    ['2025-03-01 14:30:00Z', NY, null],
    ['2025-W10', NY, null],
    ['not-a-date', NY, null],
    ['1700000000000', NY, null],
    ["2025-03-01' OR 1=1 --", NY, null],
    ['', NY, null],
    // An unknown org zone reads no zone-less value (a zoned one still reads).
    ['2025-03-01T14:30', 'Mars/Olympus', null],
    ['2025-03-01T14:30Z', 'Mars/Olympus', '2025-03-01T14:30:00.000Z'],
  ])('%j in %s → %j', (value, zone, expected) => expect(parse(value, zone)).toBe(expected));

  it('reads a date alone as its last millisecond with endOfDay, in the org zone', () => {
    expect(parse('2025-03-01', NY, true)).toBe('2025-03-02T04:59:59.999Z');
    expect(parse('2025-03-01', 'UTC', true)).toBe('2025-03-01T23:59:59.999Z');
    // A 23-hour day.
    expect(parse('2025-03-09', NY, true)).toBe('2025-03-10T03:59:59.999Z');
    // A time or a zone given is taken as it is.
    expect(parse('2025-03-01T10:00', NY, true)).toBe('2025-03-01T15:00:00.000Z');
    expect(parse('2025-03-01T10:00:00Z', NY, true)).toBe('2025-03-01T10:00:00.000Z');
  });

  it('refuses what is too long to be a date', () => expect(parse(`2025-03-01T14:30:00.${'1'.repeat(40)}Z`)).toBeNull());
});

describe('zonedWallTimeToInstant', () => {
  it.each([
    ['Europe/London', Date.UTC(2025, 0, 15, 12), '2025-01-15T12:00:00.000Z'],
    ['Europe/London', Date.UTC(2025, 6, 15, 12), '2025-07-15T11:00:00.000Z'],
    ['Australia/Lord_Howe', Date.UTC(2025, 0, 15, 12), '2025-01-15T01:00:00.000Z'], // +11:00 in summer
    ['Asia/Kathmandu', Date.UTC(2025, 0, 15, 12), '2025-01-15T06:15:00.000Z'],
  ])('%s', (zone, wall, expected) => expect(new Date(zonedWallTimeToInstant(wall, zone)).toISOString()).toBe(expected));
});
