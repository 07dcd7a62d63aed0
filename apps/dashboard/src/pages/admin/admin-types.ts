// Shapes of the REST answers the admin pages read (the server's views; see /api/docs).
import type { DistributionType } from '@leadline/domain';

export interface Campaign {
  id: string;
  name: string;
  description: string | null;
  leadProvider: string | null;
  distributionType: DistributionType;
  distributionGroupId: string | null;
  defaultAgentId: string | null;
  ringTimeoutSeconds: number;
  offerTimeoutSeconds: number;
  apiKey: string;
  actionPostUrl: string;
  createdAt: string;
}

export interface DistributionGroup {
  id: string;
  name: string;
  memberIds: string[];
  filterStates: string[];
  filterLoanPurposes: string[];
  filterLoanAmountMin: number | null;
  filterLoanAmountMax: number | null;
}

export interface Org {
  id: string;
  name: string;
  callerId: string | null;
  orgNumber: string | null;
}

export interface LeadRow {
  prospectId: string;
  name: string;
  firstName: string | null;
  lastName: string | null;
  campaign: { id: string; name: string };
  description: string | null;
  distribution: DistributionType;
  leadProvider: string | null;
  loanPurpose: string | null;
  loanAmount: number | null;
  state: string | null;
  failureReason: string | null;
  createDate: string;
  status: 'new' | 'distributing' | 'assigned' | 'exception';
  ignored: boolean;
  ignoredAt: string | null;
}

export interface LdpNumber {
  id: string;
  number: string;
  areaCodes: string[];
  mappings: { id: string; areaCode: string }[];
  createdAt: string;
}

export interface InventorySummary {
  areaCodes: { areaCode: string; free: number; assigned: number }[];
  free: number;
  assigned: number;
}

export interface CallActivityRow {
  id: string;
  prospectId: string | null;
  direction: string;
  purpose: string;
  from: string | null;
  to: string | null;
  by: { id: string; name: string } | null;
  startedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  ringSeconds: number | null;
  talkSeconds: number | null;
  result: string;
  recording: string | null;
  recordingUrl: string | null;
  callerIdReason: string | null;
}

/** The Action Post answer (Insellerate's envelope). */
export interface ActionPostEnvelope {
  StatusCode: 0 | 1 | 2;
  Data: { ProspectId: string | null; ApplicationId: string | null; Errors?: { field: string; message: string }[] } | null;
  Message: string;
  ResponseDate: string;
}
