import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DISTRIBUTION_TYPES, DistributionType, FAILURE_REASONS, FailureReason, LOAN_PURPOSES, LoanPurpose, US_STATES } from '@leadline/domain';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsNumber, IsOptional, IsString, IsUUID, Max, MaxLength } from 'class-validator';
import { IsDateTimeInput } from '../common/is-date-time-input.validator';
import { PageQueryDto } from '../users/user.dto';
import {
  LEAD_SORT_KEYS,
  LeadSortKey,
  MAX_LIST_LENGTH,
  SORT_ORDERS,
  SortOrder,
  toList,
  toOptionalBoolean,
  toOptionalNumber,
  UNASSIGNED_STATUSES,
  UnassignedStatus,
} from './lead-filter.util';

const FAILURE_REASON_VALUES = Object.values(FAILURE_REASONS);
const LIST = `Repeat the parameter or separate values with commas; at most ${MAX_LIST_LENGTH}`;

const list = ({ value }: { value: unknown }) => toList(value);
const number = ({ value }: { value: unknown }) => toOptionalNumber(value);
const finite = { allowNaN: false, allowInfinity: false };

/** The column filters both lead lists share, plus paging. */
export class LeadFilterQueryDto extends PageQueryDto {
  // A page number this large already lies past any data; bigger ones overflow SQLite's OFFSET.
  @ApiPropertyOptional({ default: 1, maximum: 1_000_000 }) @Max(1_000_000)
  override page: number = 1;

  @ApiPropertyOptional({ description: 'Prospect name (first + last) contains; case-insensitive' })
  @IsOptional() @IsString() @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ description: "The campaign's description contains; case-insensitive" })
  @IsOptional() @IsString() @MaxLength(200)
  description?: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: `Campaign ids. ${LIST}` })
  @IsOptional() @Transform(list) @IsArray() @ArrayMaxSize(MAX_LIST_LENGTH) @IsUUID('4', { each: true })
  campaignId?: string[];

  @ApiPropertyOptional({ enum: DISTRIBUTION_TYPES, isArray: true, description: `The campaign's distribution type. ${LIST}` })
  @IsOptional() @Transform(list) @IsArray() @ArrayMaxSize(MAX_LIST_LENGTH) @IsIn(DISTRIBUTION_TYPES, { each: true })
  distribution?: DistributionType[];

  @ApiPropertyOptional({ type: [String], description: `Lead providers, matched exactly. Repeat the parameter (commas are part of a provider's name); at most ${MAX_LIST_LENGTH}` })
  @IsOptional() @Transform(({ value }: { value: unknown }) => toList(value, { splitCommas: false })) @IsArray() @ArrayMaxSize(MAX_LIST_LENGTH) @IsString({ each: true }) @MaxLength(100, { each: true })
  leadProvider?: string[];

  @ApiPropertyOptional({ enum: LOAN_PURPOSES, isArray: true, description: LIST })
  @IsOptional() @Transform(list) @IsArray() @ArrayMaxSize(MAX_LIST_LENGTH) @IsIn(LOAN_PURPOSES, { each: true })
  loanPurpose?: LoanPurpose[];

  @ApiPropertyOptional({ enum: US_STATES, isArray: true, description: `Property states (any case). ${LIST}` })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => {
    const items = toList(value);
    return Array.isArray(items) ? items.map((s: string) => s.toUpperCase()) : items;
  })
  @IsArray() @ArrayMaxSize(MAX_LIST_LENGTH) @IsIn(US_STATES, { each: true })
  state?: string[];

  @ApiPropertyOptional({ enum: FAILURE_REASON_VALUES, isArray: true, description: LIST })
  @IsOptional() @Transform(list) @IsArray() @ArrayMaxSize(MAX_LIST_LENGTH) @IsIn(FAILURE_REASON_VALUES, { each: true })
  failureReason?: FailureReason[];

  @ApiPropertyOptional({ description: 'Loan amount at least' })
  @IsOptional() @Transform(number) @IsNumber(finite)
  loanAmountMin?: number;

  @ApiPropertyOptional({ description: 'Loan amount at most' })
  @IsOptional() @Transform(number) @IsNumber(finite)
  loanAmountMax?: number;

  @ApiPropertyOptional({ description: "Created at or after (ISO 8601 date or date-time; without a zone, the org's time zone)", example: '2025-03-01T09:00' })
  @IsOptional() @IsDateTimeInput()
  createdFrom?: string;

  @ApiPropertyOptional({ description: "Created at or before (ISO 8601; without a zone, the org's time zone; a date alone includes that whole day)", example: '2025-03-01' })
  @IsOptional() @IsDateTimeInput()
  createdTo?: string;
}

export class LeadExceptionQueryDto extends LeadFilterQueryDto {
  @ApiPropertyOptional({ enum: LEAD_SORT_KEYS, default: 'createDate' })
  @IsOptional() @IsIn(LEAD_SORT_KEYS)
  sort?: LeadSortKey;

  @ApiPropertyOptional({ enum: SORT_ORDERS, default: 'desc' })
  @IsOptional() @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value)) @IsIn(SORT_ORDERS)
  order?: SortOrder;

  @ApiPropertyOptional({ default: false, description: 'Also list ignored lead exceptions, after all the others' })
  @IsOptional() @Transform(({ value }: { value: unknown }) => toOptionalBoolean(value)) @IsBoolean()
  showIgnored?: boolean;
}

export class UnassignedLeadQueryDto extends LeadFilterQueryDto {
  @ApiPropertyOptional({ enum: UNASSIGNED_STATUSES, isArray: true, description: LIST })
  @IsOptional() @Transform(list) @IsArray() @ArrayMaxSize(MAX_LIST_LENGTH) @IsIn(UNASSIGNED_STATUSES, { each: true })
  status?: UnassignedStatus[];
}

export class AssignLeadExceptionDto {
  @ApiProperty({ format: 'uuid', description: 'Any user of the org' }) @IsUUID('4')
  userId!: string;
}
