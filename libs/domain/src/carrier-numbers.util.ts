import { areaCodeOf, normalizePhone } from './phone.util';

// The carrier's DID block as an admin loads it (Local Dial Presence inventory). Pure parsing.

export interface NumberEntry {
  /** Where the entry came from, for messages: "line 3" or "numbers[2]". */
  where: string;
  value: string;
}

export interface InventoryNumber {
  number: string;
  areaCode: string;
}

export interface CarrierNumbersCheck {
  /** Valid numbers in E.164 with their area code, each once. */
  numbers: InventoryNumber[];
  errors: { where: string; message: string }[];
}

/** Every entry must be a valid US/Canada (NANP) number; the area code is the number's own. */
export function checkCarrierNumbers(entries: readonly NumberEntry[]): CarrierNumbersCheck {
  const numbers: InventoryNumber[] = [];
  const seen = new Set<string>();
  const errors: CarrierNumbersCheck['errors'] = [];
  for (const entry of entries) {
    const e164 = normalizePhone(entry.value);
    const areaCode = e164 ? areaCodeOf(e164) : undefined;
    if (!e164) errors.push({ where: entry.where, message: `"${entry.value}" is not a valid phone number` });
    else if (!areaCode) errors.push({ where: entry.where, message: `${e164} is not a US/Canada (NANP) number` });
    else if (!seen.has(e164)) {
      seen.add(e164);
      numbers.push({ number: e164, areaCode });
    }
  }
  return { numbers, errors };
}
