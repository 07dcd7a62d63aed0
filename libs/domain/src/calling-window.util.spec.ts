import { borrowerTimeZones, DEFAULT_CALLING_WINDOW, formatClock, isCallableAt, nextCallableAt, parseClock } from './calling-window.util';

const utc = (iso: string) => new Date(iso);

describe('borrower time zones', () => {
  it.each<[string, { propertyState?: string | null; phone?: string | null }, unknown]>([
    ['property state first', { propertyState: 'CA', phone: '+12125550100' }, { zones: ['America/Los_Angeles'], basis: 'property_state', region: 'CA' }],
    ['area code when no state', { phone: '+12125550100' }, { zones: ['America/New_York'], basis: 'area_code', region: 'NY' }],
    ['a state spanning two zones keeps both', { propertyState: 'FL' }, { zones: ['America/New_York', 'America/Chicago'], basis: 'property_state', region: 'FL' }],
    ['a Canadian area code', { phone: '+14165550100' }, { zones: ['America/Toronto', 'America/Winnipeg'], basis: 'area_code', region: 'ON' }],
    ['unknown: the continental US', { phone: '+18005550100' }, { zones: ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles'], basis: 'unknown', region: null }],
  ])('%s', (_name, input, expected) => {
    expect(borrowerTimeZones(input)).toEqual(expected);
  });
});

describe('calling window (08:00–21:00 by default)', () => {
  const ny = ['America/New_York'];
  const la = ['America/Los_Angeles'];
  it.each<[string, readonly string[], string, boolean, string | null]>([
    // 2026-11-22 is standard time: New York UTC-5, Los Angeles UTC-8.
    ['New York 10:00', ny, '2026-11-22T15:00:00Z', true, '2026-11-22T15:00:00.000Z'],
    ['New York 07:59:30 waits until 08:00', ny, '2026-11-22T12:59:30Z', false, '2026-11-22T13:00:00.000Z'],
    ['New York 08:00 sharp is allowed', ny, '2026-11-22T13:00:00Z', true, '2026-11-22T13:00:00.000Z'],
    ['New York 21:00 is closed: next morning', ny, '2026-11-23T02:00:00Z', false, '2026-11-23T13:00:00.000Z'],
    ['Los Angeles 06:00 while New York is open', la, '2026-11-22T14:00:00Z', false, '2026-11-22T16:00:00.000Z'],
    ['both coasts: the later opening', [...ny, ...la], '2026-11-22T14:00:00Z', false, '2026-11-22T16:00:00.000Z'],
    ['both coasts: the earlier closing', [...ny, ...la], '2026-11-23T02:30:00Z', false, '2026-11-23T16:00:00.000Z'],
    // Summer time: New York UTC-4.
    ['daylight saving time', ny, '2026-07-01T11:30:00Z', false, '2026-07-01T12:00:00.000Z'],
  ])('%s', (_name, zones, now, callable, next) => {
    expect(isCallableAt(zones, DEFAULT_CALLING_WINDOW, utc(now))).toBe(callable);
    expect(nextCallableAt(zones, DEFAULT_CALLING_WINDOW, utc(now))?.toISOString() ?? null).toBe(next);
  });

  it('a custom window, and windows that never overlap', () => {
    const window = { startMinute: 9 * 60, endMinute: 10 * 60 };
    expect(nextCallableAt(['America/Chicago'], window, utc('2026-11-22T16:30:00Z'))?.toISOString()).toBe('2026-11-23T15:00:00.000Z');
    expect(nextCallableAt(['America/New_York', 'America/Los_Angeles'], window, utc('2026-11-22T16:30:00Z'))).toBeNull();
  });

  it.each([
    ['08:00', 480],
    ['21:30', 1290],
    ['24:00', 1440],
    ['8:00', null],
    ['25:00', null],
    ['12:60', null],
  ])('parses %s', (text, minutes) => {
    expect(parseClock(text)).toBe(minutes);
    if (minutes !== null) expect(formatClock(minutes)).toBe(text);
  });
});
