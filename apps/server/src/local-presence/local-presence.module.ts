import { Module } from '@nestjs/common';
import { CallbackRepository } from './callback.repository';
import { CarrierInventoryController } from './carrier-inventory.controller';
import { CarrierInventoryRepository } from './carrier-inventory.repository';
import { CarrierInventoryService } from './carrier-inventory.service';
import { InventoryNumberProvider } from './inventory-number.provider';
import { LocalPresenceController } from './local-presence.controller';
import { LocalPresenceRepository } from './local-presence.repository';
import { LocalPresenceService } from './local-presence.service';
import { NUMBER_PROVIDER, NumberProvider } from './number-provider';

@Module({
  controllers: [LocalPresenceController, CarrierInventoryController],
  providers: [
    LocalPresenceRepository,
    LocalPresenceService,
    CarrierInventoryRepository,
    CarrierInventoryService,
    InventoryNumberProvider,
    // The one place the number provider is chosen. A carrier-API provider is a class implementing
    // NumberProvider, listed here and returned instead (e.g. picked by a config setting).
    { provide: NUMBER_PROVIDER, inject: [InventoryNumberProvider], useFactory: (inventory: InventoryNumberProvider): NumberProvider => inventory },
    CallbackRepository,
  ],
  exports: [CallbackRepository],
})
export class LocalPresenceModule {}
