import { Global, Module } from '@nestjs/common';
import { PasswordHasher } from '../auth/password-hasher';
import { DeskPhoneProvisioner } from '../telephony/desk-phone.provisioner';
import { MeController } from './me.controller';
import { SipPasswordCipher } from './sip-password.cipher';
import { UserRepository } from './user.repository';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Global()
@Module({
  controllers: [UsersController, MeController],
  providers: [UserRepository, UsersService, PasswordHasher, DeskPhoneProvisioner, SipPasswordCipher],
  exports: [UserRepository, UsersService, PasswordHasher],
})
export class UsersModule {}
