import { Controller, Get, Header, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { AgentRow, CallerIdAreaRow, CallerIdDayRow, CallerIdNumberRow, OutcomeDayRow, OutcomeRow, SpeedHistogramRow, SpeedStageRow, SpeedTrendRow } from '@leadline/domain';
import { LEAD_OUTCOMES } from '@leadline/domain';
import type { AgentReportView, LocalPresenceReportView, OutcomeReportView, ReportPeriodView, SpeedReportView } from '@leadline/contracts';
import type { Response } from 'express';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Roles } from '../auth/roles.decorator';
import { toCsv } from '../common/csv';
import {
  AgentReportDto,
  AgentRowDto,
  CallerIdAreaRowDto,
  CallerIdDayRowDto,
  CallerIdNumberRowDto,
  FigureQueryDto,
  LocalPresenceReportDto,
  OutcomeDayRowDto,
  OutcomeReportDto,
  OutcomeRowDto,
  ReportQueryDto,
  SpeedDayRowDto,
  SpeedHistogramRowDto,
  SpeedHourRowDto,
  SpeedReportDto,
  SpeedStageRowDto,
} from './report.dto';
import { ReportsService } from './reports.service';

// The columns of each figure's CSV file, in order.
const TREND: (keyof SpeedTrendRow)[] = ['leads', 'firstRing', 'firstRingP50Ms', 'firstRingP90Ms', 'taken', 'takenP50Ms', 'takenP90Ms', 'borrowerAnswered', 'borrowerAnsweredP50Ms', 'borrowerAnsweredP90Ms'];
const COLUMNS = {
  stages: ['stage', 'leads', 'p50Ms', 'p90Ms', 'p99Ms'] as (keyof SpeedStageRow)[],
  histogram: ['bin', 'fromMs', 'toMs', 'firstRing', 'taken', 'borrowerAnswered'] as (keyof SpeedHistogramRow)[],
  speedByDay: ['day', ...TREND] as (keyof (SpeedTrendRow & { day: string }))[],
  speedByHour: ['hour', ...TREND] as (keyof (SpeedTrendRow & { hour: number }))[],
  outcomes: ['outcome', 'leads', 'share'] as (keyof OutcomeRow)[],
  outcomesByDay: ['day', 'leads', 'reached', 'contactRate', ...LEAD_OUTCOMES] as (keyof OutcomeDayRow)[],
  agents: ['agentId', 'name', 'leads', 'offered', 'answered', 'won', 'missed', 'answerRate', 'avgAnswerMs', 'inboundOffered', 'inboundAnswered', 'outboundCalls', 'talkSeconds'] as (keyof AgentRow)[],
  numbers: ['number', 'reason', 'calls', 'answered', 'answerRate', 'talkSeconds', 'recentCalls', 'recentAnswerRate', 'earlierCalls', 'earlierAnswerRate', 'dropped'] as (keyof CallerIdNumberRow)[],
  areaCodes: ['number', 'reason', 'areaCode', 'calls', 'answered', 'answerRate'] as (keyof CallerIdAreaRow)[],
  ldpByDay: ['day', 'number', 'calls', 'answered', 'answerRate'] as (keyof CallerIdDayRow)[],
};

const CSV_NOTE = 'format=csv answers the same rows as a CSV file (text/csv, RFC 4180, header row).';

