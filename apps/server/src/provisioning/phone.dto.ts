import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength, ValidateIf } from 'class-validator';
import { PHONE_VENDORS, PhoneVendor } from '@leadline/domain';

export class CreatePhoneDto {
  @ApiProperty({ example: '00:15:65:ab:cd:ef', description: 'The MAC on the phone\'s label: 12 hex digits, with or without : - . separators' })
  @IsString()
  @MaxLength(20)
  mac!: string;

  @ApiProperty({ enum: PHONE_VENDORS })
  @IsIn(PHONE_VENDORS)
  vendor!: PhoneVendor;

  @ApiPropertyOptional({ type: String, example: 'Front desk', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  label?: string | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', description: 'The user whose SIP account the phone gets (a sip_desk user)', nullable: true })
  @IsOptional()
  @IsUUID()
  userId?: string | null;
}

export class UpdatePhoneDto {
  @ApiPropertyOptional({ type: String, format: 'uuid', description: 'Assign to this sip_desk user; null leaves the phone without a user', nullable: true })
  @ValidateIf((_o, v) => v !== null)
  @IsOptional()
  @IsUUID()
  userId?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @ValidateIf((_o, v) => v !== null)
  @IsOptional()
  @IsString()
  @MaxLength(100)
  label?: string | null;
}

export class FetchLogQueryDto {
  @ApiPropertyOptional({ description: 'Only this MAC (12 hex digits)' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  mac?: string;

  @ApiPropertyOptional({ enum: ['served', 'unknown_mac', 'bad_secret', 'not_allowed', 'not_found'] })
  @IsOptional()
  @IsIn(['served', 'unknown_mac', 'bad_secret', 'not_allowed', 'not_found'])
  result?: 'served' | 'unknown_mac' | 'bad_secret' | 'not_allowed' | 'not_found';
}
