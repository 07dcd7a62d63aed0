import { Global, Module } from '@nestjs/common';
import { DeviceTokenRepository } from './device-token.repository';
import { MyDevicesController, UserDevicesController } from './devices.controller';
import { DevicesService } from './devices.service';

@Global()
@Module({ controllers: [MyDevicesController, UserDevicesController], providers: [DeviceTokenRepository, DevicesService], exports: [DevicesService] })
export class DevicesModule {}
