// State calling rules (docs/compliance.md): whether an automatic call may reach a borrower now, and
// if not, which rule refuses it and when it may go. The stricter of the campaign's window and the
// borrower's state rule wins, in the borrower's time zone(s); the state's cap counts every call to
// the number across campaigns. Pure: `now` and the earlier calls are passed in.
import { BorrowerZones, CallingWindow, firstAllowedAt, formatClock, intersectWindows, localClock, parseClock } from './calling-window.util';
import { CANADA_CALLING_RULE_ROW, DayHours, FEDERAL_CALLING_RULE_ROW, STATE_CALLING_RULE_ROWS, StateCallingRuleRow } from './data/state-calling-rules';
import { federalHolidayOn } from './holidays.util';
import type { LocalDay } from './local-day.util';

export type CallingRuleKind = 'state' | 'federal' | 'canada';

export interface CallingRule {
  /** The state or province whose rule applies; null when the borrower's region is unknown. */
  region: string | null;
  kind: CallingRuleKind;
  row: StateCallingRuleRow;
}

const CANADIAN_REGIONS: ReadonlySet<string> = new Set(['AB', 'BC', 'MB', 'NB', 'NL', 'NS', 'NT', 'NU', 'ON', 'PE', 'QC', 'SK', 'YT']);

/** The rule for the borrower's region (property state, else area code; see borrowerTimeZones). */
export function callingRuleFor(zones: Pick<BorrowerZones, 'region'>): CallingRule {
  const region = zones.region;
  if (region && STATE_CALLING_RULE_ROWS[region]) {
    const row = STATE_CALLING_RULE_ROWS[region];
    return { region, kind: row === FEDERAL_CALLING_RULE_ROW ? 'federal' : 'state', row };
  }
  if (region && CANADIAN_REGIONS.has(region)) return { region, kind: 'canada', row: CANADA_CALLING_RULE_ROW };
  return { region: null, kind: 'federal', row: FEDERAL_CALLING_RULE_ROW };
}

const windowOf = (hours: DayHours): CallingWindow | null => (hours ? { startMinute: parseClock(hours[0])!, endMinute: parseClock(hours[1])! } : null);
const WEEKDAY_NAMES = ['Sundays', 'Mondays', 'Tuesdays', 'Wednesdays', 'Thursdays', 'Fridays', 'Saturdays'];
const weekdayOf = (day: LocalDay) => new Date(`${day}T00:00:00Z`).getUTCDay();

/** The hours a rule allows on one local calendar day (null: no calls that day). */
export function ruleHoursOn(row: StateCallingRuleRow, day: LocalDay): CallingWindow | null {
  if (row.noCallsOnHolidays && federalHolidayOn(day)) return null;
  const weekday = weekdayOf(day);
  return windowOf(weekday === 0 ? row.sunday : weekday === 6 ? row.saturday : row.weekdays);
}

export type CallingRefusalCode = 'state_hours' | 'state_day' | 'campaign_hours' | 'max_calls';

export interface CallingRefusal {
  code: CallingRefusalCode;
  /** The region whose rule refused ('FL'), null for the campaign's window or an unknown region. */
  region: string | null;
  /** The law or setting behind it. */
  law: string;
  /** One sentence for people: which rule and why. */
  reason: string;
  /** When the call may go (every rule considered), or null when no moment in the next two weeks works. */
  nextAllowedAt: Date | null;
}

export interface CallingRulesInput {
  zones: BorrowerZones;
  campaignWindow: CallingWindow;
  /** When earlier calls to this number started (any campaign, any kind of call). */
  recentCalls: readonly Date[];
  now: Date;
}

export type CallingRulesDecision = { allowed: true; rule: CallingRule } | { allowed: false; rule: CallingRule; refusal: CallingRefusal };

const label = (rule: CallingRule) => rule.region ?? 'an unknown state (federal rule)';
const hoursText = (w: CallingWindow) => `${formatClock(w.startMinute)}–${formatClock(w.endMinute)}`;

/** The moment the cap lets another call through (at or before `now` when it already does). */
function capReleasedAt(row: StateCallingRuleRow, recentCalls: readonly Date[], now: Date): { at: Date; counted: number } | null {
  if (!row.maxCalls) return null;
  const periodMs = row.maxCalls.hours * 3_600_000;
  const within = recentCalls
    .map((d) => d.getTime())
    .filter((t) => t > now.getTime() - periodMs && t <= now.getTime())
    .sort((a, b) => b - a);
  if (within.length < row.maxCalls.count) return null;
  // The call that must fall out of the period: the count-th most recent one.
  return { at: new Date(within[row.maxCalls.count - 1] + periodMs), counted: within.length };
}

/** When the next call may go, every rule considered (cap, state hours, campaign window), or null. */
export function nextAllowedCall(input: CallingRulesInput): Date | null {
  const rule = callingRuleFor(input.zones);
  const cap = capReleasedAt(rule.row, input.recentCalls, input.now);
  const from = cap && cap.at > input.now ? cap.at : input.now;
  return firstAllowedAt(input.zones.zones, (_zone, day) => intersectWindows(ruleHoursOn(rule.row, day), input.campaignWindow), from);
}

/** May an automatic call reach this borrower now? If not: which rule refuses, and when it may go. */
export function checkCallingRules(input: CallingRulesInput): CallingRulesDecision {
  const rule = callingRuleFor(input.zones);
  const refuse = (code: CallingRefusalCode, law: string, reason: string, region: string | null = rule.region): CallingRulesDecision => ({
    allowed: false,
    rule,
    refusal: { code, region, law, reason, nextAllowedAt: nextAllowedCall(input) },
  });
  const cap = capReleasedAt(rule.row, input.recentCalls, input.now);
  if (cap) {
    const { count, hours } = rule.row.maxCalls!;
    return refuse('max_calls', rule.row.law, `${label(rule)} allows at most ${count} calls to one number in ${hours} hours; this number had ${cap.counted} in the last ${hours} hours`);
  }
  for (const zone of input.zones.zones) {
    const { day, ms } = localClock(zone, input.now);
    const stateHours = ruleHoursOn(rule.row, day);
    const minute = ms / 60_000;
    if (!stateHours) {
      const holiday = rule.row.noCallsOnHolidays ? federalHolidayOn(day) : null;
      return refuse('state_day', rule.row.law, holiday ? `${label(rule)} allows no calls on legal holidays (${holiday})` : `${label(rule)} allows no calls on ${WEEKDAY_NAMES[weekdayOf(day)]}`);
    }
    if (minute < stateHours.startMinute || minute >= stateHours.endMinute) {
      return refuse('state_hours', rule.row.law, `${label(rule)} allows calls ${hoursText(stateHours)} local time (${zone}) on this day`);
    }
    const campaign = input.campaignWindow;
    if (minute < campaign.startMinute || minute >= campaign.endMinute) {
      return refuse('campaign_hours', "the campaign's calling window", `outside the campaign's calling window ${hoursText(campaign)} in the borrower's time (${zone})`, null);
    }
  }
  return { allowed: true, rule };
}
