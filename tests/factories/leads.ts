// Lead bodies as a lead vendor posts them, and the Action Post request helpers.
import { normalizePhone } from '../../libs/domain/src/phone.util';
import type { ApiClient } from '../harness/server';
import type { CampaignView } from './campaigns';

/** The vendor spelling of a lead (what Insellerate-style vendors send). Undefined keys are dropped. */
export interface LeadBody {
  FirstName?: string;
  LastName?: string;
  MobilePhone?: string;
  HomePhone?: string;
  WorkPhone?: string;
  Email?: string;
  PropertyState?: string;
  LoanPurpose?: string;
  LoanAmount?: number | string;
  [extra: string]: string | number | undefined;
}

/** One real area code per state the tests use; anything else gets Austin's. */
const AREA_CODES: Record<string, string> = { TX: '512', CA: '213', FL: '305', NY: '212', IL: '312', WA: '206', AZ: '602', GA: '404' };

// Distinct per call within a test process; the random start keeps two files apart in the logs.
// Lines from 2000 up: the specs write numbers by hand in 555-00xx to 555-12xx (the 555-01xx block
// most), and a generated one equal to such a number joined its lead (a 409 on assigning it).
let phoneCounter = 2000 + Math.floor(Math.random() * 3000);
let leadCounter = 0;

/** A distinct, valid US phone, E.164 (e.g. +15125551234), in the state's area code when given. */
export function aPhone(state = 'TX'): string {
  const area = AREA_CODES[state] ?? '512';
  for (;;) {
    const line = String(phoneCounter++ % 10000).padStart(4, '0');
    const e164 = normalizePhone(`+1${area}555${line}`);
    if (e164) return e164;
  }
}

/** The same number written the ways vendors write it. */
export function phoneAs(e164: string, style: 'e164' | 'national' | 'dashes' | 'dots' | 'digits'): string {
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  if (!m) throw new Error(`not a NANP E.164 number: ${e164}`);
  const [, a, b, c] = m;
  switch (style) {
    case 'e164':
      return e164;
    case 'national':
      return `(${a}) ${b}-${c}`;
    case 'dashes':
      return `${a}-${b}-${c}`;
    case 'dots':
      return `${a}.${b}.${c}`;
    case 'digits':
      return `1${a}${b}${c}`;
  }
}

/**
 * A valid lead with a fresh mobile phone on every call. `state` is a shorthand for PropertyState
 * (and picks the phone's area code); any vendor field can be overridden, or removed with undefined.
 */
export function aLead(overrides: LeadBody & { state?: string } = {}): LeadBody {
  const { state = 'TX', ...fields } = overrides;
  const n = ++leadCounter;
  const lead: LeadBody = {
    FirstName: `Ada${n}`,
    LastName: 'Lovelace',
    MobilePhone: phoneAs(aPhone(state), 'national'),
    Email: `ada${n}.${Date.now().toString(36)}@example.com`,
    PropertyState: state,
    LoanPurpose: 'Purchase',
    LoanAmount: 350000,
    ...fields,
  };
  return Object.fromEntries(Object.entries(lead).filter(([, v]) => v !== undefined)) as LeadBody;
}

/** The lead as an application/x-www-form-urlencoded body. */
/** TCPA consent evidence as a lead vendor posts it (docs/compliance.md), under the vendors' usual keys. */
export function aConsent(overrides: LeadBody = {}): LeadBody {
  return {
    ConsentText: 'By clicking "Get my rates" I agree that Example Lending & its partners may call or text me at the number above, including by autodialer; consent is not a condition of purchase.',
    ConsentTimestamp: '2026-12-01T09:03:22-05:00',
    ConsentSourceUrl: `https://rates.example.com/refi?utm_source=test&n=${++leadCounter}`,
    IpAddress: '203.0.113.7',
    xxTrustedFormCertUrl: `https://cert.trustedform.com/${leadCounter.toString(16).padStart(40, '0')}`,
    ...overrides,
  };
}

export function asForm(lead: LeadBody): string {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(lead)) if (v !== undefined) form.set(k, String(v));
  return form.toString();
}

export interface PostLeadOptions {
  /** Where the key goes: the X-Api-Key header (default), the ?key= query, or nowhere. */
  keyIn?: 'header' | 'query' | 'none';
  /** Overrides the campaign's key (e.g. a wrong or rotated one). */
  key?: string;
  /** A raw body (string) sent as is, with this content type. */
  raw?: { body: string; contentType: string };
  /** More request headers (e.g. X-Forwarded-For, through a trusted proxy). */
  headers?: Record<string, string>;
}

/** POSTs a lead to a campaign's Action Post URL; answers { status, body } (body: the envelope). */
export function postLead(server: ApiClient, campaign: Pick<CampaignView, 'id' | 'apiKey'>, lead: LeadBody | unknown, opts: PostLeadOptions = {}): Promise<{ status: number; body: any }> {
  const key = opts.key ?? campaign.apiKey;
  const keyIn = opts.keyIn ?? 'header';
  const route = `/api/action-post/${encodeURIComponent(campaign.id)}${keyIn === 'query' ? `?key=${encodeURIComponent(key)}` : ''}`;
  const headers: Record<string, string> = { ...(keyIn === 'header' ? { 'x-api-key': key } : {}), ...opts.headers };
  if (opts.raw) {
    return server.request('POST', route, { body: opts.raw.body, headers: { ...headers, 'content-type': opts.raw.contentType } });
  }
  return server.request('POST', route, { body: lead, headers });
}

/** How many prospects the org has (GET /api/prospects total), optionally in one campaign. */
export async function prospectCount(server: ApiClient, token: string, campaignId?: string): Promise<number> {
  const res = await server.request('GET', `/api/prospects?pageSize=1${campaignId ? `&campaignId=${campaignId}` : ''}`, { token });
  if (res.status !== 200) throw new Error(`GET /api/prospects: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.total as number;
}

/** Assigns a prospect to a user (POST /api/prospects/:id/assign); returns the application id. */
export async function assignProspect(server: ApiClient, token: string, prospectId: string, userId: string): Promise<string> {
  const res = await server.request('POST', `/api/prospects/${prospectId}/assign`, { token, body: { userId } });
  if (res.status !== 201 && res.status !== 200) throw new Error(`assign ${prospectId}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.applicationId as string;
}
