import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { IsPhone } from '../common/is-phone.validator';
import type { OrgView } from '@leadline/contracts';
export type { OrgView };

export class UpdateOrgDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({ description: 'Caller ID agents see on distribution calls', nullable: true }) @IsOptional() @IsPhone()
  callerId?: string | null;

  @ApiPropertyOptional({ description: 'Last-resort outbound caller ID shown to borrowers', nullable: true }) @IsOptional() @IsPhone()
  orgNumber?: string | null;
}

