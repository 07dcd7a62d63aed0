import { Injectable, Logger } from '@nestjs/common';
import { AmiClient } from './ami/ami-client';
import { AriLink } from './ari/ari-link';

/** Q.850 cause 26: chan_pjsip's CANCEL then says the call was answered elsewhere (no missed call on the phone). */
const CAUSE_ANSWERED_ELSEWHERE = 26;

/**
 * Hangs up the agents' legs a round or an inbound call lets go. The ringing legs another agent's
 * answer made moot (ring-all's losers, an inbound call's other agents: reason answered_elsewhere)
 * go over AMI while its session is up: one small action per leg on a logged-in session, where each
 * ARI request costs Asterisk an HTTP request and a sha512-crypt of the ARI password
 * (docs/benchmarks.md, "Ring All: the losers' cancels over AMI"). Every other reason, and those
 * without AMI (AMI_PORT unset, session down, an action failed or unanswered), go over ARI.
 */
@Injectable()
export class LegCanceller {
  private readonly logger = new Logger(LegCanceller.name);

  constructor(
    private readonly ari: AriLink,
    private readonly ami: AmiClient,
  ) {}

  /** Hangs the leg up; false when its channel was already gone. `reason` as ARI's (answered_elsewhere, no_answer, normal…). */
  async hangUp(channelId: string, reason: string): Promise<boolean> {
    if (reason !== 'answered_elsewhere') return this.ari.channels.hangup(channelId, reason);
    try {
      const hungUp = await this.ami.hangUp(channelId, CAUSE_ANSWERED_ELSEWHERE);
      if (hungUp !== null) return hungUp;
    } catch (err) {
      this.logger.warn(`AMI could not hang up ${channelId}, hanging it up over ARI: ${err instanceof Error ? err.message : String(err)}`);
    }
    // Ahead of other calls' requests waiting for a place at Asterisk.
    return this.ari.channels.hangup(channelId, 'answered_elsewhere', 'urgent');
  }
}
