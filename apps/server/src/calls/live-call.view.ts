import type { LiveCallView } from '@leadline/contracts';
import { Conversation } from '../telephony/conversation/conversation';

export function toLiveCallView(c: Conversation): LiveCallView {
  return {
    callId: c.callId,
    kind: c.spec.kind,
    prospectId: c.spec.prospectId,
    since: c.since.toISOString(),
    parties: c.liveParties().map((p) => ({ userId: p.userId, name: p.label, number: p.number, role: p.role, onHold: p.held })),
    held: c.isHeld,
    transfer: c.pendingTransfer,
  };
}
