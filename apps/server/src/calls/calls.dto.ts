import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

/** Exactly one of the three: whom to call. */
export class StartCallDto {
  @ApiPropertyOptional({ description: "Call the application's borrower (an agent: only their own applications)" }) @IsOptional() @IsUUID('4')
  applicationId?: string;

  @ApiPropertyOptional({ description: "Call the prospect's borrower (an agent: only prospects assigned to them)" }) @IsOptional() @IsUUID('4')
  prospectId?: string;

  @ApiPropertyOptional({ description: 'Call a phone number' }) @IsOptional() @IsString() @MaxLength(40)
  phone?: string;
}

export interface ClickToCallView {
  callId: string;
  /** The agent's phone is ringing; the borrower is dialled when the agent answers. */
  status: 'ringing_agent';
  to: string;
  prospectId: string | null;
  /** The caller ID the borrower will see, and why it was chosen. */
  callerId: { number: string | null; reason: string };
}
