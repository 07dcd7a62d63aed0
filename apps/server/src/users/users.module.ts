import { Global, Module } from '@nestjs/common';
import { PasswordHasher } from '../auth/password-hasher';
import { DeskPhoneProvisioner } from '../telephony/desk-phone.provisioner';
import { DirectoryController } from './directory.controller';
import { DirectoryService } from './directory.service';
import { MeController } from './me.controller';
import { SipPasswordCipher } from './sip-password.cipher';
import { UserRepository } from './user.repository';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Global()
@Module({
  controllers: [UsersController, MeController, DirectoryController],
  providers: [UserRepository, UsersService, DirectoryService, PasswordHasher, DeskPhoneProvisioner, SipPasswordCipher],
  exports: [UserRepository, UsersService, PasswordHasher],
})
export class UsersModule {}
