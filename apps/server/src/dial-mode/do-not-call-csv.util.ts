import { normalizePhone } from '@leadline/domain';
import { csvNumberRows } from '../common/csv-numbers.util';
import type { DoNotCallRowError } from '@leadline/contracts';
export type { DoNotCallRowError };

export interface DoNotCallRow {
  /** 1-based line of the CSV the row came from. */
  line: number;
  phone: string;
  note: string | null;
}

export type DoNotCallCsv = { ok: true; rows: DoNotCallRow[]; errors: DoNotCallRowError[] } | { ok: false; message: string };

/**
 * Reads a do-not-call CSV (csvNumberRows: a header naming the phone column and an optional note
 * column, or the number in the first column). Each row is checked on its own: bad rows are
 * reported with their line, the good ones are kept.
 */
export function parseDoNotCallCsv(text: string): DoNotCallCsv {
  const csv = csvNumberRows(text);
  if (!csv.ok) return csv;
  if (!csv.rows.length) return { ok: false, message: 'the CSV has no rows' };
  const rows: DoNotCallRow[] = [];
  const errors: DoNotCallRowError[] = [];
  const seen = new Set<string>();
  for (const { line, value, note } of csv.rows) {
    if (!value) {
      errors.push({ line, value, message: 'no phone number in this row' });
      continue;
    }
    const phone = normalizePhone(value);
    if (!phone) {
      errors.push({ line, value, message: `"${value}" is not a valid phone number` });
      continue;
    }
    if (seen.has(phone)) continue;
    seen.add(phone);
    rows.push({ line, phone, note: note ? note.slice(0, 500) : null });
  }
  return { ok: true, rows, errors };
}
