import { borrowerTimeZones, BorrowerZones, CallingWindow, zonedTime } from './calling-window.util';
import { callingRuleFor, checkCallingRules, nextAllowedCall, ruleHoursOn } from './calling-rules.util';
import { REGION_TIME_ZONES } from './data/region-time-zones';
import { STATE_CALLING_RULE_ROWS } from './data/state-calling-rules';
import { federalHolidays } from './holidays.util';
import { US_STATES } from './lead.types';

const ALL_DAY: CallingWindow = { startMinute: 0, endMinute: 24 * 60 };
const CAMPAIGN_DEFAULT: CallingWindow = { startMinute: 8 * 60, endMinute: 21 * 60 };
const at = (iso: string) => new Date(iso);
const oneZone = (region: string): BorrowerZones => ({ zones: [REGION_TIME_ZONES[region][0]], basis: 'property_state', region });
const minute = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

// What each state's row must say, written out by hand from the sources of
// data/state-calling-rules.ts: "weekdays / Saturday / Sunday" hours ('-' = no calls), 'H' = no calls
// on legal holidays, 'cap3' = at most 3 calls in 24 hours. Federal: 08:00–21:00 every day.
const F = '08:00-21:00 / 08:00-21:00 / 08:00-21:00';
const EXPECTED: Record<string, string> = {
  AL: '08:00-20:00 / 08:00-20:00 / - H', AK: F, AZ: F, AR: F, CA: F, CO: F,
  CT: '09:00-20:00 / 09:00-20:00 / 09:00-20:00', DE: F, DC: F,
  FL: '08:00-20:00 / 08:00-20:00 / 08:00-20:00 cap3', GA: F, HI: F, ID: F, IL: F, IN: F, IA: F, KS: F,
  KY: '10:00-21:00 / 10:00-21:00 / 10:00-21:00', LA: '08:00-20:00 / 08:00-20:00 / - H', ME: F,
  MD: '08:00-20:00 / 08:00-20:00 / 08:00-20:00 cap3', MA: '08:00-20:00 / 08:00-20:00 / 08:00-20:00',
  MI: '09:00-21:00 / 09:00-21:00 / 09:00-21:00', MN: '09:00-21:00 / 09:00-21:00 / 09:00-21:00',
  MS: '08:00-20:00 / 08:00-20:00 / - H', MO: F, MT: F, NE: F, NV: '09:00-20:00 / 09:00-20:00 / 09:00-20:00', NH: F, NJ: F,
  NM: '09:00-21:00 / 09:00-21:00 / 09:00-21:00', NY: F, NC: F, ND: F, OH: F,
  OK: '08:00-20:00 / 08:00-20:00 / 08:00-20:00 cap3', OR: F, PA: '08:00-21:00 / 08:00-21:00 / 13:30-21:00 H',
  RI: '09:00-18:00 / 10:00-17:00 / - H', SC: F, SD: F, TN: F, TX: '09:00-21:00 / 09:00-21:00 / 12:00-21:00',
  UT: '08:00-21:00 / 08:00-21:00 / - H', VT: F, VA: F, WA: '08:00-20:00 / 08:00-20:00 / 08:00-20:00', WV: F, WI: F, WY: F,
  PR: F, VI: F, GU: F, AS: F, MP: F,
};

// A plain week: Monday 2027-01-11, Saturday 01-16, Sunday 01-17; Monday 01-18 is MLK Day.
const MONDAY = '2027-01-11';
const SATURDAY = '2027-01-16';
const SUNDAY = '2027-01-17';
const HOLIDAY = '2027-01-18';

