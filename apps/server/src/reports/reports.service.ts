import { Injectable } from '@nestjs/common';
import { agentFigures, dayList, localDayOf, localPresenceFigures, outcomeFigures, ReportDay, ReportFilter, speedFigures } from '@leadline/domain';
import type { AgentReportView, LocalPresenceReportView, OutcomeReportView, ReportPeriodView, SpeedReportView } from '@leadline/contracts';
import { AuthUser } from '../auth/auth-user';
import { Clock } from '../common/clock';
import { validationFailed } from '../common/domain-error';
import { ReportDaysService } from './report-days.service';
import { reportFilter, reportPeriod, ReportRequest } from './report-query.util';
import { ReportRepository } from './report.repository';

/** The reports (docs/reports.md): the org's stored days of the period, added up under the filter. */
@Injectable()
export class ReportsService {
  constructor(
    private readonly days: ReportDaysService,
    private readonly repo: ReportRepository,
    private readonly clock: Clock,
  ) {}

  async speed(me: AuthUser, q: ReportRequest): Promise<SpeedReportView> {
    const { period, filter, days } = await this.scope(me, q);
    return { period, ...speedFigures(days, filter) };
  }

  async outcomes(me: AuthUser, q: ReportRequest): Promise<OutcomeReportView> {
    const { period, filter, days } = await this.scope(me, q);
    return { period, ...outcomeFigures(days, filter) };
  }

  async agents(me: AuthUser, q: ReportRequest): Promise<AgentReportView> {
    const { period, filter, days } = await this.scope(me, q);
    return { period, agents: agentFigures(days, filter, await this.repo.userNames(me.orgId)) };
  }

  async localPresence(me: AuthUser, q: ReportRequest): Promise<LocalPresenceReportView> {
    const { period, filter, days } = await this.scope(me, q);
    return { period, ...localPresenceFigures(days, filter) };
  }

  private async scope(me: AuthUser, q: ReportRequest): Promise<{ period: ReportPeriodView; filter: ReportFilter; days: ReportDay[] }> {
    const timeZone = (await this.repo.orgTimeZone(me.orgId)) ?? 'UTC';
    const { period, errors } = reportPeriod(q, localDayOf(timeZone, this.clock.now()));
    if (errors.length) throw validationFailed(errors);
    const groupCampaigns = q.groupId?.length ? await this.repo.campaignsOfGroups(me.orgId, q.groupId) : null;
    const days = await this.days.days(me.orgId, period.from, period.to, timeZone);
    // Every day of the period, also those without a stored row (nothing happened): trends show zeros.
    const byDay = new Map(days.map((d) => [d.day, d]));
    const all = dayList(period.from, period.to).map((day) => byDay.get(day) ?? { day, doc: { leads: [], calls: [], ldp: [] } });
    return { period: { ...period, timeZone }, filter: reportFilter(q, groupCampaigns), days: all };
  }
}
