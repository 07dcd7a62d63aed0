import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * What an org lets its people dial (click-to-call, dial mode, desk phones, transfers). Toll fraud
 * — calls to premium-rate or far-away numbers run up on a hijacked PBX — is the classic PBX loss,
 * so everything beyond domestic (US and Canada) numbers is off until an admin turns it on.
 */
export interface DiallingPolicy {
  /** Numbers outside the US and Canada, including the NANP's Caribbean countries (+1 809, +1 876 …). */
  allowInternational: boolean;
  /** Premium-rate: +1 900 numbers and the 976 exchange of any area code. */
  allowPremium: boolean;
  /** N11 service codes other than 911 (211, 311, 411, 511, 611, 711, 811). */
  allowN11: boolean;
}

export const DEFAULT_DIALLING_POLICY: DiallingPolicy = { allowInternational: false, allowPremium: false, allowN11: false };

export type DialledCategory =
  | 'domestic' // a US or Canadian geographic, mobile or other ordinary number
  | 'toll_free' // 800, 833, 844, 855, 866, 877, 888: free for the caller, always allowed
  | 'emergency' // 911
  | 'n11'
  | 'premium'
  | 'international'
  | 'invalid';

export type DiallingVerdict =
  | { allowed: true; category: DialledCategory; /** What to dial: E.164, or the short code itself. */ dial: string }
  | { allowed: false; category: DialledCategory; reason: string };

const N11 = /^[2-8]11$/;

/** Digits and a leading + only; spaces, dashes, dots and brackets are what people type around them. */
function clean(raw: string): string {
  return raw.trim().replace(/[\s().-]/g, '');
}

/** Sorts a dialled string into the categories the policy speaks of (no policy applied). */
export function classifyDialled(raw: string): { category: DialledCategory; dial: string | null } {
  const s = clean(raw);
  if (s === '911' || s === '1911' || s === '+1911') return { category: 'emergency', dial: '911' };
  if (N11.test(s)) return { category: 'n11', dial: s };
  if (!/^\+?\d{3,15}$/.test(s)) return { category: 'invalid', dial: null };
  // 011 is how North Americans dial out of the NANP.
  const international = s.startsWith('011') ? `+${s.slice(3)}` : s;
  const parsed = parsePhoneNumberFromString(international, 'US');
  if (!parsed?.isValid()) return { category: 'invalid', dial: null };
  const e164 = parsed.number;
  if (parsed.countryCallingCode !== '1' || (parsed.country !== 'US' && parsed.country !== 'CA')) return { category: 'international', dial: e164 };
  const npa = e164.slice(2, 5);
  const nxx = e164.slice(5, 8);
  const type = parsed.getType();
  if (npa === '900' || nxx === '976' || type === 'PREMIUM_RATE') return { category: 'premium', dial: e164 };
  if (type === 'TOLL_FREE') return { category: 'toll_free', dial: e164 };
  return { category: 'domestic', dial: e164 };
}

/** Whether `raw` may be dialled under `policy`, and if so what to dial; a refusal says why. */
export function checkDialling(raw: string, policy: DiallingPolicy): DiallingVerdict {
  const { category, dial } = classifyDialled(raw);
  switch (category) {
    case 'domestic':
    case 'toll_free':
    case 'emergency':
      return { allowed: true, category, dial: dial! };
    case 'n11':
      return policy.allowN11 ? { allowed: true, category, dial: dial! } : { allowed: false, category, reason: `${dial} is an N11 service code; the organization does not allow dialling them` };
    case 'premium':
      return policy.allowPremium ? { allowed: true, category, dial: dial! } : { allowed: false, category, reason: `${dial} is a premium-rate number; the organization does not allow dialling them` };
    case 'international':
      return policy.allowInternational ? { allowed: true, category, dial: dial! } : { allowed: false, category, reason: `${dial} is outside the US and Canada; the organization does not allow international calls` };
    case 'invalid':
      return { allowed: false, category, reason: `${JSON.stringify(raw)} is not a phone number that can be dialled` };
    default: {
      const unreachable: never = category;
      return unreachable;
    }
  }
}
