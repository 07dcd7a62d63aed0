import { ApiProperty } from '@nestjs/swagger';
import type { NumberEntry } from '@leadline/domain';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsUUID } from 'class-validator';
import type { Request } from 'express';
import { csvNumberRows } from '../common/csv-numbers.util';
import { DomainError, ErrorCode, validationFailed } from '../common/domain-error';

// Area codes are checked by the domain rule (libs/domain area-code.util) for clear messages;
// the DTOs only make sure something was sent.

export class PurchaseNumberDto {
  @ApiProperty({ example: '512', description: 'NANP area code: 3 digits, first 2-9, not N11' }) @IsDefined()
  areaCode!: string;
}

export class AddMappingsDto {
  @ApiProperty({ example: ['737', '830'], type: [String] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100)
  areaCodes!: string[];
}

export class DeleteMappingsQueryDto {
  @ApiProperty({ description: 'Comma-separated mapping ids', type: String, example: 'id1,id2' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((v) => v.trim()).filter(Boolean) : value))
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsUUID('4', { each: true })
  ids!: string[];
}

/**
 * The numbers of an inventory upload: a CSV body (a carrier export: the column headed DID, number,
 * phone …, else the first; see csvNumberRows; rows without a number skipped) or JSON { numbers: [...] }.
 */
export function inventoryEntries(req: Request, body: unknown): NumberEntry[] {
  if (req.is('text/csv')) {
    const csv = csvNumberRows(typeof body === 'string' ? body : '');
    if (!csv.ok) throw validationFailed([{ field: 'csv', message: csv.message }]);
    return csv.rows.filter((r) => r.value !== '').map((r) => ({ where: `line ${r.line}`, value: r.value }));
  }
  if (req.is('application/json')) {
    const numbers = (body as { numbers?: unknown } | null)?.numbers;
    if (!Array.isArray(numbers)) throw validationFailed([{ field: 'numbers', message: 'must be an array of phone numbers' }]);
    return numbers.map((value: unknown, i) => ({ where: `numbers[${i}]`, value: typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value) }));
  }
  throw new DomainError(ErrorCode.UnsupportedMediaType, 'Send the numbers as text/csv (one per line) or application/json { "numbers": [...] }', [
    { field: 'content-type', message: `${req.headers['content-type'] ?? 'none'} is not accepted` },
  ]);
}
