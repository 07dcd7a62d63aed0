import { Module } from '@nestjs/common';
import { SipAclWriter } from './sip-acl.writer';
import { SipBanRepository } from './sip-ban.repository';
import { SipBanService } from './sip-ban.service';
import { SipBansController } from './sip-bans.controller';

@Module({ controllers: [SipBansController], providers: [SipBanRepository, SipAclWriter, SipBanService] })
export class SipSecurityModule {}