/** JSON rows, or with format=csv the same rows as a CSV download named after the figure and period. */
function figure<T extends object>(res: Response, q: FigureQueryDto, name: string, period: ReportPeriodView, rows: T[], columns: (keyof T & string)[]): T[] | string {
  if (q.format !== 'csv') return rows;
  res.type('text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${name}_${period.from}_${period.to}.csv"`);
  return toCsv(rows, columns);
}

@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
@Roles('admin', 'manager')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  // ---- speed to lead ----

  @Get('speed-to-lead')
  @ApiOperation({ summary: 'Speed to lead: percentiles per stage, histogram, by day, by hour of day' })
  @ApiOkResponse({ type: SpeedReportDto })
  speed(@CurrentUser() me: AuthUser, @Query() q: ReportQueryDto): Promise<SpeedReportView> {
    return this.reports.speed(me, q);
  }

  @Get('speed-to-lead/stages')
  @ApiOperation({ summary: `Speed to lead per stage (p50, p90, p99). ${CSV_NOTE}` })
  @ApiOkResponse({ type: [SpeedStageRowDto] })
  @ApiProduces('application/json', 'text/csv')
  @Header('Cache-Control', 'private, no-store')
  async speedStages(@CurrentUser() me: AuthUser, @Query() q: FigureQueryDto, @Res({ passthrough: true }) res: Response) {
    const r = await this.reports.speed(me, q);
    return figure(res, q, 'speed-to-lead-stages', r.period, r.stages, COLUMNS.stages);
  }

  @Get('speed-to-lead/histogram')
  @ApiOperation({ summary: `Speed to lead: leads per delay bin and stage. ${CSV_NOTE}` })
  @ApiOkResponse({ type: [SpeedHistogramRowDto] })
  @ApiProduces('application/json', 'text/csv')
  @Header('Cache-Control', 'private, no-store')
  async speedHistogram(@CurrentUser() me: AuthUser, @Query() q: FigureQueryDto, @Res({ passthrough: true }) res: Response) {
    const r = await this.reports.speed(me, q);
    return figure(res, q, 'speed-to-lead-histogram', r.period, r.histogram, COLUMNS.histogram);
  }

  @Get('speed-to-lead/by-day')
  @ApiOperation({ summary: `Speed to lead per day. ${CSV_NOTE}` })
  @ApiOkResponse({ type: [SpeedDayRowDto] })
  @ApiProduces('application/json', 'text/csv')
  @Header('Cache-Control', 'private, no-store')
  async speedByDay(@CurrentUser() me: AuthUser, @Query() q: FigureQueryDto, @Res({ passthrough: true }) res: Response) {
    const r = await this.reports.speed(me, q);
    return figure(res, q, 'speed-to-lead-by-day', r.period, r.byDay, COLUMNS.speedByDay);
  }

  @Get('speed-to-lead/by-hour')
  @ApiOperation({ summary: `Speed to lead per hour of the day the leads were accepted. ${CSV_NOTE}` })
  @ApiOkResponse({ type: [SpeedHourRowDto] })
  @ApiProduces('application/json', 'text/csv')
  @Header('Cache-Control', 'private, no-store')
  async speedByHour(@CurrentUser() me: AuthUser, @Query() q: FigureQueryDto, @Res({ passthrough: true }) res: Response) {
    const r = await this.reports.speed(me, q);
    return figure(res, q, 'speed-to-lead-by-hour', r.period, r.byHour, COLUMNS.speedByHour);
  }

  // ---- outcomes ----

  @Get('outcomes')
  @ApiOperation({ summary: 'Leads by outcome, contact rate, by day' })
  @ApiOkResponse({ type: OutcomeReportDto })
  outcomes(@CurrentUser() me: AuthUser, @Query() q: ReportQueryDto): Promise<OutcomeReportView> {
    return this.reports.outcomes(me, q);
  }

  @Get('outcomes/summary')
  @ApiOperation({ summary: `Leads per outcome. ${CSV_NOTE}` })
  @ApiOkResponse({ type: [OutcomeRowDto] })
  @ApiProduces('application/json', 'text/csv')
  @Header('Cache-Control', 'private, no-store')
  async outcomeSummary(@CurrentUser() me: AuthUser, @Query() q: FigureQueryDto, @Res({ passthrough: true }) res: Response) {
    const r = await this.reports.outcomes(me, q);
    return figure(res, q, 'outcomes', r.period, r.outcomes, COLUMNS.outcomes);
  }

  @Get('outcomes/by-day')
  @ApiOperation({ summary: `Leads per outcome and contact rate, per day. ${CSV_NOTE}` })
  @ApiOkResponse({ type: [OutcomeDayRowDto] })
  @ApiProduces('application/json', 'text/csv')
  @Header('Cache-Control', 'private, no-store')
  async outcomeByDay(@CurrentUser() me: AuthUser, @Query() q: FigureQueryDto, @Res({ passthrough: true }) res: Response) {
    const r = await this.reports.outcomes(me, q);
    return figure(res, q, 'outcomes-by-day', r.period, r.byDay, COLUMNS.outcomesByDay);
  }

  // ---- agents ----

  @Get('agents')
  @ApiOperation({ summary: 'Per agent: Ring All rounds offered, answered, won, missed; answer time, inbound, outbound calls, talk time' })
  @ApiOkResponse({ type: AgentReportDto })
  agents(@CurrentUser() me: AuthUser, @Query() q: ReportQueryDto): Promise<AgentReportView> {
    return this.reports.agents(me, q);
  }

  @Get('agents/rows')
  @ApiOperation({ summary: `The agents report's rows. ${CSV_NOTE}` })
  @ApiOkResponse({ type: [AgentRowDto] })
  @ApiProduces('application/json', 'text/csv')
  @Header('Cache-Control', 'private, no-store')
  async agentRows(@CurrentUser() me: AuthUser, @Query() q: FigureQueryDto, @Res({ passthrough: true }) res: Response) {
    const r = await this.reports.agents(me, q);
    return figure(res, q, 'agents', r.period, r.agents, COLUMNS.agents);
  }

  // ---- Local Dial Presence ----

  @Get('local-presence')
  @ApiOperation({ summary: 'Outbound borrower calls per caller ID number and area code, answer rates, by day' })
  @ApiOkResponse({ type: LocalPresenceReportDto })
  localPresence(@CurrentUser() me: AuthUser, @Query() q: ReportQueryDto): Promise<LocalPresenceReportView> {
    return this.reports.localPresence(me, q);
  }

  @Get('local-presence/numbers')
  @ApiOperation({ summary: `Per caller ID number: calls, answer rate, lately and before. ${CSV_NOTE}` })
  @ApiOkResponse({ type: [CallerIdNumberRowDto] })
  @ApiProduces('application/json', 'text/csv')
  @Header('Cache-Control', 'private, no-store')
  async numbers(@CurrentUser() me: AuthUser, @Query() q: FigureQueryDto, @Res({ passthrough: true }) res: Response) {
    const r = await this.reports.localPresence(me, q);
    return figure(res, q, 'caller-id-numbers', r.period, r.numbers, COLUMNS.numbers);
  }

  @Get('local-presence/area-codes')
  @ApiOperation({ summary: `Per caller ID number and the borrower's area code. ${CSV_NOTE}` })
  @ApiOkResponse({ type: [CallerIdAreaRowDto] })
  @ApiProduces('application/json', 'text/csv')
  @Header('Cache-Control', 'private, no-store')
  async areaCodes(@CurrentUser() me: AuthUser, @Query() q: FigureQueryDto, @Res({ passthrough: true }) res: Response) {
    const r = await this.reports.localPresence(me, q);
    return figure(res, q, 'caller-id-area-codes', r.period, r.areaCodes, COLUMNS.areaCodes);
  }

  @Get('local-presence/by-day')
  @ApiOperation({ summary: `Per caller ID number and day. ${CSV_NOTE}` })
  @ApiOkResponse({ type: [CallerIdDayRowDto] })
  @ApiProduces('application/json', 'text/csv')
  @Header('Cache-Control', 'private, no-store')
  async ldpByDay(@CurrentUser() me: AuthUser, @Query() q: FigureQueryDto, @Res({ passthrough: true }) res: Response) {
    const r = await this.reports.localPresence(me, q);
    return figure(res, q, 'caller-id-by-day', r.period, r.byDay, COLUMNS.ldpByDay);
  }
}
