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
  /** TCPA consent evidence, as posted (docs/compliance.md); never part of a later post's changes. */
  consent?: ConsentEvidence;
  extra: Record<string, string>;
}

/** What a lead vendor says about the borrower's consent to be called, kept as posted. */
export interface ConsentEvidence {
  text?: string;
  /** The consent time as posted. */
  timestamp?: string;
  /** The same instant, ISO 8601 UTC; absent when the posted time names no zone. */
  at?: string;
  sourceUrl?: string;
  ip?: string;
  /** A TrustedForm certificate URL or a Jornaya LeadiD token. */
  certificate?: string;
}

export type LeadField = Exclude<keyof LeadInput, 'extra' | 'consent'>;
export type ConsentField = keyof Omit<ConsentEvidence, 'at'>;

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
// Consent fields under the names lead vendors and the TrustedForm / Jornaya scripts use.
const CONSENT_ALIASES: Record<ConsentField, string[]> = {
  text: ['consenttext', 'consentlanguage', 'consentdisclosure', 'tcpaconsenttext', 'tcpatext', 'tcpalanguage', 'tcpadisclosure', 'optintext'],
  timestamp: ['consenttimestamp', 'consentdate', 'consentdatetime', 'consenttime', 'consentat', 'tcpatimestamp', 'tcpaconsentdate', 'optintimestamp', 'optindate'],
  sourceUrl: ['consentsourceurl', 'consenturl', 'sourceurl', 'pageurl', 'landingpage', 'landingpageurl', 'optinurl'],
  ip: ['consentip', 'ipaddress', 'ip', 'clientip', 'userip', 'optinip'],
  certificate: ['consentcertificate', 'certificateid', 'trustedformcerturl', 'xxtrustedformcerturl', 'trustedformcertificate', 'trustedformurl', 'trustedform', 'jornayaleadid', 'leadidtoken', 'universalleadid'],
};
const CONSENT_BY_ALIAS = new Map<string, ConsentField>(
  (Object.entries(CONSENT_ALIASES) as [ConsentField, string[]][]).flatMap(([field, aliases]) => aliases.map((a) => [a, field] as [string, ConsentField])),
);
const CONSENT_MAX: Record<ConsentField, number> = { text: 5000, timestamp: 64, sourceUrl: 2000, ip: 45, certificate: 500 };

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
  const rawConsent: Partial<Record<ConsentField, string>> = {};
  const extra: Record<string, string> = {};
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (typeof value === 'object' && value !== null) {
      errors.push({ field: key, message: 'must be a plain value, not an object or a list' });
      continue;
    }
    const t = text(value);
    const consentField = CONSENT_BY_ALIAS.get(keyOf(key));
    if (consentField) {
      if (t === undefined) continue;
      if (t.length > CONSENT_MAX[consentField]) errors.push({ field: key, message: `must be at most ${CONSENT_MAX[consentField]} characters` });
      else if (rawConsent[consentField] !== undefined && rawConsent[consentField] !== t) errors.push({ field: key, message: `conflicts with another spelling of consent ${consentField}` });
      else rawConsent[consentField] = t;
      continue;
    }
    const field = FIELD_BY_ALIAS.get(keyOf(key));
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
  const consent = parseConsent(rawConsent, errors);
  if (consent) lead.consent = consent;

  const phones = [...new Set(PHONE_FIELDS.map((f) => lead[f]).filter((p): p is string => !!p))];
  if (phones.length === 0 && !errors.some((e) => (PHONE_FIELDS as readonly string[]).includes(e.field))) {
    errors.push({ field: 'mobilePhone', message: 'a lead needs at least one phone number (mobilePhone, homePhone or workPhone)' });
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, lead, phones };
}

const ZONED = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?\s*(Z|[+-]\d{2}:?\d{2})$/i;
const ZONELESS = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?$/;
const EPOCH = /^\d{10}(\d{3})?$/;

/** The instant of a posted consent time: ISO 8601 with a zone, or Unix seconds / milliseconds; null when it names no zone; undefined when it is no date at all. */
export function consentInstant(posted: string): string | null | undefined {
  const value = posted.trim();
  if (EPOCH.test(value)) return new Date(Number(value) * (value.length === 10 ? 1000 : 1)).toISOString();
  if (ZONED.test(value)) {
    const ms = Date.parse(value.replace(' ', 'T').replace(/\s+(?=[Z+-])/i, '').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
  }
  return ZONELESS.test(value) && Number.isFinite(Date.parse(value.slice(0, 10))) ? null : undefined;
}

function isIpAddress(value: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(value);
  if (v4) return v4.slice(1).every((o) => Number(o) <= 255 && String(Number(o)) === o);
  if (!value.includes(':') || !/^[0-9a-f:.]+$/i.test(value)) return false;
  try {
    return new URL(`http://[${value}]/`).hostname.length > 2;
  } catch {
    return false;
  }
}

function parseConsent(raw: Partial<Record<ConsentField, string>>, errors: LeadFieldError[]): ConsentEvidence | undefined {
  if (!Object.keys(raw).length) return undefined;
  const consent: ConsentEvidence = { ...raw };
  if (raw.timestamp !== undefined) {
    const at = consentInstant(raw.timestamp);
    if (at === undefined) errors.push({ field: 'consentTimestamp', message: `"${raw.timestamp}" is not a date and time (ISO 8601, e.g. 2026-12-01T14:03:22Z, or Unix seconds)` });
    else if (at) consent.at = at;
  }
  if (raw.sourceUrl !== undefined) {
    let ok = false;
    try {
      ok = ['http:', 'https:'].includes(new URL(raw.sourceUrl).protocol);
    } catch {
      ok = false;
    }
    if (!ok) errors.push({ field: 'consentSourceUrl', message: `"${raw.sourceUrl}" is not an http(s) URL` });
  }
  if (raw.ip !== undefined && !isIpAddress(raw.ip)) errors.push({ field: 'consentIp', message: `"${raw.ip}" is not an IPv4 or IPv6 address` });
  return consent;
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