describe('the state table', () => {
  it('has one row per state, DC and territory, and nothing else', () => {
    expect(Object.keys(STATE_CALLING_RULE_ROWS).sort()).toEqual([...US_STATES].sort());
  });

  it.each(US_STATES.map((s) => [s]))('%s: the row says what its sources say', (state) => {
    const row = STATE_CALLING_RULE_ROWS[state];
    const hours = (h: readonly [string, string] | null) => (h ? `${h[0]}-${h[1]}` : '-');
    const text = `${hours(row.weekdays)} / ${hours(row.saturday)} / ${hours(row.sunday)}${row.noCallsOnHolidays ? ' H' : ''}${row.maxCalls ? ` cap${row.maxCalls.count}` : ''}`;
    expect(text).toBe(EXPECTED[state]);
    if (row.maxCalls) expect(row.maxCalls.hours).toBe(24);
    expect(row.law.length).toBeGreaterThan(5);
  });

  // Every row through the engine, in the state's first zone, with a campaign window that never
  // interferes: open at the opening minute, refused a minute before and at the closing minute,
  // Sundays and holidays as the row says.
  it.each(US_STATES.map((s) => [s]))('%s: allowed inside its hours, refused outside them', (state) => {
    const row = STATE_CALLING_RULE_ROWS[state];
    const zones = oneZone(state);
    const zone = zones.zones[0];
    const check = (day: string, hhmm: string) => checkCallingRules({ zones, campaignWindow: ALL_DAY, recentCalls: [], now: new Date(zonedTime(zone, day, minute(hhmm))) });
    for (const [day, hours] of [[MONDAY, row.weekdays], [SATURDAY, row.saturday], [SUNDAY, row.sunday]] as const) {
      if (!hours) {
        const d = check(day, '12:00');
        expect(d.allowed).toBe(false);
        if (!d.allowed) expect(d.refusal).toMatchObject({ code: 'state_day', region: state, law: row.law });
        continue;
      }
      expect(check(day, hours[0]).allowed).toBe(true);
      const before = check(day, `${String(Math.floor((minute(hours[0]) - 1) / 60)).padStart(2, '0')}:${String((minute(hours[0]) - 1) % 60).padStart(2, '0')}`);
      expect(before.allowed).toBe(false);
      if (!before.allowed) {
        expect(before.refusal.code).toBe('state_hours');
        expect(before.refusal.nextAllowedAt?.getTime()).toBe(zonedTime(zone, day, minute(hours[0])));
      }
      const closing = check(day, hours[1]);
      expect(closing.allowed).toBe(false);
    }
    const holiday = check(HOLIDAY, '12:00');
    expect(holiday.allowed).toBe(!row.noCallsOnHolidays);
    if (!holiday.allowed) expect(holiday.refusal.reason).toContain('Martin Luther King');
  });
});

describe('which rule applies', () => {
  it.each<[string, { propertyState?: string; phone?: string }, string | null, string]>([
    ['the property state', { propertyState: 'FL', phone: '+12125550100' }, 'FL', 'state'],
    ['else the area code (305: Florida)', { phone: '+13055550100' }, 'FL', 'state'],
    ['a state with no law of its own: federal', { propertyState: 'NY' }, 'NY', 'federal'],
    ['a Canadian area code: the CRTC rules', { phone: '+14165550100' }, 'ON', 'canada'],
    ['unknown (toll-free): federal', { phone: '+18005550100' }, null, 'federal'],
  ])('%s', (_name, lead, region, kind) => {
    expect(callingRuleFor(borrowerTimeZones(lead))).toMatchObject({ region, kind });
  });
});

