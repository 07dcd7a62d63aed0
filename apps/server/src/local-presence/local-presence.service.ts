import { Inject, Injectable, Logger } from '@nestjs/common';
import { checkAreaCode, checkAreaCodes } from '@leadline/domain';
import { DomainError, ErrorCode, notFound, validationFailed } from '../common/domain-error';
import { LocalPresenceRepository } from './local-presence.repository';
import { LocalPresenceMappingView, LocalPresenceNumberView, toMappingView, toNumberView } from './local-presence.view';
import { NUMBER_PROVIDER, NumberProvider } from './number-provider';

/**
 * Local Dial Presence numbers (PRODUCT.md §4): purchased by area code from the number provider,
 * deleted (given back), and mapped to more area codes. Outbound caller-ID choice reads them
 * (DistributionRepository.localPresence → chooseBorrowerCallerId).
 */
@Injectable()
export class LocalPresenceService {
  private readonly logger = new Logger(LocalPresenceService.name);

  constructor(
    private readonly repo: LocalPresenceRepository,
    @Inject(NUMBER_PROVIDER) private readonly provider: NumberProvider,
  ) {}

  async listNumbers(orgId: string): Promise<LocalPresenceNumberView[]> {
    return (await this.repo.listNumbers(orgId)).map(toNumberView);
  }

  /** Takes a number in the area code from the provider and maps it to that area code. */
  async purchase(orgId: string, rawAreaCode: unknown): Promise<LocalPresenceNumberView> {
    const check = checkAreaCode(rawAreaCode);
    if (!check.ok) throw validationFailed([{ field: 'areaCode', message: check.message }], 'Invalid area code');
    const number = await this.provider.acquire(orgId, check.areaCode);
    if (!number) {
      throw new DomainError(ErrorCode.NoNumberAvailable, `No number with area code ${check.areaCode} is available to purchase. Load more numbers from your carrier into the inventory, or choose another area code.`);
    }
    try {
      const created = await this.repo.createNumber(orgId, number, check.areaCode);
      this.logger.log(`purchased ${number} for area code ${check.areaCode} from ${this.provider.name}`);
      return toNumberView(created);
    } catch (err) {
      // Saving failed: the number goes back, so it is not lost to the org.
      await this.provider.release(orgId, number);
      throw err;
    }
  }

  /** Deletes the number and its mappings and gives it back to the provider. */
  async deleteNumber(orgId: string, id: string): Promise<void> {
    const found = await this.repo.getNumber(orgId, id);
    if (!found) throw notFound(ErrorCode.NumberNotFound, 'Local presence number', id);
    await this.repo.deleteNumber(id);
    await this.provider.release(orgId, found.number.number);
    this.logger.log(`deleted local presence number ${found.number.number}`);
  }

  /** Maps more area codes to one number; all or nothing. */
  async addMappings(orgId: string, numberId: string, rawAreaCodes: unknown[]): Promise<LocalPresenceNumberView> {
    const { areaCodes, errors } = checkAreaCodes(rawAreaCodes);
    if (errors.length) throw validationFailed(errors.map((e) => ({ field: `areaCodes[${e.index}]`, message: e.message })), 'Invalid area codes');
    const found = await this.repo.getNumber(orgId, numberId);
    if (!found) throw notFound(ErrorCode.NumberNotFound, 'Local presence number', numberId);
    const result = await this.repo.addMappings(numberId, areaCodes);
    if (!result.ok) {
      const codes = result.alreadyMapped.join(', ');
      throw new DomainError(ErrorCode.MappingExists, `${found.number.number} is already mapped to area code${result.alreadyMapped.length > 1 ? 's' : ''} ${codes}; nothing was added`);
    }
    return toNumberView((await this.repo.getNumber(orgId, numberId))!);
  }

  async listMappings(orgId: string): Promise<LocalPresenceMappingView[]> {
    return (await this.repo.listMappings(orgId)).map(toMappingView);
  }

  /** Deletes mappings by id; all or nothing, so a stale selection deletes nothing by surprise. */
  async deleteMappings(orgId: string, ids: string[]): Promise<{ deleted: number }> {
    const unique = [...new Set(ids)];
    const existing = new Set(await this.repo.existingMappingIds(orgId, unique));
    const missing = unique.filter((id) => !existing.has(id));
    if (missing.length) throw new DomainError(ErrorCode.MappingNotFound, `Mapping${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not found; nothing was deleted`);
    return { deleted: await this.repo.deleteMappings(unique) };
  }
}
