import { LOAN_PURPOSES, LoanPurpose, US_STATES } from './lead.types';
import { normalizePhone } from './phone.util';

// Parses what a lead vendor posts (JSON or form fields, any common key spelling) into a lead.
// Pure: no I/O; the caller decides what to do with the errors.

export interface LeadInput {
  firstName?: string;
  lastName?: string;
  mobilePhone?: string;
  homePhone?: string;
  workPhone?: string;
  email?: string;
  propertyState?: string;
  loanPurpose?: LoanPurpose;
  loanAmount?: number;
  leadProvider?: string;
  extra: Record<string, string>;
}

export type LeadField = Exclude<keyof LeadInput, 'extra'>;

export interface LeadFieldError {
  field: string;
  message: string;
}

export type ParseLeadResult = { ok: true; lead: LeadInput; phones: string[] } | { ok: false; errors: LeadFieldError[] };

// Vendor spellings, compared after lower-casing and dropping everything but letters and digits.
const ALIASES: Record<LeadField, string[]> = {
  firstName: ['firstname', 'fname', 'first', 'borrowerfirstname'],
  lastName: ['lastname', 'lname', 'last', 'surname', 'borrowerlastname'],
  mobilePhone: ['mobilephone', 'mobile', 'cellphone', 'cell', 'phone', 'phonenumber', 'primaryphone', 'borrowermobilephone'],
  homePhone: ['homephone', 'home', 'borrowerhomephone'],
  workPhone: ['workphone', 'work', 'businessphone', 'officephone', 'borrowerworkphone'],
  email: ['email', 'emailaddress', 'borroweremail'],
  propertyState: ['propertystate', 'state', 'subjectpropertystate'],
  loanPurpose: ['loanpurpose', 'loanpurposetype', 'purpose'],
  loanAmount: ['loanamount', 'amount', 'baseloanamount'],
  leadProvider: ['leadprovider', 'provider', 'source', 'leadsource', 'vendor'],
};
const FIELD_BY_ALIAS = new Map<string, LeadField>(
  (Object.entries(ALIASES) as [LeadField, string[]][]).flatMap(([field, aliases]) => aliases.map((a) => [a, field] as [string, LeadField])),
);

const PHONE_FIELDS = ['mobilePhone', 'homePhone', 'workPhone'] as const;
const MAX_TEXT = 200;
const MAX_EXTRA_FIELDS = 50;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const STATE_SET: ReadonlySet<string> = new Set(US_STATES);
const PURPOSE_ALIASES: Record<string, LoanPurpose> = {
  purchase: 'purchase',
  refinance: 'refinance',
  refi: 'refinance',
  rateandterm: 'refinance',
  rateandtermrefinance: 'refinance',
  cashout: 'cash_out_refinance',
  cashoutrefinance: 'cash_out_refinance',
  cashoutrefi: 'cash_out_refinance',
  heloc: 'heloc',
  homeequity: 'heloc',
  reverse: 'reverse',
  reversemortgage: 'reverse',
  construction: 'construction',
  other: 'other',
};

const keyOf = (raw: string) => raw.toLowerCase().replace(/[^a-z0-9]/g, '');

function text(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') return undefined;
  const t = value.trim();
  return t === '' ? undefined : t;
}

export function parseLeadInput(body: unknown): ParseLeadResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, errors: [{ field: 'body', message: 'must be a JSON object or form fields describing one lead' }] };
  }
  const errors: LeadFieldError[] = [];
  const raw: Partial<Record<LeadField, string>> = {};
  const extra: Record<string, string> = {};
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (typeof value === 'object' && value !== null) {
      errors.push({ field: key, message: 'must be a plain value, not an object or a list' });
      continue;
    }
    const field = FIELD_BY_ALIAS.get(keyOf(key));
    const t = text(value);
    if (t !== undefined && t.length > MAX_TEXT) {
      errors.push({ field: key, message: `must be at most ${MAX_TEXT} characters` });
      continue;
    }
    if (field) {
      if (raw[field] !== undefined && t !== undefined && raw[field] !== t) errors.push({ field: key, message: `conflicts with another spelling of ${field}` });
      else if (t !== undefined) raw[field] = t;
    } else if (t !== undefined) {
      extra[key] = t;
    }
  }
  if (Object.keys(extra).length > MAX_EXTRA_FIELDS) errors.push({ field: 'body', message: `has more than ${MAX_EXTRA_FIELDS} unrecognised fields` });

  const lead: LeadInput = { extra };
  if (raw.firstName) lead.firstName = raw.firstName;
  if (raw.lastName) lead.lastName = raw.lastName;
  for (const f of PHONE_FIELDS) {
    if (raw[f] === undefined) continue;
    const e164 = normalizePhone(raw[f]);
    if (e164) lead[f] = e164;
    else errors.push({ field: f, message: `"${raw[f]}" is not a valid phone number` });
  }
  if (raw.email !== undefined) {
    if (EMAIL.test(raw.email)) lead.email = raw.email.toLowerCase();
    else errors.push({ field: 'email', message: `"${raw.email}" is not a valid email address` });
  }
  if (raw.propertyState !== undefined) {
    const state = raw.propertyState.toUpperCase();
    if (STATE_SET.has(state)) lead.propertyState = state;
    else errors.push({ field: 'propertyState', message: `"${raw.propertyState}" is not a two-letter US state code` });
  }
  if (raw.loanPurpose !== undefined) {
    const purpose = PURPOSE_ALIASES[keyOf(raw.loanPurpose)];
    if (purpose) lead.loanPurpose = purpose;
    else errors.push({ field: 'loanPurpose', message: `"${raw.loanPurpose}" is not one of ${LOAN_PURPOSES.join(', ')}` });
  }
  if (raw.loanAmount !== undefined) {
    const amount = Number(raw.loanAmount.replace(/[$,\s]/g, ''));
    if (Number.isFinite(amount) && amount >= 0 && amount < 1e10) lead.loanAmount = amount;
    else errors.push({ field: 'loanAmount', message: `"${raw.loanAmount}" is not a non-negative amount` });
  }
  if (raw.leadProvider) lead.leadProvider = raw.leadProvider;

  const phones = [...new Set(PHONE_FIELDS.map((f) => lead[f]).filter((p): p is string => !!p))];
  if (phones.length === 0 && !errors.some((e) => (PHONE_FIELDS as readonly string[]).includes(e.field))) {
    errors.push({ field: 'mobilePhone', message: 'a lead needs at least one phone number (mobilePhone, homePhone or workPhone)' });
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, lead, phones };
}

/** The fields of `incoming` that would change `current`; only fields the post carries count. */
export function leadChanges(current: Partial<Record<LeadField, string | number | null | undefined>> & { extra?: Record<string, string> }, incoming: LeadInput): Partial<LeadInput> {
  const changes: Partial<LeadInput> = {};
  for (const field of Object.keys(ALIASES) as LeadField[]) {
    const next = incoming[field];
    if (next !== undefined && next !== (current[field] ?? undefined)) (changes as Record<string, unknown>)[field] = next;
  }
  const extraChanged = Object.entries(incoming.extra).filter(([k, v]) => current.extra?.[k] !== v);
  if (extraChanged.length) changes.extra = { ...(current.extra ?? {}), ...Object.fromEntries(extraChanged) };
  return changes;
}
