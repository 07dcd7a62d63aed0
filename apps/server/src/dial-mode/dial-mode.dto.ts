import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CALL_MODES, CallMode, DIAL_BUTTONS, DIAL_SUB_STATES, DialButton, DialSubState, EXTRA_DIAL_BUTTONS, ExtraDialButton } from '@leadline/domain';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsISO8601, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { PageQueryDto } from '../users/user.dto';

export class CampaignModeParams {
  @ApiProperty() @IsUUID('4')
  campaignId!: string;

  @ApiProperty({ enum: CALL_MODES }) @IsIn(CALL_MODES)
  mode!: CallMode;
}

export class CreateLeadStatusDto {
  @ApiProperty({ example: 'Processing' }) @IsString() @MinLength(1) @MaxLength(80)
  name!: string;

  @ApiPropertyOptional({ description: 'Add a lead entering this status to dial mode automatically (needs callMode); default false' }) @IsOptional() @IsBoolean()
  addToDialMode?: boolean;

  @ApiPropertyOptional({ enum: CALL_MODES, nullable: true, description: 'The call mode this status feeds' }) @IsOptional() @ValidateIf((_o, v) => v !== null) @IsIn(CALL_MODES)
  callMode?: CallMode | null;

  @ApiPropertyOptional({ description: 'New leads of the campaign get this status when they are accepted (one per campaign); default false' }) @IsOptional() @IsBoolean()
  isInitial?: boolean;

  @ApiPropertyOptional({ description: 'Order in lists' }) @IsOptional() @IsInt() @Min(0) @Max(10_000)
  position?: number;
}

export class UpdateLeadStatusDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(80)
  name?: string;

  @ApiPropertyOptional() @IsOptional() @IsBoolean()
  addToDialMode?: boolean;

  @ApiPropertyOptional({ enum: CALL_MODES, nullable: true }) @IsOptional() @ValidateIf((_o, v) => v !== null) @IsIn(CALL_MODES)
  callMode?: CallMode | null;

  @ApiPropertyOptional() @IsOptional() @IsBoolean()
  isInitial?: boolean;

  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(10_000)
  position?: number;
}

export class DialModeSettingsDto {
  @ApiPropertyOptional({ description: 'New leads of this campaign and mode outrank every other campaign’s leads' }) @IsOptional() @IsBoolean()
  highPriority?: boolean;

  @ApiPropertyOptional({ description: 'Minutes operators have to dial a due lead; feeds the queue order' }) @IsOptional() @IsInt() @Min(0) @Max(10_080)
  timeStandardMinutes?: number;

  @ApiPropertyOptional({ description: 'Minutes until a no answer / busy / dropped lead is due again' }) @IsOptional() @IsInt() @Min(1) @Max(43_200)
  retryDelayMinutes?: number;

  @ApiPropertyOptional({ description: 'Unsuccessful attempts after which the lead moves to exhaustedStatusId' }) @IsOptional() @IsInt() @Min(1) @Max(100)
  maxAttempts?: number;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'Lead status (of this campaign) once attempts run out; null: keeps its status' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsUUID('4')
  exhaustedStatusId?: string | null;

  @ApiPropertyOptional({ enum: EXTRA_DIAL_BUTTONS, isArray: true, description: 'Extra result buttons beyond the basic ones (at most the two)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(2)
  @IsIn(EXTRA_DIAL_BUTTONS, { each: true })
  extraButtons?: ExtraDialButton[];
}

export class DialAccessDto {
  @ApiProperty({ type: [String], description: 'Every user who may work this campaign × mode (replaces the list)' }) @IsArray() @ArrayMaxSize(1000) @IsUUID('4', { each: true })
  userIds!: string[];
}

export class CallingWindowDto {
  @ApiProperty({ example: '08:00', description: "Borrower's local time, HH:MM" }) @IsString() @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'start must be HH:MM (00:00–23:59)' })
  start!: string;

  @ApiProperty({ example: '21:00', description: "Borrower's local time, HH:MM (24:00 = midnight)" }) @IsString() @Matches(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, { message: 'end must be HH:MM (00:01–24:00)' })
  end!: string;
}

export class SetLeadStatusDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'A lead status of the lead’s campaign; null clears it (and takes the lead out of dial mode)' })
  @ValidateIf((_o, v) => v !== null)
  @IsUUID('4')
  statusId!: string | null;
}

export class QueueQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID('4')
  campaignId?: string;

  @ApiPropertyOptional({ enum: CALL_MODES }) @IsOptional() @IsIn(CALL_MODES)
  mode?: CallMode;

  @ApiPropertyOptional({ enum: DIAL_SUB_STATES }) @IsOptional() @IsIn(DIAL_SUB_STATES)
  subState?: DialSubState;
}

export class NextLeadDto {
  @ApiPropertyOptional({ description: 'Only this campaign' }) @IsOptional() @IsUUID('4')
  campaignId?: string;

  @ApiPropertyOptional({ enum: CALL_MODES, description: 'Only this call mode' }) @IsOptional() @IsIn(CALL_MODES)
  mode?: CallMode;
}

export class DialResultDto {
  @ApiProperty({ enum: DIAL_BUTTONS }) @IsIn(DIAL_BUTTONS)
  button!: DialButton;

  @ApiPropertyOptional({ description: 'success: the lead status to move the lead to (required)' }) @ValidateIf((o: DialResultDto) => o.button === 'success') @IsUUID('4')
  statusId?: string;

  @ApiPropertyOptional({ description: 'callback: when to call back (ISO 8601 with a time zone; required, in the future)' })
  @ValidateIf((o: DialResultDto) => o.button === 'callback')
  @IsISO8601({ strict: true })
  @Matches(/(Z|[+-]\d{2}:?\d{2})$/, { message: 'callbackAt must carry a time zone (Z or ±hh:mm)' })
  callbackAt?: string;
}

export class DoNotCallDto {
  @ApiProperty({ example: '(512) 555-0142' }) @IsString() @MaxLength(40)
  phone!: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500)
  note?: string;
}

export class UpdateDoNotCallDto {
  @ApiProperty({ type: String, nullable: true }) @ValidateIf((_o, v) => v !== null) @IsString() @MaxLength(500)
  note!: string | null;
}

export class DoNotCallQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Digits the number contains' }) @IsOptional() @IsString() @MaxLength(40)
  phone?: string;
}
