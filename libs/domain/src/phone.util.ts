import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** E.164 for a phone typed any common way; undefined when it is not a valid number. Region defaults to US. */
export function normalizePhone(raw: string, defaultRegion: 'US' | 'CA' = 'US'): string | undefined {
  const trimmed = raw.trim();
  if (!trimmed) return undefined;
  const parsed = parsePhoneNumberFromString(trimmed, defaultRegion);
  return parsed?.isValid() ? parsed.number : undefined;
}

/** The three-digit NANP area code of an E.164 number, or undefined outside NANP. */
export function areaCodeOf(e164: string): string | undefined {
  const match = /^\+1(\d{3})\d{7}$/.exec(e164);
  return match?.[1];
}
