import { addDays, dayList, daysBetween, hourOfDayIn, isLocalDay, isTimeZone, localDayOf, localDayRange, localHourOf, startOfLocalDay } from './local-day.util';

const NY = 'America/New_York';
const at = (iso: string) => new Date(iso);

describe('localDayOf / localHourOf', () => {
  it.each([
    ['late evening in New York is still the day before in UTC terms', NY, '2025-03-02T03:30:00Z', '2025-03-01', 22],
    ['New York midnight', NY, '2025-03-01T05:00:00Z', '2025-03-01', 0],
    ['the last minute before New York midnight', NY, '2025-03-01T04:59:59.999Z', '2025-02-28', 23],
    ['spring forward: 01:59 EST, then 03:00 EDT', NY, '2025-03-09T07:00:00Z', '2025-03-09', 3],
    ['fall back: the first 01:30 (EDT)', NY, '2025-11-02T05:30:00Z', '2025-11-02', 1],
    ['fall back: the second 01:30 (EST) is hour 1 again', NY, '2025-11-02T06:30:00Z', '2025-11-02', 1],
    ['Los Angeles', 'America/Los_Angeles', '2025-07-01T06:59:00Z', '2025-06-30', 23],
    ['a half-hour zone (India)', 'Asia/Kolkata', '2025-01-01T18:29:00Z', '2025-01-01', 23],
    ['UTC', 'UTC', '2025-01-01T00:00:00Z', '2025-01-01', 0],
  ])('%s', (_name, zone, iso, day, hour) => {
    expect(localDayOf(zone, at(iso))).toBe(day);
    expect(localHourOf(zone, at(iso))).toBe(hour);
  });
});

describe('localDayRange', () => {
  it.each([
    ['an ordinary day', NY, '2025-03-01', '2025-03-01T05:00:00.000Z', '2025-03-02T05:00:00.000Z', 24],
    ['spring forward is 23 hours', NY, '2025-03-09', '2025-03-09T05:00:00.000Z', '2025-03-10T04:00:00.000Z', 23],
    ['fall back is 25 hours', NY, '2025-11-02', '2025-11-02T04:00:00.000Z', '2025-11-03T05:00:00.000Z', 25],
    ['a zone ahead of UTC', 'Europe/Berlin', '2025-06-15', '2025-06-14T22:00:00.000Z', '2025-06-15T22:00:00.000Z', 24],
    ['half-hour offset', 'Asia/Kolkata', '2025-01-01', '2024-12-31T18:30:00.000Z', '2025-01-01T18:30:00.000Z', 24],
    // Santiago's clocks went from 23:59:59 to 01:00 on 2024-09-08: that day starts at 01:00.
    ['a day whose midnight does not exist', 'America/Santiago', '2024-09-08', '2024-09-08T04:00:00.000Z', '2024-09-09T03:00:00.000Z', 23],
  ])('%s', (_name, zone, day, start, end, hours) => {
    const r = localDayRange(zone, day);
    expect(r.start.toISOString()).toBe(start);
    expect(r.end.toISOString()).toBe(end);
    expect((r.end.getTime() - r.start.getTime()) / 3_600_000).toBe(hours);
    expect(localDayOf(zone, r.start)).toBe(day);
    expect(localDayOf(zone, r.end.getTime() - 1)).toBe(day);
  });

  it('agrees with localDayOf around every boundary of a year', () => {
    for (const day of dayList('2025-01-01', '2025-12-31')) {
      const s = startOfLocalDay(NY, day).getTime();
      expect([localDayOf(NY, s - 1), localDayOf(NY, s)]).toEqual([addDays(day, -1), day]);
    }
  });
});

describe('calendar arithmetic', () => {
  it.each([
    ['2025-02-28', 1, '2025-03-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2025-01-01', -1, '2024-12-31'],
    ['2025-03-09', 0, '2025-03-09'],
  ])('%s + %d = %s', (day, n, expected) => expect(addDays(day, n)).toBe(expected));

  it('counts and lists days, both ends included', () => {
    expect(daysBetween('2025-01-30', '2025-02-02')).toBe(3);
    expect(dayList('2025-01-30', '2025-02-02')).toEqual(['2025-01-30', '2025-01-31', '2025-02-01', '2025-02-02']);
    expect(dayList('2025-02-02', '2025-01-30')).toEqual([]);
  });

  it.each([
    ['2025-03-01', true],
    ['2024-02-29', true],
    ['2025-02-29', false],
    ['2025-13-01', false],
    ['2025-3-1', false],
    ['2025-03-01T00:00:00Z', false],
  ])('isLocalDay(%s) = %s', (value, expected) => expect(isLocalDay(value)).toBe(expected));

  it('knows real zones from made-up ones', () => {
    expect(isTimeZone('America/Chicago')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});

describe('hourOfDayIn', () => {
  it('answers what localHourOf answers, across a fall-back night and a half-hour zone', () => {
    for (const zone of [NY, 'Asia/Kolkata', 'Australia/Eucla']) {
      const hourOf = hourOfDayIn(zone);
      for (let t = at('2025-11-01T20:00:00Z').getTime(); t < at('2025-11-03T08:00:00Z').getTime(); t += 7 * 60_000) expect(hourOf(t)).toBe(localHourOf(zone, t));
    }
  });
});
