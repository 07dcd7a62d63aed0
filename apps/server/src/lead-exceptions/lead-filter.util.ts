// Pure parsing of the lead list query (Lead Exceptions, Unassigned Leads): no Nest, no I/O, no clock.
import type { DistributionType, FailureReason, LoanPurpose, ProspectStatus } from '@leadline/domain';
import type { FieldError } from '../common/domain-error';

/** Longest list a multi-select filter accepts. */
export const MAX_LIST_LENGTH = 100;

/** Columns the Lead Exception list sorts by; each is also the row's key for that column. */
export const LEAD_SORT_KEYS = ['name', 'campaign', 'description', 'distribution', 'leadProvider', 'loanPurpose', 'loanAmount', 'state', 'failureReason', 'createDate'] as const;
export type LeadSortKey = (typeof LEAD_SORT_KEYS)[number];

export const SORT_ORDERS = ['asc', 'desc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

/** The statuses of a prospect nobody has taken yet. */
export const UNASSIGNED_STATUSES = ['new', 'distributing', 'exception'] as const satisfies readonly ProspectStatus[];
export type UnassignedStatus = (typeof UNASSIGNED_STATUSES)[number];

/** Column filters, combined with AND; an absent or empty one does not filter. */
export interface LeadFilter {
  /** First + last name contains, case-insensitive. */
  name?: string;
  /** The campaign's description contains, case-insensitive. */
  description?: string;
  campaignIds?: string[];
  distributions?: DistributionType[];
  leadProviders?: string[];
  loanPurposes?: LoanPurpose[];
  states?: string[];
  failureReasons?: FailureReason[];
  loanAmountMin?: number;
  loanAmountMax?: number;
  /** Inclusive. */
  createdFrom?: Date;
  /** Inclusive. */
  createdTo?: Date;
}

/**
 * The values of a multi-select query parameter, given repeated (`?state=TX&state=CA`) and/or
 * comma-separated (`?state=TX,CA`): trimmed, empty ones dropped. Duplicates are kept, so the
 * length cap counts what the client sent. Anything that
 * is not a string or a list of strings (e.g. `?state[a]=x` under a nested query parser) comes back
 * unchanged, so validation refuses it rather than this guessing.
 */
export function toList(value: unknown, { splitCommas = true }: { splitCommas?: boolean } = {}): unknown {
  const parts = typeof value === 'string' ? [value] : Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
  if (!parts) return value;
  const items = parts.flatMap((p) => (splitCommas ? p.split(',') : [p])).map((p) => p.trim());
  return items.filter((p) => p.length > 0);
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A number query parameter: absent or blank → undefined; a decimal literal → its value; anything
 * else (`abc`, `0x10`, `Infinity`) → NaN, which validation refuses. Number() alone would read ''
 * as 0 and '0x10' as 16.
 */
export function toOptionalNumber(value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return value;
  const s = value.trim();
  if (s === '') return undefined;
  return DECIMAL.test(s) ? Number(s) : Number.NaN;
}

/** A boolean query parameter: true/1 and false/0 (any case); blank → undefined; anything else unchanged (refused). */
export function toOptionalBoolean(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const s = value.trim().toLowerCase();
  if (s === '') return undefined;
  if (s === 'true' || s === '1') return true;
  if (s === 'false' || s === '0') return false;
  return value;
}

/** The escape character used with `like … escape '\'`. */
export const LIKE_ESCAPE = '\\';

/** `term` with LIKE's wildcards (% and _) and the escape character itself escaped. */
export function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (c) => LIKE_ESCAPE + c);
}

/** A LIKE pattern matching values that contain `term` literally. */
export function containsPattern(term: string): string {
  return `%${escapeLike(term)}%`;
}

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):?(\d{2})))?$/;

/**
 * An ISO 8601 date (`2025-03-01`, UTC midnight) or date-time with a zone (`2025-03-01T14:30:00Z`,
 * `…+02:00`), or null when it is not one or names no real moment (`2025-02-30`, `T25:00`). A
 * date-time without a zone is refused: the server's own zone would make it mean different moments
 * on different machines. With `endOfDay`, a date alone means its last millisecond, so `createdTo=2025-03-01`
 * includes that whole day.
 */
export function parseDateTimeParam(value: string, { endOfDay = false }: { endOfDay?: boolean } = {}): Date | null {
  const m = ISO_DATE_TIME.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, zone, zh, zm] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  // Date.UTC(year, month, 0) is the last day of `month` (months count from 0 there).
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null;
  if (h !== undefined && (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59)) return null;
  if (zone !== 'Z' && zh !== undefined && (Number(zh) > 23 || Number(zm) > 59)) return null;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return null;
  return endOfDay && h === undefined ? new Date(date.getTime() + 24 * 3600_000 - 1) : date;
}

/** The query fields a LeadFilter is built from, as validation left them. */
export interface LeadFilterParams {
  name?: string;
  description?: string;
  campaignId?: string[];
  distribution?: DistributionType[];
  leadProvider?: string[];
  loanPurpose?: LoanPurpose[];
  state?: string[];
  failureReason?: FailureReason[];
  loanAmountMin?: number;
  loanAmountMax?: number;
  createdFrom?: string;
  createdTo?: string;
}

/** Builds the filter from validated parameters, or the field errors of the ranges (min above max, unreadable dates). */
export function toLeadFilter(params: LeadFilterParams): { filter: LeadFilter; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const date = (field: 'createdFrom' | 'createdTo'): Date | undefined => {
    const raw = params[field];
    if (raw === undefined || raw === '') return undefined;
    const parsed = parseDateTimeParam(raw, { endOfDay: field === 'createdTo' });
    if (!parsed) errors.push({ field, message: `${field} must be an ISO 8601 date or date-time with a time zone (e.g. 2025-03-01 or 2025-03-01T14:30:00Z)` });
    return parsed ?? undefined;
  };
  const createdFrom = date('createdFrom');
  const createdTo = date('createdTo');
  if (createdFrom && createdTo && createdFrom > createdTo) errors.push({ field: 'createdTo', message: 'createdTo must not be before createdFrom' });
  const { loanAmountMin, loanAmountMax } = params;
  if (loanAmountMin !== undefined && loanAmountMax !== undefined && loanAmountMin > loanAmountMax) {
    errors.push({ field: 'loanAmountMax', message: 'loanAmountMax must not be below loanAmountMin' });
  }
  const text = (s: string | undefined) => (s === undefined || s.trim() === '' ? undefined : s.trim());
  const list = <T>(l: T[] | undefined) => (l && l.length ? l : undefined);
  const filter: LeadFilter = {
    name: text(params.name),
    description: text(params.description),
    campaignIds: list(params.campaignId),
    distributions: list(params.distribution),
    leadProviders: list(params.leadProvider),
    loanPurposes: list(params.loanPurpose),
    states: list(params.state),
    failureReasons: list(params.failureReason),
    loanAmountMin,
    loanAmountMax,
    createdFrom,
    createdTo,
  };
  // Absent keys rather than undefined ones: easier to read in logs and tests.
  for (const key of Object.keys(filter) as (keyof LeadFilter)[]) if (filter[key] === undefined) delete filter[key];
  return { filter, errors };
}
