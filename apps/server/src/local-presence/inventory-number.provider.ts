import { Injectable } from '@nestjs/common';
import { CarrierInventoryRepository } from './carrier-inventory.repository';
import { NumberProvider } from './number-provider';

/** The default provider: sells from the carrier DID block loaded into Leadline's inventory. */
@Injectable()
export class InventoryNumberProvider implements NumberProvider {
  readonly name = 'inventory';

  constructor(private readonly inventory: CarrierInventoryRepository) {}

  acquire(orgId: string, areaCode: string): Promise<string | null> {
    return this.inventory.take(orgId, areaCode);
  }

  release(orgId: string, number: string): Promise<void> {
    return this.inventory.release(orgId, number);
  }
}
