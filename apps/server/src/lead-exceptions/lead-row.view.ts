import { Prospect } from '../database/entities';
import type { LeadRowView } from '@leadline/contracts';
export type { LeadRowView };

export function toLeadRowView(p: Prospect): LeadRowView {
  return {
    prospectId: p.id,
    name: [p.firstName, p.lastName].filter((s) => s).join(' '),
    firstName: p.firstName ?? null,
    lastName: p.lastName ?? null,
    campaign: { id: p.campaign.id, name: p.campaign.name },
    description: p.campaign.description ?? null,
    distribution: p.campaign.distributionType,
    leadProvider: p.leadProvider ?? null,
    loanPurpose: p.loanPurpose ?? null,
    loanAmount: p.loanAmount ?? null,
    state: p.propertyState ?? null,
    failureReason: p.failureReason ?? null,
    createDate: p.createdAt.toISOString(),
    status: p.status,
    ignored: p.ignored,
    ignoredAt: p.ignoredAt ? p.ignoredAt.toISOString() : null,
  };
}
