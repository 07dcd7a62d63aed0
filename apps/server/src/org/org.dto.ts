import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ALL_PARTY_STATE_CHOICES, AllPartyStateChoice, ONE_PARTY_STATE_CHOICES, OnePartyStateChoice } from '@leadline/domain';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { IsPhone } from '../common/is-phone.validator';
import { IsTimeZone } from '../common/is-time-zone.validator';
import type { OrgView } from '@leadline/contracts';
export type { OrgView };

export class DiallingPolicyDto {
  @ApiPropertyOptional({ description: 'Numbers outside the US and Canada (the Caribbean +1 countries included)' }) @IsOptional() @IsBoolean()
  allowInternational?: boolean;

  @ApiPropertyOptional({ description: 'Premium-rate numbers: +1 900 and the 976 exchange' }) @IsOptional() @IsBoolean()
  allowPremium?: boolean;

  @ApiPropertyOptional({ description: 'N11 service codes other than 911 (211, 311, 411 …)' }) @IsOptional() @IsBoolean()
  allowN11?: boolean;
}

export class RecordingPolicyDto {
  @ApiPropertyOptional({ enum: ALL_PARTY_STATE_CHOICES, description: 'Borrowers in states where every party must consent to recording (CA, FL, PA …)' })
  @IsOptional()
  @IsIn(ALL_PARTY_STATE_CHOICES)
  allPartyStates?: AllPartyStateChoice;

  @ApiPropertyOptional({ enum: ONE_PARTY_STATE_CHOICES, description: "Borrowers in the other states (one party's consent is enough)" })
  @IsOptional()
  @IsIn(ONE_PARTY_STATE_CHOICES)
  onePartyStates?: OnePartyStateChoice;
}

export class UpdateOrgDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({ type: String, description: 'Caller ID agents see on distribution calls', nullable: true }) @IsOptional() @IsPhone()
  callerId?: string | null;

  @ApiPropertyOptional({ type: String, description: 'Last-resort outbound caller ID shown to borrowers', nullable: true }) @IsOptional() @IsPhone()
  orgNumber?: string | null;

  @ApiPropertyOptional({ description: 'IANA time zone of the office, e.g. America/Chicago: what "today" and a date-time without a zone mean', example: 'America/Chicago' })
  @IsOptional()
  @IsTimeZone()
  timeZone?: string;

  @ApiPropertyOptional({ type: DiallingPolicyDto, description: 'What agents may dial; all off (the default) = US and Canadian numbers, toll-free and 911 only' })
  @IsOptional()
  @ValidateNested()
  @Type(() => DiallingPolicyDto)
  dialling?: DiallingPolicyDto;

  @ApiPropertyOptional({ type: String, description: 'Caller ID sent on 911 calls (registered with the office location); the org number when unset', nullable: true })
  @IsOptional()
  @IsPhone()
  emergencyCallerId?: string | null;

  @ApiPropertyOptional({ type: RecordingPolicyDto, description: "Recording of borrower calls by the borrower's state: the disclosure then the recording (default), the recording alone (one-party states only), or none" })
  @IsOptional()
  @ValidateNested()
  @Type(() => RecordingPolicyDto)
  recording?: RecordingPolicyDto;

  @ApiPropertyOptional({ description: "Tell the agent (on their dashboard) when a manager listens, whispers or barges on their call; off by default" })
  @IsOptional()
  @IsBoolean()
  monitorNoticeToAgent?: boolean;
}
