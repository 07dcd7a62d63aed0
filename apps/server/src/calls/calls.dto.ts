import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import type { ClickToCallView, MonitorMode } from '@leadline/contracts';
export type { ClickToCallView };

/** Exactly one of the three: whom to call. */
export class StartCallDto {
  @ApiPropertyOptional({ description: "Call the application's borrower (an agent: only their own applications)" }) @IsOptional() @IsUUID('4')
  applicationId?: string;

  @ApiPropertyOptional({ description: "Call the prospect's borrower (an agent: only prospects assigned to them)" }) @IsOptional() @IsUUID('4')
  prospectId?: string;

  @ApiPropertyOptional({ description: 'Call a phone number' }) @IsOptional() @IsString() @MaxLength(40)
  phone?: string;
}


/** A blind transfer: exactly one of the two. */
export class TransferDto {
  @ApiPropertyOptional({ description: 'Transfer to this colleague (their work phone rings)' }) @IsOptional() @IsUUID('4')
  userId?: string;

  @ApiPropertyOptional({ description: 'Transfer to this number (the dialling policy applies)' }) @IsOptional() @IsString() @MaxLength(40)
  phone?: string;
}

export const MONITOR_MODES: readonly MonitorMode[] = ['listen', 'whisper', 'barge'];

/** Monitor a live call from your desk phone, or switch the mode of your monitor of it. */
export class MonitorDto {
  @ApiProperty({ enum: MONITOR_MODES, description: 'listen: you hear agent and borrower, nobody hears you; whisper: the agent hears you, the borrower does not; barge: you join the call' })
  @IsIn(MONITOR_MODES)
  mode!: MonitorMode;
}
