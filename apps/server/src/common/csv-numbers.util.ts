import { parse } from 'csv-parse/sync';

// The one reader of uploaded CSV files (readCsvRecords) and of CSV lists of phone numbers (carrier
// inventory, do-not-call list):
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

export interface CsvRecord {
  record: string[];
  /** info.lines: the 1-based line the record ends on. */
  info: { lines: number };
}

/**
 * The records of an uploaded CSV (every list Leadline imports reads through here): cells trimmed,
 * blank lines skipped, a BOM dropped, rows of any length; refused whole when it cannot be read.
 */
export function readCsvRecords(text: string): { ok: true; records: CsvRecord[] } | { ok: false; message: string } {
  try {
    const records = parse(text, { delimiter: delimiterOf(text), skip_empty_lines: true, trim: true, relax_column_count: true, bom: true, info: true }) as unknown as CsvRecord[];
    return { ok: true, records };
  } catch (err) {
    return { ok: false, message: `not a readable CSV: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** Semicolon or tab when the first line uses that and no comma (spreadsheet exports), else comma. */
function delimiterOf(text: string): string {
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
  const read = readCsvRecords(text);
  if (!read.ok) return read;
  const records = read.records;
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
