// What a date or date-time typed into a filter means (call activity, lead exceptions, reports).
// One rule for every filter: a zone given (Z, +02:00, -0500) names that instant; a date or
// date-time without a zone is a wall-clock time in the org's time zone (docs/org-settings.md).
// Pure: time zones are converted with Intl only.
import { isTimeZone } from './local-day.util';

const ISO_INPUT = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** What a refused value is told (after the field's name). */
export const DATE_TIME_INPUT_MESSAGE = "must be an ISO 8601 date or date-time: 2025-03-01 or 2025-03-01T14:30 (the org's time zone), or 2025-03-01T14:30:00Z / …-05:00";

/** Longest text a date-time parameter may be. */
export const MAX_DATE_TIME_INPUT_LENGTH = 40;

export interface DateTimeInputOptions {
  /** IANA zone a zone-less value is read in: the org's. */
  timeZone: string;
  /** A date alone (no time) means the last millisecond of that day: for inclusive upper bounds. */
  endOfDay?: boolean;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function wallClock(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(zone, f);
  }
  return f;
}

/** How far `zone`'s wall clock is ahead of UTC at `at` (ms; negative west of Greenwich). */
function offsetAt(zone: string, at: number): number {
  const parts = wallClock(zone).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - (at - (at % 1000 + 1000) % 1000);
}

/**
 * The instant a wall-clock time in `zone` names (the wall time given as if it were UTC). A time the
 * clocks skip (spring forward) is read with the offset before the change, so it lands an hour
 * later; a time they pass twice (fall back) is the first of the two.
 */
export function zonedWallTimeToInstant(wallAsUtc: number, zone: string): number {
  const before = offsetAt(zone, wallAsUtc - 24 * 3600_000);
  const after = offsetAt(zone, wallAsUtc + 24 * 3600_000);
  // The earlier reading first: in a fall-back overlap both fit, and the earlier comes first.
  const candidates = [wallAsUtc - before, wallAsUtc - after].sort((a, b) => a - b);
  for (const at of candidates) if (at + offsetAt(zone, at) === wallAsUtc) return at;
  // In a spring-forward gap neither fits: the offset from before the change.
  return wallAsUtc - before;
}

/**
 * An ISO 8601 date (`2025-03-01`) or date-time (`2025-03-01T14:30`, `…:00`, `…:00.250`), with or
 * without a zone (`Z`, `+02:00`, `-0500`), as the instant it names; null when it is not one or
 * names no real moment (`2025-02-30`, `T25:00`). Without a zone it is read in `timeZone`.
 */
export function parseDateTimeInput(value: string, options: DateTimeInputOptions): Date | null {
  if (value.length > MAX_DATE_TIME_INPUT_LENGTH) return null;
  const m = ISO_INPUT.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  // Date.UTC(year, month, 0) is the last day of `month` (months count from 0 there).
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null;
  const hour = Number(h ?? 0);
  const minute = Number(mi ?? 0);
  const second = Number(s ?? 0);
  if (hour > 23 || minute > 59 || second > 59) return null;
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  if (zone) {
    if (zone.toUpperCase() === 'Z') return new Date(wall);
    const [, sign, zh, zm] = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    if (Number(zh) > 23 || Number(zm) > 59) return null;
    return new Date(wall - (sign === '-' ? -1 : 1) * (Number(zh) * 60 + Number(zm)) * 60_000);
  }
  if (!isTimeZone(options.timeZone)) return null;
  if (options.endOfDay && h === undefined) {
    // The next day's first instant, less one millisecond: right on days of 23 or 25 hours too.
    return new Date(zonedWallTimeToInstant(Date.UTC(year, month - 1, day + 1), options.timeZone) - 1);
  }
  return new Date(zonedWallTimeToInstant(wall, options.timeZone));
}
