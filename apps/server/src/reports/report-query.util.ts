// Pure rules for a report request: which days it covers (in the org's time zone) and which cells
// count. No Nest, no I/O: `today` and the group's campaigns are passed in.
import { addDays, daysBetween, isLocalDay, LocalDay, ReportFilter } from '@leadline/domain';
import type { FieldError } from '../common/domain-error';

/** Days a report covers when the request names no `from`: the last 30, today included. */
export const DEFAULT_PERIOD_DAYS = 30;
/** Longest period one request may ask for (ten years). */
export const MAX_PERIOD_DAYS = 3_660;

export interface ReportRequest {
  from?: string;
  to?: string;
  campaignId?: string[];
  leadProvider?: string[];
  groupId?: string[];
  agentId?: string[];
}

export function reportPeriod(q: Pick<ReportRequest, 'from' | 'to'>, today: LocalDay): { period: { from: LocalDay; to: LocalDay }; errors: FieldError[] } {
  const errors: FieldError[] = [];
  for (const field of ['from', 'to'] as const) {
    const v = q[field];
    if (v !== undefined && !isLocalDay(v)) errors.push({ field, message: 'must be a calendar date, YYYY-MM-DD (a day in the org\'s time zone)' });
  }
  const to = q.to !== undefined && isLocalDay(q.to) ? q.to : today;
  const from = q.from !== undefined && isLocalDay(q.from) ? q.from : addDays(to, -(DEFAULT_PERIOD_DAYS - 1));
  if (!errors.length && daysBetween(from, to) < 0) errors.push({ field: 'from', message: 'must not be after to' });
  if (!errors.length && daysBetween(from, to) >= MAX_PERIOD_DAYS) errors.push({ field: 'from', message: `the period may span at most ${MAX_PERIOD_DAYS} days` });
  return { period: { from, to }, errors };
}

/**
 * The cells a request keeps. A distribution group stands for the campaigns that distribute to it
 * now; with campaigns too, only those of the group count.
 */
export function reportFilter(q: ReportRequest, groupCampaigns: readonly string[] | null): ReportFilter {
  let campaigns = q.campaignId?.length ? new Set(q.campaignId) : undefined;
  if (groupCampaigns) campaigns = new Set(groupCampaigns.filter((c) => !campaigns || campaigns.has(c)));
  return {
    ...(campaigns ? { campaignIds: campaigns } : {}),
    ...(q.leadProvider?.length ? { leadProviders: new Set(q.leadProvider) } : {}),
    ...(q.agentId?.length ? { agentIds: new Set(q.agentId) } : {}),
  };
}
