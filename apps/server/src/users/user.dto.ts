import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { LOAN_PURPOSES, LoanPurpose, ROLES, Role, US_STATES, UsState, WORK_PHONE_TYPES, WorkPhoneType } from '@leadline/domain';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsEmail, IsIn, IsInt, IsNumber, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsPhone } from '../common/is-phone.validator';

export class CreateUserDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100)
  name!: string;

  @ApiProperty() @IsEmail() @MaxLength(200)
  email!: string;

  @ApiProperty({ enum: ROLES }) @IsIn(ROLES)
  role!: Role;

  @ApiProperty({ minLength: 12 }) @IsString() @MinLength(12) @MaxLength(200)
  password!: string;

  @ApiPropertyOptional({ enum: WORK_PHONE_TYPES, nullable: true }) @IsOptional() @IsIn(WORK_PHONE_TYPES)
  workPhoneType?: WorkPhoneType | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'external: a phone number; static_ip: host[:port] of the phone; sip_desk: leave empty' })
  @IsOptional() @IsString() @MaxLength(100)
  workPhone?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Caller ID shown to borrowers' }) @IsOptional() @IsPhone()
  callerId?: string | null;

  @ApiPropertyOptional({ enum: US_STATES, isArray: true }) @IsOptional() @IsArray() @ArrayMaxSize(60) @IsIn(US_STATES, { each: true })
  stateLicences?: UsState[];

  @ApiPropertyOptional({ enum: LOAN_PURPOSES, isArray: true }) @IsOptional() @IsArray() @IsIn(LOAN_PURPOSES, { each: true })
  filterLoanPurposes?: LoanPurpose[];

  @ApiPropertyOptional({ type: Number, nullable: true }) @IsOptional() @IsNumber() @Min(0)
  filterLoanAmountMin?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true }) @IsOptional() @IsNumber() @Min(0)
  filterLoanAmountMax?: number | null;

  @ApiPropertyOptional({ isArray: true, type: String }) @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true })
  filterLeadProviders?: string[];

  @ApiPropertyOptional() @IsOptional() @IsBoolean()
  showIncomingCallDetails?: boolean;

  @ApiPropertyOptional({ description: 'Dialled from desk phones to reach this user: 3-6 digits, unique in the org, not an N11 code such as 911. Default: the next free one from 1001.', example: '1002' })
  @IsOptional() @IsString() @MaxLength(6)
  extension?: string;
}

export class UpdateUserDto extends PartialType(CreateUserDto) {}

export class MeTogglesDto {
  @ApiPropertyOptional() @IsOptional() @IsBoolean()
  loggedIn?: boolean;

  @ApiPropertyOptional() @IsOptional() @IsBoolean()
  callsOn?: boolean;

  @ApiPropertyOptional() @IsOptional() @IsBoolean()
  showIncomingCallDetails?: boolean;
}

export class PageQueryDto {
  @ApiPropertyOptional({ default: 1, maximum: 1_000_000 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1_000_000)
  page: number = 1;

  @ApiPropertyOptional({ default: 50, maximum: 200 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200)
  pageSize: number = 50;
}
