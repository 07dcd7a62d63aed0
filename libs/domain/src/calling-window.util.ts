import areaCodes from './data/nanp-area-codes.json';
import { REGION_TIME_ZONES, UNKNOWN_REGION_TIME_ZONES } from './data/region-time-zones';
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
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(zone, f);
  }
  return f;
}

/** Milliseconds since local midnight in `zone` at `at`. */
export function localMsOfDay(zone: string, at: Date): number {
  const parts = formatter(zone).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return ((get('hour') * 60 + get('minute')) * 60 + get('second')) * 1000 + at.getUTCMilliseconds();
}

const DAY_MS = 24 * 3600 * 1000;

function inWindow(msOfDay: number, w: CallingWindow): boolean {
  return msOfDay >= w.startMinute * 60_000 && msOfDay < w.endMinute * 60_000;
}

export function isValidCallingWindow(w: CallingWindow): boolean {
  return Number.isInteger(w.startMinute) && Number.isInteger(w.endMinute) && w.startMinute >= 0 && w.endMinute <= 24 * 60 && w.startMinute < w.endMinute;
}

/** True when `at` is inside the window in every one of the borrower's zones. */
export function isCallableAt(zones: readonly string[], window: CallingWindow, at: Date): boolean {
  return zones.every((z) => inWindow(localMsOfDay(z, at), window));
}

/**
 * The first moment at or after `from` inside the window in every zone, or null when the zones'
 * windows never overlap (e.g. a one-hour window across zones three hours apart).
 */
export function nextCallableAt(zones: readonly string[], window: CallingWindow, from: Date): Date | null {
  let t = from.getTime();
  // Each step moves to the latest window opening among the zones that are closed; DST days may
  // need a second step, a window that never overlaps loops until the cap.
  for (let step = 0; step < 16; step++) {
    let advance = 0;
    for (const zone of zones) {
      const ms = localMsOfDay(zone, new Date(t));
      if (inWindow(ms, window)) continue;
      advance = Math.max(advance, (((window.startMinute * 60_000 - ms) % DAY_MS) + DAY_MS) % DAY_MS);
    }
    if (advance === 0) return new Date(t);
    t += advance;
  }
  return null;
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
