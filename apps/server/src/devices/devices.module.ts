import { Global, Module } from '@nestjs/common';
import { DeskPackageController } from './desk-package.controller';
import { DeskPackageRepository } from './desk-package.repository';
import { DeskPackageService } from './desk-package.service';
import { DeviceTokenRepository } from './device-token.repository';
import { MyDevicesController, UserDevicesController } from './devices.controller';
import { DevicesService } from './devices.service';

@Global()
@Module({
  controllers: [MyDevicesController, UserDevicesController, DeskPackageController],
  providers: [DeviceTokenRepository, DevicesService, DeskPackageRepository, DeskPackageService],
  exports: [DevicesService],
})
export class DevicesModule {}
