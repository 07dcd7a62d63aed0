import type { DistributionType, ProspectStatus } from '@leadline/domain';
import { Prospect } from '../database/entities';

/** One row of the Lead Exception and Unassigned Leads lists; the column keys are the sort keys. */
export interface LeadRowView {
  prospectId: string;
  /** First and last name, as shown. */
  name: string;
  firstName: string | null;
  lastName: string | null;
  campaign: { id: string; name: string };
  /** The campaign's description. */
  description: string | null;
  /** The campaign's distribution type. */
  distribution: DistributionType;
  leadProvider: string | null;
  loanPurpose: string | null;
  loanAmount: number | null;
  state: string | null;
  failureReason: string | null;
  createDate: string;
  status: ProspectStatus;
  ignored: boolean;
  ignoredAt: string | null;
}

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
