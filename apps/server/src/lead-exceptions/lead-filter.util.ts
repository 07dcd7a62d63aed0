// Pure parsing of the lead list query (Lead Exceptions, Unassigned Leads): no Nest, no I/O, no clock.
import { DATE_TIME_INPUT_MESSAGE, parseDateTimeInput } from '@leadline/domain';
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

/**
 * Builds the filter from validated parameters, or the field errors of the ranges (min above max,
 * unreadable dates). `timeZone` (the org's) says what a date or date-time without a zone means.
 */
export function toLeadFilter(params: LeadFilterParams, timeZone: string): { filter: LeadFilter; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const date = (field: 'createdFrom' | 'createdTo'): Date | undefined => {
    const raw = params[field];
    if (raw === undefined || raw === '') return undefined;
    const parsed = parseDateTimeInput(raw, { timeZone, endOfDay: field === 'createdTo' });
    if (!parsed) errors.push({ field, message: `${field} ${DATE_TIME_INPUT_MESSAGE}` });
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
