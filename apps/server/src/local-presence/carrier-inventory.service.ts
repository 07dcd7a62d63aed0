import { Injectable, Logger } from '@nestjs/common';
import { checkCarrierNumbers, NumberEntry } from '@leadline/domain';
import { validationFailed } from '../common/domain-error';
import { CarrierInventoryRepository } from './carrier-inventory.repository';
import type { InventoryView } from '@leadline/contracts';
import type { InventoryLoadView } from '@leadline/contracts';
export type { InventoryLoadView };
export type { InventoryView };


/** The carrier's DID block the admin loads; the inventory number provider sells from it. */
@Injectable()
export class CarrierInventoryService {
  private readonly logger = new Logger(CarrierInventoryService.name);

  constructor(private readonly inventory: CarrierInventoryRepository) {}

  /** All or nothing: one invalid entry refuses the upload, with every problem listed. */
  async load(orgId: string, entries: NumberEntry[]): Promise<InventoryLoadView> {
    if (!entries.length) throw validationFailed([{ field: 'numbers', message: 'no numbers given' }], 'Nothing to load');
    const { numbers, errors } = checkCarrierNumbers(entries);
    if (errors.length) throw validationFailed(errors.map((e) => ({ field: e.where, message: e.message })), 'Invalid numbers; nothing was loaded');
    const added = await this.inventory.add(orgId, numbers);
    this.logger.log(`inventory: ${added} number(s) added, ${numbers.length - added} already present`);
    return { added, alreadyPresent: numbers.length - added, ...(await this.summary(orgId)) };
  }

  async summary(orgId: string): Promise<InventoryView> {
    const areaCodes = await this.inventory.counts(orgId);
    return { areaCodes, free: areaCodes.reduce((n, c) => n + c.free, 0), assigned: areaCodes.reduce((n, c) => n + c.assigned, 0) };
  }
}
