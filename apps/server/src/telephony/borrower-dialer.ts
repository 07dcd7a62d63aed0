import { Injectable } from '@nestjs/common';
import { CallerIdChoice, chooseBorrowerCallerId, LocalPresenceCandidate } from '@leadline/domain';
import { randomUUID } from 'node:crypto';
import { AriLink } from './ari/ari-link';
import { CallLegRepository } from './call-legs.repository';
import { ChannelOwner, StasisRouter } from './stasis-router';

export interface BorrowerLeg {
  channelId: string;
  activityId: string;
  startedAt: Date;
}

export interface BorrowerDial {
  callId: string;
  orgId: string;
  /** Null for a call to a bare number. */
  prospectId: string | null;
  /** The agent the borrower will talk to. */
  agentId: string;
  borrowerPhone: string;
  callerId: CallerIdChoice;
  appArgs: string;
  timeoutSeconds: number;
  /** The call the borrower's channel belongs to. */
  owner: ChannelOwner;
  /** Called with the leg before the POST: its events can arrive before the response. */
  onLeg(leg: BorrowerLeg): void;
  /** Call-activity purpose of the leg (default `borrower`). */
  purpose?: string;
  /** 911: dialled even when its call-activity row cannot be written. */
  emergency?: boolean;
}

/**
 * Calls borrowers through the trunk, for every kind of call: the caller ID of PRODUCT.md §4
 * (local presence number for the borrower's area code → the agent's caller ID → the org number)
 * and the leg's call-activity row with the number and the reason it was chosen.
 */
@Injectable()
export class BorrowerDialer {
  constructor(
    private readonly ari: AriLink,
    private readonly router: StasisRouter,
    private readonly legs: CallLegRepository,
  ) {}

  /**
   * The caller ID a borrower sees when this agent calls them now. `localPresence`: the org's local
   * presence numbers with their use today, when the caller read them already (a ring-all round
   * reads them while its first answering agent hears the prompt); read now otherwise.
   */
  async callerIdFor(c: { orgId: string; borrowerPhone: string; agentCallerId: string | null; orgNumber: string | null }, now: Date, localPresence?: LocalPresenceCandidate[]): Promise<CallerIdChoice> {
    return chooseBorrowerCallerId({
      borrowerPhone: c.borrowerPhone,
      localPresence: localPresence ?? (await this.legs.localPresence(c.orgId, now)),
      agentCallerId: c.agentCallerId,
      orgNumber: c.orgNumber,
    });
  }

  /** Writes the leg's row, claims its channel for the call, then dials. Rejects when Asterisk refuses. */
  async dial(d: BorrowerDial): Promise<void> {
    const channelId = randomUUID();
    const row = {
      orgId: d.orgId,
      prospectId: d.prospectId,
      callId: d.callId,
      direction: 'outbound' as const,
      purpose: d.purpose ?? 'borrower',
      fromNumber: d.callerId.number,
      toNumber: d.borrowerPhone,
      userId: d.agentId,
      channelId,
      callerIdReason: d.callerId.reason,
    };
    // An emergency call goes out even when the database cannot take its row.
    const activityId = d.emergency ? await this.legs.openActivity(row).catch(() => '') : await this.legs.openActivity(row);
    d.onLeg({ channelId, activityId, startedAt: new Date() });
    this.router.claim(channelId, d.owner);
    await this.ari.channels.originate({
      channelId,
      endpoint: `PJSIP/${d.borrowerPhone}@trunk`,
      app: this.ari.app,
      appArgs: d.appArgs,
      callerId: d.callerId.number ?? undefined,
      timeoutSeconds: d.timeoutSeconds,
      // Reaching the borrower goes ahead of other calls' requests waiting for a place.
      priority: 'urgent',
    });
  }
}
