import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsDateTimeInput } from '../common/is-date-time-input.validator';
import { IsPhone } from '../common/is-phone.validator';
import {
  CALL_ACTIVITY_SORTS,
  CallActivityQuery,
  CallActivitySort,
  MAX_TALK_SECONDS,
  PHONE_SEARCH_PATTERN,
  SORT_ORDERS,
  SortOrder,
  splitList,
} from './call-activity-query.util';

const list = ({ value }: { value: unknown }) => splitList(value);

/** GET /api/call-activity. Lists take repeated parameters or comma-separated values. */
export class CallActivityQueryDto implements CallActivityQuery {
  @ApiPropertyOptional({ default: 1, maximum: 100_000 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100_000)
  page: number = 1;

  @ApiPropertyOptional({ default: 50, maximum: 200 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200)
  pageSize: number = 50;

  @ApiPropertyOptional({ description: 'Legs of this prospect' }) @IsOptional() @IsUUID()
  prospectId?: string;

  @ApiPropertyOptional({ description: "Legs of this application's prospect" }) @IsOptional() @IsUUID()
  applicationId?: string;

  @ApiPropertyOptional({ description: 'Talk time at least, in seconds (a leg never answered talked 0 s)' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(MAX_TALK_SECONDS)
  talkMin?: number;

  @ApiPropertyOptional({ description: 'Talk time at most, in seconds' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(MAX_TALK_SECONDS)
  talkMax?: number;

  @ApiPropertyOptional({ description: "Started at or after (ISO 8601 date or date-time; without a zone, the org's time zone)", example: '2025-03-01T09:00' })
  @IsOptional() @IsDateTimeInput()
  from?: string;

  @ApiPropertyOptional({ description: "Started at or before (ISO 8601; without a zone, the org's time zone; a date alone includes that whole day)", example: '2025-03-01' })
  @IsOptional() @IsDateTimeInput()
  to?: string;

  @ApiPropertyOptional({ type: [String], description: 'Phone numbers (E.164); a leg matches when its from or to is one of them' })
  @IsOptional() @Transform(list) @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(30, { each: true }) @IsPhone({ each: true })
  phone?: string[];

  @ApiPropertyOptional({ description: 'Digits found anywhere in from or to' })
  @IsOptional() @IsString() @MaxLength(30) @Matches(PHONE_SEARCH_PATTERN, { message: 'phoneSearch may only contain digits, +, spaces, dashes, dots and parentheses' })
  phoneSearch?: string;

  @ApiPropertyOptional({ type: [String], description: 'Users (ids) the leg was by' })
  @IsOptional() @Transform(list) @IsArray() @ArrayMaxSize(100) @IsUUID(undefined, { each: true })
  byUserId?: string[];

  @ApiPropertyOptional({ description: "Text found anywhere in the user's name" }) @IsOptional() @IsString() @MaxLength(100)
  bySearch?: string;

  @ApiPropertyOptional({ enum: CALL_ACTIVITY_SORTS, default: 'startedAt' }) @IsOptional() @IsIn(CALL_ACTIVITY_SORTS)
  sort?: CallActivitySort;

  @ApiPropertyOptional({ enum: SORT_ORDERS, default: 'desc' }) @IsOptional() @IsIn(SORT_ORDERS)
  order?: SortOrder;
}