describe('the stricter of the campaign and the state wins', () => {
  const fl = borrowerTimeZones({ propertyState: 'FL' }); // New York and Chicago
  it.each<[string, CallingWindow, string, boolean, string | null, string | null]>([
    // 2027-01-12 (Tuesday), standard time: New York UTC-5, Chicago UTC-6.
    ['20:30 New York: the state (8 p.m.) refuses, the campaign (9 p.m.) would not', CAMPAIGN_DEFAULT, '2027-01-13T01:30:00Z', false, 'state_hours', '2027-01-13T14:00:00.000Z'],
    ['08:30 New York = 07:30 Chicago: closed in the western zone', CAMPAIGN_DEFAULT, '2027-01-12T13:30:00Z', false, 'state_hours', '2027-01-12T14:00:00.000Z'],
    ['10:00 New York: both allow', CAMPAIGN_DEFAULT, '2027-01-12T15:00:00Z', true, null, null],
    ['a campaign window of 12:00–17:00 is stricter at 11:00 Chicago', { startMinute: 12 * 60, endMinute: 17 * 60 }, '2027-01-12T17:00:00Z', false, 'campaign_hours', '2027-01-12T18:00:00.000Z'],
  ])('%s', (_name, window, now, allowed, code, next) => {
    const d = checkCallingRules({ zones: fl, campaignWindow: window, recentCalls: [], now: at(now) });
    expect(d.allowed).toBe(allowed);
    if (!d.allowed) {
      expect(d.refusal.code).toBe(code);
      expect(d.refusal.nextAllowedAt?.toISOString()).toBe(next);
    }
  });

  it('Texas on a Sunday opens at noon, not at the campaign start', () => {
    // 2027-01-17 is a Sunday; 09:30 in Chicago, 08:30 in Denver.
    const d = checkCallingRules({ zones: borrowerTimeZones({ propertyState: 'TX' }), campaignWindow: CAMPAIGN_DEFAULT, recentCalls: [], now: at('2027-01-17T15:30:00Z') });
    expect(d.allowed).toBe(false);
    if (!d.allowed) expect(d.refusal.nextAllowedAt?.toISOString()).toBe('2027-01-17T19:00:00.000Z'); // 12:00 Denver
  });

  it('a Louisiana Saturday evening waits over Sunday until Monday morning', () => {
    const d = checkCallingRules({ zones: borrowerTimeZones({ propertyState: 'LA' }), campaignWindow: CAMPAIGN_DEFAULT, recentCalls: [], now: at('2027-01-17T03:00:00Z') }); // Sat 21:00 CST
    expect(d.allowed).toBe(false);
    // Monday 2027-01-18 is MLK Day: Tuesday 08:00 CST.
    if (!d.allowed) expect(d.refusal.nextAllowedAt?.toISOString()).toBe('2027-01-19T14:00:00.000Z');
  });
});

describe('daylight saving time', () => {
  // 2027-03-14: clocks go forward at 02:00 (New York UTC-5 → UTC-4); 2026-11-01: back (UTC-4 → UTC-5).
  const ny = borrowerTimeZones({ propertyState: 'NY' });
  const ca = borrowerTimeZones({ propertyState: 'CA' });
  it.each<[string, BorrowerZones, string, boolean, string | null]>([
    ['the night before spring forward: opens 08:00 EDT', ny, '2027-03-14T04:00:00Z', false, '2027-03-14T12:00:00.000Z'],
    ['08:00 EDT on the spring-forward day is allowed', ny, '2027-03-14T12:00:00Z', true, null],
    ['07:59 EDT on the spring-forward day is not', ny, '2027-03-14T11:59:00Z', false, '2027-03-14T12:00:00.000Z'],
    ['the night before fall back: opens 08:00 EST', ny, '2026-11-01T03:00:00Z', false, '2026-11-01T13:00:00.000Z'],
    ['08:00 EDT the day before fall back is allowed', ny, '2026-10-31T12:00:00Z', true, null],
    ['21:00 PDT closes California on the last summer evening', ca, '2026-11-01T04:00:00Z', false, '2026-11-01T16:00:00.000Z'],
  ])('%s', (_name, zones, now, allowed, next) => {
    const d = checkCallingRules({ zones, campaignWindow: CAMPAIGN_DEFAULT, recentCalls: [], now: at(now) });
    expect(d.allowed).toBe(allowed);
    if (!d.allowed) expect(d.refusal.nextAllowedAt?.toISOString()).toBe(next);
  });
});

