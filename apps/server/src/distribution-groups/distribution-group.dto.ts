import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { LOAN_PURPOSES, LoanPurpose, US_STATES, UsState } from '@leadline/domain';
import { ArrayMaxSize, IsArray, IsIn, IsNumber, IsOptional, IsString, IsUUID, MaxLength, Min, MinLength } from 'class-validator';
import type { DistributionGroupView } from '@leadline/contracts';
export type { DistributionGroupView };

export class CreateDistributionGroupDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100)
  name!: string;

  @ApiPropertyOptional({ isArray: true, type: String, description: 'User ids' }) @IsOptional() @IsArray() @ArrayMaxSize(1000) @IsUUID('4', { each: true })
  memberIds?: string[];

  @ApiPropertyOptional({ enum: US_STATES, isArray: true }) @IsOptional() @IsArray() @IsIn(US_STATES, { each: true })
  filterStates?: UsState[];

  @ApiPropertyOptional({ enum: LOAN_PURPOSES, isArray: true }) @IsOptional() @IsArray() @IsIn(LOAN_PURPOSES, { each: true })
  filterLoanPurposes?: LoanPurpose[];

  @ApiPropertyOptional({ type: Number, nullable: true }) @IsOptional() @IsNumber() @Min(0)
  filterLoanAmountMin?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true }) @IsOptional() @IsNumber() @Min(0)
  filterLoanAmountMax?: number | null;
}

export class UpdateDistributionGroupDto extends PartialType(CreateDistributionGroupDto) {}

