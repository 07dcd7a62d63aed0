import { Global, Module } from '@nestjs/common';
import { AgentLines } from './agent-lines';
import { AmiClient } from './ami/ami-client';
import { AriLink } from './ari/ari-link';
import { BorrowerDialer } from './borrower-dialer';
import { CallLegRepository } from './call-legs.repository';
import { ConversationService } from './conversation/conversation.service';
import { LiveCallRepository } from './conversation/live-call.repository';
import { LegCanceller } from './leg-canceller';
import { RecordingDisclosure } from './recording-disclosure';
import { RecordingPolicyRepository } from './recording-policy.repository';
import { MonitorService } from './monitor/monitor.service';
import { StasisRouter } from './stasis-router';

/**
 * The call runtime every feature shares: the ARI link and the AMI session, the Stasis router, call legs and agent lines,
 * borrower dialling, connected calls (Conversation) with the recording disclosure, and managers
 * monitoring them.
 */
@Global()
@Module({
  providers: [AriLink, AmiClient, LegCanceller, StasisRouter, CallLegRepository, AgentLines, BorrowerDialer, ConversationService, LiveCallRepository, RecordingPolicyRepository, RecordingDisclosure, MonitorService],
  exports: [AriLink, AmiClient, LegCanceller, StasisRouter, CallLegRepository, AgentLines, BorrowerDialer, ConversationService, LiveCallRepository, MonitorService, RecordingDisclosure],
})
export class TelephonyModule {}
