import { DATE_TIME_INPUT_MESSAGE, normalizePhone, parseDateTimeInput } from '@leadline/domain';
import type { Role } from '@leadline/domain';
import type { FieldError } from '../common/domain-error';
import { likeContains } from '../common/like-pattern.util';

// Pure rules for the call activity list: what a query may ask for and what it turns into.
// No Nest, no I/O: the repository gets only typed, already-checked criteria.

export const CALL_ACTIVITY_SORTS = ['startedAt', 'endedAt', 'talkSeconds', 'ringSeconds', 'result', 'direction', 'purpose', 'from', 'to', 'by'] as const;
export type CallActivitySort = (typeof CALL_ACTIVITY_SORTS)[number];
export const SORT_ORDERS = ['asc', 'desc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

/** Longest talk time a filter may name (ten days): anything above is a typo, not a call. */
export const MAX_TALK_SECONDS = 864_000;
/** Characters a phone search may contain; formatting is dropped, digits and + are kept. */
export const PHONE_SEARCH_PATTERN = /^[0-9+\-().\s]*$/;

/** What a caller may ask of the list (already shape-checked by the DTO). */
export interface CallActivityQuery {
  talkMin?: number;
  talkMax?: number;
  from?: string;
  to?: string;
  phone?: string[];
  phoneSearch?: string;
  byUserId?: string[];
  bySearch?: string;
  sort?: CallActivitySort;
  order?: SortOrder;
}

/** What the repository filters and sorts on. Every value is bound as a parameter. */
export interface CallActivityCriteria {
  orgId: string;
  /** Set for agents: they only ever see their own legs. */
  userId?: string;
  prospectId?: string;
  talkMin?: number;
  talkMax?: number;
  startedFrom?: Date;
  startedTo?: Date;
  /** E.164 numbers; a leg matches when its from or to is one of them. */
  phones?: string[];
  /** A LIKE pattern (see likeContains) matched against from and to. */
  phoneLike?: string;
  byUserIds?: string[];
  /** A lower-cased LIKE pattern (see likeContains) matched against the user's name. */
  byNameLike?: string;
  sort: CallActivitySort;
  order: SortOrder;
}

/** `a,b` and `x=a&x=b` both become ['a', 'b']; blanks are dropped. Non-strings are left for the validators. */
export function splitList(value: unknown): unknown {
  if (value === undefined || value === null) return value;
  return (Array.isArray(value) ? value : [value]).flatMap((p: unknown) => (typeof p === 'string' ? p.split(',').map((s) => s.trim()) : [p])).filter((p) => p !== '');
}

/** Keeps what can appear in a stored E.164 number: "(512) 555-01" → "51255501". */
export function phoneSearchText(raw: string): string {
  return raw.replace(/[^0-9+]/g, '');
}

/** Turns a checked query into repository criteria, or field errors when it contradicts itself. */
export function callActivityCriteria(input: {
  viewer: { id: string; orgId: string; role: Role };
  query: CallActivityQuery;
  prospectId?: string;
  /** The org's time zone: what a date or date-time without a zone means. */
  timeZone: string;
}): { criteria: CallActivityCriteria; errors: FieldError[] } {
  const { viewer, query: q, timeZone } = input;
  const errors: FieldError[] = [];
  const startedFrom = q.from === undefined ? undefined : (parseDateTimeInput(q.from, { timeZone }) ?? undefined);
  const startedTo = q.to === undefined ? undefined : (parseDateTimeInput(q.to, { timeZone, endOfDay: true }) ?? undefined);
  if (q.from !== undefined && !startedFrom) errors.push({ field: 'from', message: DATE_TIME_INPUT_MESSAGE });
  if (q.to !== undefined && !startedTo) errors.push({ field: 'to', message: DATE_TIME_INPUT_MESSAGE });
  if (startedFrom && startedTo && startedFrom > startedTo) errors.push({ field: 'from', message: 'must not be after to' });
  if (q.talkMin !== undefined && q.talkMax !== undefined && q.talkMin > q.talkMax) errors.push({ field: 'talkMin', message: 'must not exceed talkMax' });

  const phones: string[] = [];
  for (const raw of q.phone ?? []) {
    const e164 = normalizePhone(raw);
    if (e164) phones.push(e164);
    else errors.push({ field: 'phone', message: `${raw.slice(0, 30)} is not a valid phone number` });
  }
  const phoneText = q.phoneSearch === undefined ? '' : phoneSearchText(q.phoneSearch);
  const nameText = q.bySearch?.trim().toLowerCase() ?? '';

  const criteria: CallActivityCriteria = {
    orgId: viewer.orgId,
    ...(viewer.role === 'agent' ? { userId: viewer.id } : {}),
    ...(input.prospectId ? { prospectId: input.prospectId } : {}),
    ...(q.talkMin !== undefined ? { talkMin: q.talkMin } : {}),
    ...(q.talkMax !== undefined ? { talkMax: q.talkMax } : {}),
    ...(startedFrom ? { startedFrom } : {}),
    ...(startedTo ? { startedTo } : {}),
    ...(phones.length ? { phones: [...new Set(phones)] } : {}),
    ...(phoneText ? { phoneLike: likeContains(phoneText) } : {}),
    ...(q.byUserId?.length ? { byUserIds: [...new Set(q.byUserId)] } : {}),
    ...(nameText ? { byNameLike: likeContains(nameText) } : {}),
    sort: q.sort ?? 'startedAt',
    order: q.order ?? 'desc',
  };
  return { criteria, errors };
}
