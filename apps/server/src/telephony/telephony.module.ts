import { Global, Module } from '@nestjs/common';
import { AriLink } from './ari/ari-link';
import { ChannelReconciler } from './channel-reconciler';

@Global()
@Module({ providers: [AriLink, ChannelReconciler], exports: [AriLink, ChannelReconciler] })
export class TelephonyModule {}
