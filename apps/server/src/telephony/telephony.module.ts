import { Global, Module } from '@nestjs/common';
import { AriLink } from './ari/ari-link';
import { BorrowerDialer } from './borrower-dialer';
import { CallLegRepository } from './call-legs.repository';
import { StasisRouter } from './stasis-router';

/** The call runtime every feature shares: the ARI link, the Stasis router, call legs, borrower dialling. */
@Global()
@Module({ providers: [AriLink, StasisRouter, CallLegRepository, BorrowerDialer], exports: [AriLink, StasisRouter, CallLegRepository, BorrowerDialer] })
export class TelephonyModule {}
