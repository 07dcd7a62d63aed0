import areaCodes from './data/nanp-area-codes.json';
import { REGION_TIME_ZONES, UNKNOWN_REGION_TIME_ZONES } from './data/region-time-zones';
import { addDays, LocalDay } from './local-day.util';
import { areaCodeOf } from './phone.util';

// When a borrower may be called (dial mode compliance, docs/dial-mode.md). Pure: `now` is passed
// in; time zones are converted with Intl only.

const AREA_CODES: Readonly<Record<string, string>> = areaCodes.codes;

/** Minutes after local midnight: [start, end). 08:00–21:00 by default. */
export interface CallingWindow {
  startMinute: number;
  endMinute: number;
}

export const DEFAULT_CALLING_WINDOW: CallingWindow = { startMinute: 8 * 60, endMinute: 21 * 60 };

export interface BorrowerZones {
  zones: readonly string[];
  basis: 'property_state' | 'area_code' | 'unknown';
  region: string | null;
}

/** The borrower's time zone(s): the property state when known, else the phone's area code. */
export function borrowerTimeZones(input: { propertyState?: string | null; phone?: string | null }): BorrowerZones {
  const state = input.propertyState?.toUpperCase();
  if (state && REGION_TIME_ZONES[state]) return { zones: REGION_TIME_ZONES[state], basis: 'property_state', region: state };
  const area = input.phone ? areaCodeOf(input.phone) : undefined;
  const region = area ? AREA_CODES[area] : undefined;
  if (region && REGION_TIME_ZONES[region]) return { zones: REGION_TIME_ZONES[region], basis: 'area_code', region };
  return { zones: UNKNOWN_REGION_TIME_ZONES, basis: 'unknown', region: null };
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(zone, f);
  }
  return f;
}

/** The wall clock of `zone` at `at`: its calendar day and the milliseconds since its midnight. */
export function localClock(zone: string, at: Date | number): { day: LocalDay; ms: number } {
  const instant = typeof at === 'number' ? at : at.getTime();
  const parts = formatter(zone).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '0';
  const ms = ((Number(get('hour')) * 60 + Number(get('minute'))) * 60 + Number(get('second'))) * 1000 + (((instant % 1000) + 1000) % 1000);
  return { day: `${get('year')}-${get('month')}-${get('day')}`, ms };
}

/** Milliseconds since local midnight in `zone` at `at`. */
export function localMsOfDay(zone: string, at: Date): number {
  return localClock(zone, at).ms;
}

/** The instant when the wall clock of `zone` shows `minute` (after midnight) on `day`. */
export function zonedTime(zone: string, day: LocalDay, minute: number): number {
  const [y, m, d] = day.split('-').map(Number);
  const wanted = Date.UTC(y, m - 1, d) + minute * 60_000;
  let t = wanted;
  // Two corrections by the zone's offset at the guess land on the right instant, DST days included.
  for (let i = 0; i < 3; i++) {
    const local = localClock(zone, t);
    const [ly, lm, ld] = local.day.split('-').map(Number);
    const shownAsUtc = Date.UTC(ly, lm - 1, ld) + local.ms;
    if (shownAsUtc === wanted) break;
    t += wanted - shownAsUtc;
  }
  return t;
}

function inWindow(msOfDay: number, w: CallingWindow): boolean {
  return msOfDay >= w.startMinute * 60_000 && msOfDay < w.endMinute * 60_000;
}

export function isValidCallingWindow(w: CallingWindow): boolean {
  return Number.isInteger(w.startMinute) && Number.isInteger(w.endMinute) && w.startMinute >= 0 && w.endMinute <= 24 * 60 && w.startMinute < w.endMinute;
}

/** The hours calls are allowed on one local calendar day of one zone (null: none that day). */
export type HoursOn = (zone: string, day: LocalDay) => CallingWindow | null;

/** The overlap of two windows, or null when they do not overlap. */
export function intersectWindows(a: CallingWindow | null, b: CallingWindow | null): CallingWindow | null {
  if (!a || !b) return null;
  const w = { startMinute: Math.max(a.startMinute, b.startMinute), endMinute: Math.min(a.endMinute, b.endMinute) };
  return w.startMinute < w.endMinute ? w : null;
}

const LOOK_AHEAD_DAYS = 14;

/**
 * The first moment at or after `from` that is inside the allowed hours in every one of the
 * borrower's zones, or null when there is none (zones whose windows never overlap, or two weeks
 * without an allowed day). The one algorithm behind every calling-time answer.
 */
export function firstAllowedAt(zones: readonly string[], hoursOn: HoursOn, from: Date): Date | null {
  let t = from.getTime();
  // Each step moves to the latest opening among the zones that are closed; a step that lands
  // inside every zone's hours is the answer. Zones that never agree loop until the cap.
  for (let step = 0; step < 64; step++) {
    let latest = t;
    for (const zone of zones) {
      const { day, ms } = localClock(zone, t);
      const today = hoursOn(zone, day);
      if (today && inWindow(ms, today)) continue;
      let opening: number | null = today && ms < today.startMinute * 60_000 ? zonedTime(zone, day, today.startMinute) : null;
      for (let ahead = 1; opening === null && ahead <= LOOK_AHEAD_DAYS; ahead++) {
        const next = addDays(day, ahead);
        const hours = hoursOn(zone, next);
        if (hours) opening = zonedTime(zone, next, hours.startMinute);
      }
      if (opening === null) return null;
      latest = Math.max(latest, opening);
    }
    if (latest === t) return new Date(t);
    t = latest;
  }
  return null;
}

/** True when `at` is inside the window in every one of the borrower's zones. */
export function isCallableAt(zones: readonly string[], window: CallingWindow, at: Date): boolean {
  return firstAllowedAt(zones, () => window, at)?.getTime() === at.getTime();
}

/**
 * The first moment at or after `from` inside the window in every zone, or null when the zones'
 * windows never overlap (e.g. a one-hour window across zones three hours apart).
 */
export function nextCallableAt(zones: readonly string[], window: CallingWindow, from: Date): Date | null {
  return firstAllowedAt(zones, () => window, from);
}

/** "08:00" → 480; null when malformed. "24:00" is allowed as an end. */
export function parseClock(value: string): number | null {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(value);
  if (!m) return null;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes <= 24 * 60 ? minutes : null;
}

export function formatClock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
