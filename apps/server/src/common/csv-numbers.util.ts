import { parse } from 'csv-parse/sync';

// The one reader of uploaded CSV lists of phone numbers (carrier inventory, do-not-call list):
// csv-parse, so quoted fields with commas, quotes or line breaks read as one cell. Pure.

export interface CsvNumberRow {
  /** 1-based line of the CSV the row ends on. */
  line: number;
  /** The number cell as written (trimmed); empty when the row has none. */
  value: string;
  /** The note cell, when the header names one. */
  note: string | null;
}

export type CsvNumbers = { ok: true; rows: CsvNumberRow[] } | { ok: false; message: string };

/** Header names of the number column, compared lower-cased with spaces and dashes as "_". */
const NUMBER_HEADERS = ['phone', 'number', 'phone_number', 'phonenumber', 'telephone', 'telephone_number', 'did', 'tn'];
const NOTE_HEADERS = ['note', 'notes', 'reason'];

/** Semicolon or tab when the first line uses that and no comma (spreadsheet exports), else comma. */
export function delimiterOf(text: string): string {
  const first = text.split(/\r\n|\r|\n/, 1)[0] ?? '';
  if (first.includes(',')) return ',';
  if (first.includes('\t')) return '\t';
  return first.includes(';') ? ';' : ',';
}

/**
 * The rows of a CSV list of phone numbers. The number column is the one whose header is a number
 * name (phone, number, DID …); with no such header it is the first column, and a first row without
 * a digit is taken for a header all the same. Blank lines are skipped; a CSV that cannot be read
 * (an unclosed quote) is refused whole.
 */
export function csvNumberRows(text: string): CsvNumbers {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { delimiter: delimiterOf(text), skip_empty_lines: true, trim: true, relax_column_count: true, bom: true, info: true }) as unknown as typeof records;
  } catch (err) {
    return { ok: false, message: `not a readable CSV: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (!records.length) return { ok: true, rows: [] };
  const header = records[0].record.map((h) => h.toLowerCase().replace(/[\s-]+/g, '_'));
  const named = header.findIndex((h) => NUMBER_HEADERS.includes(h));
  const hasHeader = named >= 0 || !records[0].record.some((cell) => /\d/.test(cell));
  const numberAt = Math.max(named, 0);
  const noteAt = hasHeader ? header.findIndex((h) => NOTE_HEADERS.includes(h)) : -1;
  const rows = (hasHeader ? records.slice(1) : records)
    .filter(({ record }) => record.some((cell) => cell !== ''))
    .map(({ record, info }) => ({ line: info.lines, value: record[numberAt] ?? '', note: noteAt >= 0 ? record[noteAt] || null : null }));
  return { ok: true, rows };
}
