// NANP area codes (PRODUCT.md §4: numbers are purchased and mapped by area code). Pure.
// The format rule, not the assignment list: NXX with N = 2–9, and never N11 (211 … 911 are
// service codes). Codes not in service yet still pass: carriers open new ones every year.

export type AreaCodeCheck = { ok: true; areaCode: string } | { ok: false; message: string };

export function checkAreaCode(raw: unknown): AreaCodeCheck {
  if (typeof raw !== 'string' && typeof raw !== 'number') return { ok: false, message: 'must be a 3-digit area code given as a string' };
  const value = String(raw).trim();
  if (!/^\d{3}$/.test(value)) return { ok: false, message: `"${value}" is not a 3-digit area code` };
  if (value[0] === '0' || value[0] === '1') return { ok: false, message: `${value} is not an area code: area codes never start with 0 or 1` };
  if (value.slice(1) === '11') return { ok: false, message: `${value} is a service code (N11), not an area code` };
  return { ok: true, areaCode: value };
}

export interface AreaCodeListCheck {
  /** Valid codes, duplicates removed, in the order given. */
  areaCodes: string[];
  errors: { index: number; message: string }[];
}

/** Checks every code of a list; duplicates in the list count once. */
export function checkAreaCodes(raw: readonly unknown[]): AreaCodeListCheck {
  const areaCodes: string[] = [];
  const errors: AreaCodeListCheck['errors'] = [];
  raw.forEach((value, index) => {
    const check = checkAreaCode(value);
    if (!check.ok) errors.push({ index, message: check.message });
    else if (!areaCodes.includes(check.areaCode)) areaCodes.push(check.areaCode);
  });
  return { areaCodes, errors };
}
