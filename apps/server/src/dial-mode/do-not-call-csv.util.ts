import { normalizePhone } from '@leadline/domain';
import { parse } from 'csv-parse/sync';
import type { DoNotCallRowError } from '@leadline/contracts';
export type { DoNotCallRowError };

export interface DoNotCallRow {
  /** 1-based line of the CSV the row came from. */
  line: number;
  phone: string;
  note: string | null;
}

export type DoNotCallCsv = { ok: true; rows: DoNotCallRow[]; errors: DoNotCallRowError[] } | { ok: false; message: string };

const PHONE_HEADERS = ['phone', 'number', 'phone_number', 'phonenumber', 'telephone'];

/**
 * Reads a do-not-call CSV: a header row naming a phone column (phone, number, ...) and an optional
 * note column, or no header and the number in the first column. Each row is checked on its own:
 * bad rows are reported with their line, the good ones are kept.
 */
export function parseDoNotCallCsv(text: string): DoNotCallCsv {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { skip_empty_lines: true, trim: true, relax_column_count: true, bom: true, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (err) {
    return { ok: false, message: `not a readable CSV: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (!records.length) return { ok: false, message: 'the CSV has no rows' };
  const header = records[0].record.map((h) => h.toLowerCase().replace(/[\s-]+/g, '_'));
  const phoneColumn = header.findIndex((h) => PHONE_HEADERS.includes(h));
  const hasHeader = phoneColumn >= 0;
  const phoneAt = hasHeader ? phoneColumn : 0;
  const noteAt = hasHeader ? header.findIndex((h) => h === 'note' || h === 'notes' || h === 'reason') : -1;
  const rows: DoNotCallRow[] = [];
  const errors: DoNotCallRowError[] = [];
  const seen = new Set<string>();
  for (const { record, info } of hasHeader ? records.slice(1) : records) {
    const value = record[phoneAt] ?? '';
    const line = info.lines;
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
    const note = noteAt >= 0 ? record[noteAt] || null : null;
    rows.push({ line, phone, note: note ? note.slice(0, 500) : null });
  }
  return { ok: true, rows, errors };
}
