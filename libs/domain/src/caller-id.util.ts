import { areaCodeOf } from './phone.util';

// The caller ID a borrower sees (PRODUCT.md §4): a local dial presence number for the borrower's
// area code; else the agent's own caller ID; else the org number. Pure: usage counts are passed in.

export interface LocalPresenceCandidate {
  number: string;
  areaCodes: string[];
  /** Calls placed from this number today: the least used one is chosen, so none gets flagged as spam. */
  usedToday: number;
}

export type CallerIdReason = 'local_presence' | 'agent_caller_id' | 'org_number' | 'emergency_caller_id' | 'none';

export interface CallerIdChoice {
  number: string | null;
  reason: CallerIdReason;
}

export function chooseBorrowerCallerId(input: {
  borrowerPhone: string;
  localPresence: LocalPresenceCandidate[];
  agentCallerId?: string | null;
  orgNumber?: string | null;
}): CallerIdChoice {
  const area = areaCodeOf(input.borrowerPhone);
  if (area) {
    const local = input.localPresence
      .filter((c) => c.areaCodes.includes(area))
      .sort((a, b) => a.usedToday - b.usedToday || a.number.localeCompare(b.number))[0];
    if (local) return { number: local.number, reason: 'local_presence' };
  }
  if (input.agentCallerId) return { number: input.agentCallerId, reason: 'agent_caller_id' };
  if (input.orgNumber) return { number: input.orgNumber, reason: 'org_number' };
  return { number: null, reason: 'none' };
}

/**
 * The caller ID of a 911 call: the number registered with the office's address (the org's
 * emergency caller ID), else the org number — never a local presence number or an agent's own
 * number, which would send the dispatcher to the wrong place.
 */
export function chooseEmergencyCallerId(input: { emergencyCallerId: string | null; orgNumber: string | null }): CallerIdChoice {
  if (input.emergencyCallerId) return { number: input.emergencyCallerId, reason: 'emergency_caller_id' };
  if (input.orgNumber) return { number: input.orgNumber, reason: 'org_number' };
  return { number: null, reason: 'none' };
}
