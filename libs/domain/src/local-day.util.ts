// Calendar days and hours in a time zone (the org's: what "today" is in reports and on the
// wallboard). Pure: every instant is passed in; zones are converted with Intl only, so DST days
// (23 or 25 hours long) come out right.

/** A calendar date, `YYYY-MM-DD`. */
export type LocalDay = string;

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const HOUR_MS = 3_600_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit' });
    formatters.set(zone, f);
  }
  return f;
}

function parts(zone: string, at: Date | number): { day: LocalDay; hour: number } {
  const p = formatter(zone).formatToParts(typeof at === 'number' ? new Date(at) : at);
  const get = (type: string) => p.find((x) => x.type === type)?.value ?? '';
  return { day: `${get('year')}-${get('month')}-${get('day')}`, hour: Number(get('hour')) };
}

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isLocalDay(value: string): boolean {
  const m = DAY_PATTERN.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

/** True when `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** The calendar date in `zone` at instant `at`. */
export function localDayOf(zone: string, at: Date | number): LocalDay {
  return parts(zone, at).day;
}

/** The hour of the day (0–23) on the wall clock of `zone` at `at`; the repeated hour of a fall-back day counts as itself. */
export function localHourOf(zone: string, at: Date | number): number {
  return parts(zone, at).hour;
}

/**
 * localHourOf for many instants of one zone: remembered per quarter hour of UTC, since every
 * zone's offset is a whole number of quarter hours (the hour cannot change inside one).
 */
export function hourOfDayIn(zone: string): (at: number) => number {
  const memo = new Map<number, number>();
  return (at) => {
    const slot = Math.floor(at / 900_000);
    let hour = memo.get(slot);
    if (hour === undefined) memo.set(slot, (hour = localHourOf(zone, slot * 900_000)));
    return hour;
  };
}

/** `day` moved by `n` calendar days. */
export function addDays(day: LocalDay, n: number): LocalDay {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDay, to: LocalDay): number {
  const ms = (day: LocalDay) => {
    const [y, m, d] = day.split('-').map(Number);
    return Date.UTC(y, m - 1, d);
  };
  return Math.round((ms(to) - ms(from)) / (24 * HOUR_MS));
}

/** Every day from `from` to `to`, both included. */
export function dayList(from: LocalDay, to: LocalDay): LocalDay[] {
  const n = daysBetween(from, to);
  return Array.from({ length: Math.max(0, n + 1) }, (_, i) => addDays(from, i));
}

/**
 * The first instant of `day` in `zone` (usually local midnight; the first minute that exists on a
 * day whose midnight was skipped by a DST change). Found by bisection on whole minutes between the
 * earliest and latest possible offsets (UTC−14…+14).
 */
export function startOfLocalDay(zone: string, day: LocalDay): Date {
  const [y, m, d] = day.split('-').map(Number);
  const utcMidnight = Date.UTC(y, m - 1, d);
  let lo = utcMidnight - 15 * HOUR_MS; // still the day before everywhere
  let hi = utcMidnight + 15 * HOUR_MS; // already `day` everywhere
  while (hi - lo > 60_000) {
    const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
    if (localDayOf(zone, mid) >= day) hi = mid;
    else lo = mid;
  }
  return new Date(hi);
}

/** [start, end) of `day` in `zone`: 23, 24 or 25 hours. */
export function localDayRange(zone: string, day: LocalDay): { start: Date; end: Date } {
  return { start: startOfLocalDay(zone, day), end: startOfLocalDay(zone, addDays(day, 1)) };
}
