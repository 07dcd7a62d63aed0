// Agent presence as pushed to dashboards and desk daemons (PRODUCT.md §6).
import type { PresenceReason, PresenceState } from '@leadline/domain';

export type { PresenceReason, PresenceState };
export type PresenceColor = 'green' | 'red';

export interface Presence {
  userId: string;
  /** available = green; unavailable = red (logged out, calls off, on a call); ringing = blinking red. */
  state: PresenceState;
  color: PresenceColor;
  blink: boolean;
  reason: PresenceReason;
  /** When this state began (ISO 8601). */
  since: string;
}
