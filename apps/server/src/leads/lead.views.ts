import { Application, Prospect } from '../database/entities';
import type { ApplicationView, ProspectView } from '@leadline/contracts';
export type { ApplicationView, ProspectView };

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
