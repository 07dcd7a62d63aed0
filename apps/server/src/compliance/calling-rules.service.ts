import { Injectable } from '@nestjs/common';
import { borrowerTimeZones, callingRuleFor, CallingRulesDecision, CallingWindow, checkCallingRules } from '@leadline/domain';
import { CallingRulesRepository } from './calling-rules.repository';

/** A borrower about to get an automatic call. */
export interface CallingRulesQuery {
  orgId: string;
  propertyState: string | null | undefined;
  phone: string;
  campaignWindow: CallingWindow;
  now: Date;
}

/**
 * State calling rules (docs/compliance.md) for the server: libs/domain decides, this reads the
 * calls the number already got (only for states with a cap: the query is skipped for the others).
 */
@Injectable()
export class CallingRulesService {
  constructor(private readonly repo: CallingRulesRepository) {}

  async check(q: CallingRulesQuery): Promise<CallingRulesDecision> {
    const zones = borrowerTimeZones({ propertyState: q.propertyState, phone: q.phone });
    const cap = callingRuleFor(zones).row.maxCalls;
    const recentCalls = cap ? await this.repo.callStartsTo(q.orgId, q.phone, new Date(q.now.getTime() - cap.hours * 3_600_000)) : [];
    return checkCallingRules({ zones, campaignWindow: q.campaignWindow, recentCalls, now: q.now });
  }
}
