import type { EligibilityAgent } from '@leadline/domain';
import type { User } from '../database/entities';

/** The eligibility view of a user (ring all, Distribute All, inbound routing). */
export function toEligibilityAgent(
  u: Pick<User, 'id' | 'loggedIn' | 'callsOn' | 'onCallSince' | 'stateLicences' | 'filterLoanPurposes' | 'filterLoanAmountMin' | 'filterLoanAmountMax' | 'filterLeadProviders' | 'lastCallEndedAt'>,
  reachable: boolean,
): EligibilityAgent {
  return {
    id: u.id,
    loggedIn: u.loggedIn,
    callsOn: u.callsOn,
    onCall: !!u.onCallSince,
    stateLicences: u.stateLicences,
    filters: { loanPurposes: u.filterLoanPurposes, loanAmountMin: u.filterLoanAmountMin, loanAmountMax: u.filterLoanAmountMax, leadProviders: u.filterLeadProviders },
    lastCallEndedAt: u.lastCallEndedAt ?? null,
    reachable,
  };
}