describe('at most 3 calls in 24 hours (Florida, Oklahoma, Maryland)', () => {
  const fl = borrowerTimeZones({ propertyState: 'FL' });
  const now = at('2027-01-12T17:00:00Z'); // Tuesday 12:00 New York
  const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
  const check = (calls: Date[], zones = fl) => checkCallingRules({ zones, campaignWindow: CAMPAIGN_DEFAULT, recentCalls: calls, now });

  it('two earlier calls: the third may go', () => {
    expect(check([hoursAgo(1), hoursAgo(2)]).allowed).toBe(true);
  });

  it('three in 24 hours (whatever campaign made them): refused until the oldest is 24 hours old', () => {
    const d = check([hoursAgo(20), hoursAgo(5), hoursAgo(1)]);
    expect(d.allowed).toBe(false);
    if (d.allowed) return;
    expect(d.refusal).toMatchObject({ code: 'max_calls', region: 'FL', law: 'Fla. Stat. § 501.616(6)' });
    expect(d.refusal.reason).toBe('FL allows at most 3 calls to one number in 24 hours; this number had 3 in the last 24 hours');
    expect(d.refusal.nextAllowedAt?.toISOString()).toBe('2027-01-12T21:00:00.000Z'); // 20 h ago + 24 h = 16:00 New York today
  });

  it('the release time is moved into the calling hours', () => {
    // Oldest of the three 13 hours ago (23:00 New York yesterday): free at 23:00 tonight, so 09:00 tomorrow (08:00 Chicago).
    const d = check([hoursAgo(13), hoursAgo(3), hoursAgo(2)]);
    expect(d.allowed).toBe(false);
    if (!d.allowed) expect(d.refusal.nextAllowedAt?.toISOString()).toBe('2027-01-13T14:00:00.000Z');
  });

  it('calls older than 24 hours do not count; a call exactly 24 hours old is out', () => {
    expect(check([hoursAgo(30), hoursAgo(26), hoursAgo(24), hoursAgo(1)]).allowed).toBe(true);
  });

  it('four calls: the second oldest of the last three decides', () => {
    const d = check([hoursAgo(23), hoursAgo(22), hoursAgo(2), hoursAgo(1)]);
    expect(d.allowed).toBe(false);
    if (!d.allowed) expect(d.refusal.nextAllowedAt?.toISOString()).toBe(new Date(hoursAgo(22).getTime() + 24 * 3_600_000).toISOString());
  });

  it('states without a cap ignore the count', () => {
    expect(check([hoursAgo(3), hoursAgo(2), hoursAgo(1)], borrowerTimeZones({ propertyState: 'NY' })).allowed).toBe(true);
  });

  it('nextAllowedCall is the same answer for scheduling', () => {
    expect(nextAllowedCall({ zones: fl, campaignWindow: CAMPAIGN_DEFAULT, recentCalls: [hoursAgo(20), hoursAgo(5), hoursAgo(1)], now })?.toISOString()).toBe('2027-01-12T21:00:00.000Z');
    expect(nextAllowedCall({ zones: fl, campaignWindow: CAMPAIGN_DEFAULT, recentCalls: [], now })?.toISOString()).toBe(now.toISOString());
  });
});

describe('federal holidays', () => {
  it.each<[number, string[]]>([
    [2026, ['2026-01-01', '2026-01-19', '2026-02-16', '2026-05-25', '2026-06-19', '2026-07-03', '2026-07-04', '2026-09-07', '2026-10-12', '2026-11-11', '2026-11-26', '2026-12-25']],
    // 2027: Juneteenth on a Saturday (observed Friday), Independence Day on a Sunday (observed
    // Monday), Christmas on a Saturday, and New Year's Day 2028 on a Saturday (observed Dec 31).
    [2027, ['2027-01-01', '2027-01-18', '2027-02-15', '2027-05-31', '2027-06-18', '2027-06-19', '2027-07-04', '2027-07-05', '2027-09-06', '2027-10-11', '2027-11-11', '2027-11-25', '2027-12-24', '2027-12-25', '2027-12-31']],
  ])('%i', (year, days) => {
    expect([...federalHolidays(year).keys()].sort()).toEqual(days);
  });

  it('a state closed on holidays is closed on the observed day too', () => {
    expect(ruleHoursOn(STATE_CALLING_RULE_ROWS.RI, '2026-07-03')).toBeNull();
    expect(ruleHoursOn(STATE_CALLING_RULE_ROWS.TX, '2026-07-03')).toEqual({ startMinute: 9 * 60, endMinute: 21 * 60 });
  });
});
