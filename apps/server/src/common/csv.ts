import { stringify } from 'csv-stringify/sync';

// CSV files the server hands out (report exports): RFC 4180 (CRLF, quotes doubled), a header row,
// and text that a spreadsheet would run as a formula (= + - @, tab, CR first) prefixed with an
// apostrophe — except a plain signed number or phone number (+15125550100), which holds no call.
// Numbers are written as numbers; null and undefined as empty cells.

const FORMULA_START = /^[=+\-@\t\r]/;
const SIGNED_NUMBER = /^[+-][0-9 ().-]*$/;

export type CsvCell = string | number | boolean | null | undefined;

function cell(value: CsvCell): string | number {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? value : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return FORMULA_START.test(value) && !SIGNED_NUMBER.test(value) ? `'${value}` : value;
}

/** The rows as CSV, one column per key in `columns` (in that order), with a header row. */
export function toCsv<T extends object>(rows: readonly T[], columns: readonly (keyof T & string)[]): string {
  return stringify(
    rows.map((r) => columns.map((c) => cell(r[c] as CsvCell))),
    { header: true, columns: columns.map((c) => ({ key: c, header: c })), record_delimiter: 'windows' },
  );
}
