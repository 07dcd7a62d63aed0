import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import areaCodes from './data/nanp-area-codes.json';
import { US_STATES } from './lead.types';

// Where an inbound call should ring (PRODUCT.md §5). Pure: the caller looks the lead up first.

const US_STATE_SET: ReadonlySet<string> = new Set(US_STATES);
const AREA_CODES: Readonly<Record<string, string>> = areaCodes.codes;
// NANP regions that are US states or territories for licensing purposes.
const US_TERRITORIES: ReadonlySet<string> = new Set(['PR', 'VI', 'GU', 'AS', 'MP']);
const ANONYMOUS = /^(anonymous|restricted|private|unavailable|unknown|withheld|blocked)$/i;

export type CallerLocation =
  | { kind: 'us'; state: string }
  | { kind: 'canada'; province: string }
  | { kind: 'non_geographic' } // toll-free, premium, personal (500), ...
  | { kind: 'other_country'; region: string }
  | { kind: 'unknown' };

/** The licence-relevant location of a caller's number. */
export function locateCaller(e164: string): CallerLocation {
  const number = parsePhoneNumberFromString(e164);
  if (!number?.isValid()) return { kind: 'unknown' };
  const type = number.getType();
  if (type === 'TOLL_FREE' || type === 'PREMIUM_RATE' || type === 'PERSONAL_NUMBER' || type === 'UAN' || type === 'SHARED_COST') return { kind: 'non_geographic' };
  const region = number.country;
  if (region && US_TERRITORIES.has(region)) return { kind: 'us', state: region };
  if (region === 'US' || region === 'CA') {
    const code = AREA_CODES[number.nationalNumber.slice(0, 3)];
    if (!code) return { kind: 'non_geographic' };
    return US_STATE_SET.has(code) ? { kind: 'us', state: code } : { kind: 'canada', province: code };
  }
  return region ? { kind: 'other_country', region } : { kind: 'unknown' };
}

/** True when the network hid the caller's number. */
export function isAnonymousCaller(number: string | null | undefined, presentation?: string | null): boolean {
  if (presentation && /^prohib/i.test(presentation)) return true;
  const n = (number ?? '').trim();
  return n === '' || ANONYMOUS.test(n) || !/\d{3,}/.test(n);
}

export interface InboundRoutingInput {
  /** The caller's number in E.164, or null when it is blocked/anonymous. */
  callerE164: string | null;
  /** The lead matched by the caller's number, if any. */
  lead: { propertyState: string | null } | null;
}

export type InboundRoute =
  | { licensing: 'state'; state: string; basis: 'lead_property_state' | 'caller_area_code' }
  | { licensing: 'none'; basis: 'anonymous_caller' | 'no_state_for_caller'; location?: CallerLocation['kind'] };

export function routeInbound(input: InboundRoutingInput): InboundRoute {
  // Blocked caller ID: everyone available, licensing not applied.
  if (!input.callerE164) return { licensing: 'none', basis: 'anonymous_caller' };
  // Lead data with a property state: that state.
  if (input.lead?.propertyState) return { licensing: 'state', state: input.lead.propertyState, basis: 'lead_property_state' };
  // No lead, or a lead without a property state: the caller's area code.
  const location = locateCaller(input.callerE164);
  if (location.kind === 'us') return { licensing: 'state', state: location.state, basis: 'caller_area_code' };
  // Canadian, toll-free, foreign or unknown numbers carry no US state: rather than let the call
  // ring nobody, it rings everyone available (decision recorded in docs/inbound.md).
  return { licensing: 'none', basis: 'no_state_for_caller', location: location.kind };
}
