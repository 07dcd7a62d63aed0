import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import type { SessionEndReason } from '@leadline/contracts';
import type { DistributionType, PresenceState } from '@leadline/domain';
import type { AssignmentVia } from '../database/entities';

/** Internal domain events, one typed map. Emitted after the change is committed. */
export interface LeadEventMap {
  /** `initialStatusId`: the campaign's initial lead status as read in the intake's transaction (null: none). */
  'prospect.accepted': { prospectId: string; campaignId: string; orgId: string; acceptedAt: Date; distributionType: DistributionType; initialStatusId: string | null };
  'prospect.assigned': { prospectId: string; applicationId: string; agentId: string; via: AssignmentVia };
  'prospect.exception': { prospectId: string; reason: string };
  /** Something an agent's presence depends on changed (session toggles, call legs). */
  'agent.changed': { userId: string };
  /** An agent's presence was recomputed and changed (after agent.changed, inbound ringing …). */
  /** `extension`: the user's, for their BLF light (null: none). */
  'presence.changed': { userId: string; orgId: string; extension: string | null; state: PresenceState };
  /** A user's sockets (or one device token's) must be cut off: deleted, rights changed, revoked. */
  'access.revoked': { userId?: string; deviceId?: string; reason: SessionEndReason };
  /** A user's SIP password changed: a provisioned desk phone must fetch its file again. */
  'sip.credentials-changed': { userId: string };
}

type Listener<K extends keyof LeadEventMap> = (payload: LeadEventMap[K]) => Promise<void> | void;

@Injectable()
export class LeadEvents {
  private readonly logger = new Logger(LeadEvents.name);
  private readonly emitter = new EventEmitter();

  on<K extends keyof LeadEventMap>(event: K, listener: Listener<K>): void {
    this.emitter.on(event, (payload: LeadEventMap[K]) => {
      // Listeners run after the current answer has gone out; their failures are logged, not lost.
      void Promise.resolve()
        .then(() => listener(payload))
        .catch((err: unknown) => this.logger.error(`listener for ${event} failed: ${err instanceof Error ? err.stack : String(err)}`));
    });
  }

  /** Fires on the next turn of the event loop, so an HTTP answer is never held up by listeners. */
  emit<K extends keyof LeadEventMap>(event: K, payload: LeadEventMap[K]): void {
    setImmediate(() => this.emitter.emit(event, payload));
  }
}
