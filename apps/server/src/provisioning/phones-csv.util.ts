import { normalizeMac, PHONE_VENDORS, PhoneVendor } from '@leadline/domain';
import { readCsvRecords } from '../common/csv-numbers.util';

export interface PhoneCsvRow {
  /** 1-based line of the CSV the row ends on. */
  line: number;
  mac: string;
  vendor: PhoneVendor;
  label: string | null;
  /** The user's email or extension as written; null = no user. */
  user: string | null;
}

export interface PhoneCsvRejection {
  line: number;
  /** The MAC cell as written. */
  value: string;
  message: string;
}

export type PhoneCsv = { ok: true; rows: PhoneCsvRow[]; rejected: PhoneCsvRejection[] } | { ok: false; message: string };

const HEADERS = { mac: ['mac', 'mac_address', 'macaddress'], vendor: ['vendor', 'brand', 'make'], label: ['label', 'name', 'location'], user: ['user', 'email', 'user_email', 'extension'] } as const;

/**
 * Reads a bulk phone import: a header naming the mac and vendor columns (label and user optional;
 * user = the user's email or extension). Each row is checked on its own; bad rows come back with
 * their line and why, good ones are kept (a MAC twice in the file: the first wins).
 */
export function parsePhonesCsv(text: string): PhoneCsv {
  const read = readCsvRecords(text);
  if (!read.ok) return read;
  const records = read.records;
  if (!records.length) return { ok: false, message: 'the CSV is empty' };
  const header = records[0].record.map((h) => h.toLowerCase().replace(/[\s-]+/g, '_'));
  const at = (names: readonly string[]) => header.findIndex((h) => names.includes(h));
  const col = { mac: at(HEADERS.mac), vendor: at(HEADERS.vendor), label: at(HEADERS.label), user: at(HEADERS.user) };
  if (col.mac < 0 || col.vendor < 0) return { ok: false, message: 'the first line must name the columns: mac, vendor (and optionally label, user)' };
  if (records.length === 1) return { ok: false, message: 'the CSV has no rows' };
  const rows: PhoneCsvRow[] = [];
  const rejected: PhoneCsvRejection[] = [];
  const seen = new Set<string>();
  for (const { record, info } of records.slice(1)) {
    const cell = (i: number) => (i >= 0 ? (record[i] ?? '') : '');
    const value = cell(col.mac);
    const mac = normalizeMac(value);
    const vendor = cell(col.vendor).toLowerCase();
    if (!mac) rejected.push({ line: info.lines, value, message: value ? `"${value}" is not a MAC address (12 hex digits)` : 'no MAC in this row' });
    else if (!(PHONE_VENDORS as readonly string[]).includes(vendor)) rejected.push({ line: info.lines, value, message: `vendor must be one of ${PHONE_VENDORS.join(', ')} (got "${cell(col.vendor)}")` });
    else if (seen.has(mac)) rejected.push({ line: info.lines, value, message: 'this MAC is already on an earlier line' });
    else {
      seen.add(mac);
      rows.push({ line: info.lines, mac, vendor: vendor as PhoneVendor, label: cell(col.label).slice(0, 100) || null, user: cell(col.user) || null });
    }
  }
  return { ok: true, rows, rejected };
}
