import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { DISTRIBUTION_TYPES, DistributionType } from '@leadline/domain';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import type { CampaignView } from '@leadline/contracts';
export type { CampaignView };

export class CreateCampaignDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100)
  name!: string;

  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() @MaxLength(500)
  description?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Marketing channel' }) @IsOptional() @IsString() @MaxLength(100)
  leadProvider?: string | null;

  @ApiProperty({ enum: DISTRIBUTION_TYPES }) @IsIn(DISTRIBUTION_TYPES)
  distributionType!: DistributionType;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true }) @IsOptional() @IsUUID('4')
  distributionGroupId?: string | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'Agent who gets the lead when distribution fails' }) @IsOptional() @IsUUID('4')
  defaultAgentId?: string | null;

  @ApiPropertyOptional({ description: 'Default 30', minimum: 5, maximum: 300 }) @IsOptional() @IsInt() @Min(5) @Max(300)
  ringTimeoutSeconds?: number;

  @ApiPropertyOptional({ description: 'Default 60', minimum: 5, maximum: 3600 }) @IsOptional() @IsInt() @Min(5) @Max(3600)
  offerTimeoutSeconds?: number;
}

export class UpdateCampaignDto extends PartialType(CreateCampaignDto) {}

