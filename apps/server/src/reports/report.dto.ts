// The report requests and, for OpenAPI, the shapes of their answers (each class implements the
// row type libs/domain computes, so the documentation cannot drift from the data).
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LEAD_OUTCOMES, SPEED_STAGES } from '@leadline/domain';
import type { AgentRow, CallerIdAreaRow, CallerIdDayRow, CallerIdNumberRow, LeadOutcome, OutcomeRow, SpeedHistogramRow, SpeedStage, SpeedStageRow, SpeedTrendRow } from '@leadline/domain';
import type { ReportPeriodView } from '@leadline/contracts';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { MAX_LIST_LENGTH, toList } from '../lead-exceptions/lead-filter.util';
import type { ReportRequest } from './report-query.util';

export const REPORT_FORMATS = ['json', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const list = ({ value }: { value: unknown }) => toList(value);
const LIST = `Repeat the parameter or separate values with commas; at most ${MAX_LIST_LENGTH}`;

export class ReportQueryDto implements ReportRequest {
  @ApiPropertyOptional({ description: "First day, YYYY-MM-DD in the org's time zone (default: 29 days before `to`)", example: '2025-03-01' })
  @IsOptional() @IsString() @MaxLength(10)
  from?: string;

  @ApiPropertyOptional({ description: "Last day, included (default: today in the org's time zone)", example: '2025-03-31' })
  @IsOptional() @IsString() @MaxLength(10)
  to?: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: `Campaigns. ${LIST}` })
  @IsOptional() @Transform(list) @IsArray() @ArrayMaxSize(MAX_LIST_LENGTH) @IsUUID('4', { each: true })
  campaignId?: string[];

  @ApiPropertyOptional({ type: [String], description: `Lead providers, matched exactly (repeat the parameter: commas are part of a name); at most ${MAX_LIST_LENGTH}` })
  @IsOptional() @Transform(({ value }: { value: unknown }) => toList(value, { splitCommas: false })) @IsArray() @ArrayMaxSize(MAX_LIST_LENGTH) @IsString({ each: true }) @MaxLength(100, { each: true })
  leadProvider?: string[];

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: `Distribution groups: the campaigns that distribute to them now. ${LIST}` })
  @IsOptional() @Transform(list) @IsArray() @ArrayMaxSize(MAX_LIST_LENGTH) @IsUUID('4', { each: true })
  groupId?: string[];

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: `Agents: leads they took or were given, legs they were on. ${LIST}` })
  @IsOptional() @Transform(list) @IsArray() @ArrayMaxSize(MAX_LIST_LENGTH) @IsUUID('4', { each: true })
  agentId?: string[];
}

export class FigureQueryDto extends ReportQueryDto {
  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'json', description: 'csv: the rows as a CSV file (RFC 4180, header row)' })
  @IsOptional() @IsIn(REPORT_FORMATS)
  format?: ReportFormat;
}

// ---- answers, for OpenAPI ----

const ms = (description: string) => ({ type: Number, nullable: true, description: `${description}, in milliseconds; null without leads` });

export class ReportPeriodDto implements ReportPeriodView {
  @ApiProperty({ example: '2025-03-01' }) from!: string;
  @ApiProperty({ example: '2025-03-31' }) to!: string;
  @ApiProperty({ example: 'America/New_York' }) timeZone!: string;
}

export class SpeedStageRowDto implements SpeedStageRow {
  @ApiProperty({ enum: SPEED_STAGES }) stage!: SpeedStage;
  @ApiProperty({ description: 'Leads that reached the stage' }) leads!: number;
  @ApiProperty(ms('Median from accepted to the stage')) p50Ms!: number | null;
  @ApiProperty(ms('90th percentile')) p90Ms!: number | null;
  @ApiProperty(ms('99th percentile')) p99Ms!: number | null;
}

export class SpeedHistogramRowDto implements SpeedHistogramRow {
  @ApiProperty({ example: '1–2 s' }) bin!: string;
  @ApiProperty({ description: 'Lower edge, ms (included)' }) fromMs!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Upper edge, ms (excluded); null for the last bin' }) toMs!: number | null;
  @ApiProperty({ description: 'Leads first rung within the bin' }) firstRing!: number;
  @ApiProperty({ description: 'Leads taken within the bin' }) taken!: number;
  @ApiProperty({ description: 'Leads whose borrower answered within the bin' }) borrowerAnswered!: number;
}

class SpeedTrendDto implements SpeedTrendRow {
  @ApiProperty({ description: 'Leads accepted' }) leads!: number;
  @ApiProperty() firstRing!: number;
  @ApiProperty(ms('Median to first ring')) firstRingP50Ms!: number | null;
  @ApiProperty(ms('90th percentile to first ring')) firstRingP90Ms!: number | null;
  @ApiProperty() taken!: number;
  @ApiProperty(ms('Median to taken')) takenP50Ms!: number | null;
  @ApiProperty(ms('90th percentile to taken')) takenP90Ms!: number | null;
  @ApiProperty() borrowerAnswered!: number;
  @ApiProperty(ms('Median to borrower answered')) borrowerAnsweredP50Ms!: number | null;
  @ApiProperty(ms('90th percentile to borrower answered')) borrowerAnsweredP90Ms!: number | null;
}

export class SpeedDayRowDto extends SpeedTrendDto {
  @ApiProperty({ example: '2025-03-01' }) day!: string;
}

export class SpeedHourRowDto extends SpeedTrendDto {
  @ApiProperty({ minimum: 0, maximum: 23, description: "Hour of the day the leads were accepted, in the org's time zone" }) hour!: number;
}

