import type { CallerIdChoice } from '@leadline/domain';
import { randomUUID } from 'node:crypto';
import { AriLink } from '../telephony/ari/ari-link';
import { DistributionRepository } from './distribution.repository';

export interface BorrowerLeg {
  channelId: string;
  activityId: string;
  startedAt: Date;
}

export interface BorrowerDial {
  orgId: string;
  /** Null for a click-to-call to a bare number. */
  prospectId: string | null;
  /** The agent the borrower will talk to. */
  agentId: string;
  borrowerPhone: string;
  callerId: CallerIdChoice;
  appArgs: string;
  timeoutSeconds: number;
  /** Called with the leg before the POST: its events can arrive before the response. */
  onLeg(leg: BorrowerLeg): void;
}

/**
 * Dials a borrower through the trunk with the chosen caller ID, after writing the leg's call
 * activity row (number and reason of the caller ID). Rejects when Asterisk refuses the dial.
 */
export async function dialBorrower(repo: DistributionRepository, ari: AriLink, d: BorrowerDial): Promise<void> {
  const channelId = randomUUID();
  const activityId = await repo.openActivity({
    orgId: d.orgId,
    prospectId: d.prospectId,
    direction: 'outbound',
    purpose: 'borrower',
    fromNumber: d.callerId.number,
    toNumber: d.borrowerPhone,
    userId: d.agentId,
    channelId,
    callerIdReason: d.callerId.reason,
  });
  d.onLeg({ channelId, activityId, startedAt: new Date() });
  await ari.channels.originate({
    channelId,
    endpoint: `PJSIP/${d.borrowerPhone}@trunk`,
    app: ari.app,
    appArgs: d.appArgs,
    callerId: d.callerId.number ?? undefined,
    timeoutSeconds: d.timeoutSeconds,
  });
}
