import { Application, Prospect } from '../database/entities';
import type { ApplicationView, ConsentView, ProspectView } from '@leadline/contracts';
export type { ApplicationView, ProspectView };

/** The consent evidence stored with a prospect, or null when none was posted. */
export function toConsentView(p: Prospect): ConsentView | null {
  if (!p.consentReceivedAt) return null;
  return {
    text: p.consentText ?? null,
    timestamp: p.consentTimestamp ?? null,
    at: p.consentAt ? p.consentAt.toISOString() : null,
    sourceUrl: p.consentSourceUrl ?? null,
    ip: p.consentIp ?? null,
    certificate: p.consentCertificate ?? null,
    receivedAt: p.consentReceivedAt.toISOString(),
  };
}

export function toProspectView(p: Prospect): ProspectView {
  return {
    id: p.id,
    campaignId: p.campaign.id,
    campaignName: p.campaign.name,
    firstName: p.firstName ?? null,
    lastName: p.lastName ?? null,
    mobilePhone: p.mobilePhone ?? null,
    homePhone: p.homePhone ?? null,
    workPhone: p.workPhone ?? null,
    email: p.email ?? null,
    propertyState: p.propertyState ?? null,
    loanPurpose: p.loanPurpose ?? null,
    loanAmount: p.loanAmount ?? null,
    leadProvider: p.leadProvider ?? null,
    extra: p.extra,
    consent: toConsentView(p),
    status: p.status,
    leadStatusId: p.leadStatusId ?? null,
    ignored: p.ignored,
    failureReason: p.failureReason ?? null,
    createdAt: p.createdAt.toISOString(),
  };
}

export function toApplicationView(a: Application): ApplicationView {
  return {
    id: a.id,
    prospect: toProspectView(a.prospect),
    primaryAgent: { id: a.primaryAgent.id, name: a.primaryAgent.name },
    via: a.via,
    createdAt: a.createdAt.toISOString(),
  };
}

/** The most rows one lead export holds (newest first). */
export const EXPORT_MAX_ROWS = 100_000;

/** One row of the lead CSV export: the lead's fields and its consent evidence, flattened. */
export type ProspectExportRow = Pick<
  ProspectView,
  'id' | 'createdAt' | 'campaignName' | 'firstName' | 'lastName' | 'mobilePhone' | 'homePhone' | 'workPhone' | 'email' | 'propertyState' | 'loanPurpose' | 'loanAmount' | 'leadProvider' | 'status'
> & {
  consentText: string | null;
  consentTimestamp: string | null;
  consentAt: string | null;
  consentSourceUrl: string | null;
  consentIp: string | null;
  consentCertificate: string | null;
  consentReceivedAt: string | null;
};

/** The export's columns, in order. */
export const PROSPECT_EXPORT_COLUMNS: (keyof ProspectExportRow)[] = [
  'id', 'createdAt', 'campaignName', 'firstName', 'lastName', 'mobilePhone', 'homePhone', 'workPhone', 'email', 'propertyState', 'loanPurpose', 'loanAmount', 'leadProvider', 'status',
  'consentText', 'consentTimestamp', 'consentAt', 'consentSourceUrl', 'consentIp', 'consentCertificate', 'consentReceivedAt',
];

export function toProspectExportRow(p: Prospect): ProspectExportRow {
  const v = toProspectView(p);
  const c = v.consent;
  return {
    id: v.id,
    createdAt: v.createdAt,
    campaignName: v.campaignName,
    firstName: v.firstName,
    lastName: v.lastName,
    mobilePhone: v.mobilePhone,
    homePhone: v.homePhone,
    workPhone: v.workPhone,
    email: v.email,
    propertyState: v.propertyState,
    loanPurpose: v.loanPurpose,
    loanAmount: v.loanAmount,
    leadProvider: v.leadProvider,
    status: v.status,
    consentText: c?.text ?? null,
    consentTimestamp: c?.timestamp ?? null,
    consentAt: c?.at ?? null,
    consentSourceUrl: c?.sourceUrl ?? null,
    consentIp: c?.ip ?? null,
    consentCertificate: c?.certificate ?? null,
    consentReceivedAt: c?.receivedAt ?? null,
  };
}
