// The legal public holidays of federal law (5 U.S.C. § 6103), with the days they are observed on
// when they fall on a weekend (Saturday → the Friday before, Sunday → the Monday after). States
// whose telemarketing laws close "legal holidays" are held to these (docs/compliance.md). Pure.
import type { LocalDay } from './local-day.util';

const cache = new Map<number, ReadonlyMap<LocalDay, string>>();

const iso = (y: number, m: number, d: number): LocalDay => new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10);

/** The `n`th (1-based) `weekday` (0 = Sunday) of a month; n = -1 for the last one. */
function nthWeekday(y: number, m: number, weekday: number, n: number): LocalDay {
  if (n > 0) {
    const first = new Date(Date.UTC(y, m - 1, 1)).getUTCDay();
    return iso(y, m, 1 + ((weekday - first + 7) % 7) + (n - 1) * 7);
  }
  const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const last = new Date(Date.UTC(y, m - 1, lastDay)).getUTCDay();
  return iso(y, m, lastDay - ((last - weekday + 7) % 7));
}

/** Every holiday date and observed date of `year`, with its name. */
export function federalHolidays(year: number): ReadonlyMap<LocalDay, string> {
  let days = cache.get(year);
  if (days) return days;
  const map = new Map<LocalDay, string>();
  const fixed = (m: number, d: number, name: string) => {
    map.set(iso(year, m, d), name);
    const weekday = new Date(Date.UTC(year, m - 1, d)).getUTCDay();
    if (weekday === 6) map.set(iso(year, m, d - 1), `${name} (observed)`);
    if (weekday === 0) map.set(iso(year, m, d + 1), `${name} (observed)`);
  };
  fixed(1, 1, "New Year's Day");
  map.set(nthWeekday(year, 1, 1, 3), 'Birthday of Martin Luther King, Jr.');
  map.set(nthWeekday(year, 2, 1, 3), "Washington's Birthday");
  map.set(nthWeekday(year, 5, 1, -1), 'Memorial Day');
  fixed(6, 19, 'Juneteenth National Independence Day');
  fixed(7, 4, 'Independence Day');
  map.set(nthWeekday(year, 9, 1, 1), 'Labor Day');
  map.set(nthWeekday(year, 10, 1, 2), 'Columbus Day');
  fixed(11, 11, 'Veterans Day');
  map.set(nthWeekday(year, 11, 4, 4), 'Thanksgiving Day');
  fixed(12, 25, 'Christmas Day');
  // New Year's Day of next year on a Saturday is observed on December 31st of this one.
  if (new Date(Date.UTC(year + 1, 0, 1)).getUTCDay() === 6) map.set(iso(year, 12, 31), "New Year's Day (observed)");
  days = map;
  cache.set(year, days);
  return days;
}

/** The federal holiday on `day` (its name), or null. */
export function federalHolidayOn(day: LocalDay): string | null {
  return federalHolidays(Number(day.slice(0, 4))).get(day) ?? null;
}
