import { User } from '../database/entities';
import type { SipAccountView, UserView } from '@leadline/contracts';
export type { SipAccountView, UserView };

export function toUserView(u: User): UserView {
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    role: u.role,
    workPhoneType: u.workPhoneType ?? null,
    workPhone: u.workPhone ?? null,
    sipUsername: u.sipUsername ?? null,
    extension: u.extension ?? null,
    callerId: u.callerId ?? null,
    stateLicences: u.stateLicences,
    filterLoanPurposes: u.filterLoanPurposes,
    filterLoanAmountMin: u.filterLoanAmountMin ?? null,
    filterLoanAmountMax: u.filterLoanAmountMax ?? null,
    filterLeadProviders: u.filterLeadProviders,
    callsOn: u.callsOn,
    loggedIn: u.loggedIn,
    showIncomingCallDetails: u.showIncomingCallDetails,
    onCall: !!u.onCallSince,
    createdAt: u.createdAt.toISOString(),
  };
}
