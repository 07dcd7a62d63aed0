import { Global, Module } from '@nestjs/common';
import { AriLink } from './ari/ari-link';

@Global()
@Module({ providers: [AriLink], exports: [AriLink] })
export class TelephonyModule {}