export class SpeedReportDto {
  @ApiProperty({ type: ReportPeriodDto }) period!: ReportPeriodDto;
  @ApiProperty({ type: [SpeedStageRowDto] }) stages!: SpeedStageRowDto[];
  @ApiProperty({ type: [SpeedHistogramRowDto] }) histogram!: SpeedHistogramRowDto[];
  @ApiProperty({ type: [SpeedDayRowDto] }) byDay!: SpeedDayRowDto[];
  @ApiProperty({ type: [SpeedHourRowDto] }) byHour!: SpeedHourRowDto[];
}

export class OutcomeRowDto implements OutcomeRow {
  @ApiProperty({ enum: LEAD_OUTCOMES }) outcome!: LeadOutcome;
  @ApiProperty() leads!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Share of the period’s leads, 0–1' }) share!: number | null;
}

export class OutcomeDayRowDto {
  @ApiProperty({ example: '2025-03-01' }) day!: string;
  @ApiProperty() leads!: number;
  @ApiProperty({ description: 'Leads whose borrower answered' }) reached!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'reached ÷ leads' }) contactRate!: number | null;
  @ApiProperty() ring_all!: number;
  @ApiProperty() distribute_all!: number;
  @ApiProperty() manual!: number;
  @ApiProperty() default_agent!: number;
  @ApiProperty() no_available_agents!: number;
  @ApiProperty() no_agents_answered!: number;
  @ApiProperty() no_agents_clicked!: number;
  @ApiProperty() fatal_error!: number;
  @ApiProperty({ description: 'Not taken and no exception yet (new, distributing)' }) open!: number;
}

export class OutcomeReportDto {
  @ApiProperty({ type: ReportPeriodDto }) period!: ReportPeriodDto;
  @ApiProperty() leads!: number;
  @ApiProperty() reached!: number;
  @ApiProperty({ type: Number, nullable: true }) contactRate!: number | null;
  @ApiProperty({ type: [OutcomeRowDto] }) outcomes!: OutcomeRowDto[];
  @ApiProperty({ type: [OutcomeDayRowDto] }) byDay!: OutcomeDayRowDto[];
}

export class AgentRowDto implements AgentRow {
  @ApiProperty({ format: 'uuid' }) agentId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'Leads accepted in the period that the agent took or was given' }) leads!: number;
  @ApiProperty({ description: 'Ring All legs that rang the agent' }) offered!: number;
  @ApiProperty() answered!: number;
  @ApiProperty({ description: 'Rounds won (pressed 1 first)' }) won!: number;
  @ApiProperty({ description: 'Rang out: no answer, busy, rejected, failed' }) missed!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'answered ÷ offered' }) answerRate!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Mean ring time before answering, ms' }) avgAnswerMs!: number | null;
  @ApiProperty() inboundOffered!: number;
  @ApiProperty() inboundAnswered!: number;
  @ApiProperty({ description: 'Click-to-call and dial-mode calls placed' }) outboundCalls!: number;
  @ApiProperty({ description: 'Talk time with borrowers, seconds' }) talkSeconds!: number;
}

export class AgentReportDto {
  @ApiProperty({ type: ReportPeriodDto }) period!: ReportPeriodDto;
  @ApiProperty({ type: [AgentRowDto] }) agents!: AgentRowDto[];
}

export class CallerIdNumberRowDto implements CallerIdNumberRow {
  @ApiProperty({ example: '+15125550101' }) number!: string;
  @ApiProperty({ example: 'local_presence', description: 'Why the number was shown: local_presence, agent_caller_id, org_number' }) reason!: string;
  @ApiProperty() calls!: number;
  @ApiProperty() answered!: number;
  @ApiProperty({ type: Number, nullable: true }) answerRate!: number | null;
  @ApiProperty() talkSeconds!: number;
  @ApiProperty({ description: 'Calls in the last 7 days of the period' }) recentCalls!: number;
  @ApiProperty({ type: Number, nullable: true }) recentAnswerRate!: number | null;
  @ApiProperty({ description: 'Calls before the last 7 days' }) earlierCalls!: number;
  @ApiProperty({ type: Number, nullable: true }) earlierAnswerRate!: number | null;
  @ApiProperty({ description: 'Answered less than half as often lately as before (10+ calls on each side)' }) dropped!: boolean;
}

export class CallerIdAreaRowDto implements CallerIdAreaRow {
  @ApiProperty() number!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ example: '512', description: "The borrower's area code" }) areaCode!: string;
  @ApiProperty() calls!: number;
  @ApiProperty() answered!: number;
  @ApiProperty({ type: Number, nullable: true }) answerRate!: number | null;
}

export class CallerIdDayRowDto implements CallerIdDayRow {
  @ApiProperty() day!: string;
  @ApiProperty() number!: string;
  @ApiProperty() calls!: number;
  @ApiProperty() answered!: number;
  @ApiProperty({ type: Number, nullable: true }) answerRate!: number | null;
}

export class LocalPresenceReportDto {
  @ApiProperty({ type: ReportPeriodDto }) period!: ReportPeriodDto;
  @ApiProperty({ type: [CallerIdNumberRowDto] }) numbers!: CallerIdNumberRowDto[];
  @ApiProperty({ type: [CallerIdAreaRowDto] }) areaCodes!: CallerIdAreaRowDto[];
  @ApiProperty({ type: [CallerIdDayRowDto] }) byDay!: CallerIdDayRowDto[];
}
