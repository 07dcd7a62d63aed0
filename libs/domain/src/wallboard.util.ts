// What the wallboard shows for one agent (docs/reports.md): their presence, refined by the call
// legs open on their phone right now. Pure.
import type { PresenceReason } from './presence.util';
import { CALL_PURPOSES } from './report-day.util';

export type WallboardState = 'available' | 'ringing' | 'on_call' | 'calls_off' | 'logged_out';

/** Legs that ring an agent's own phone (ring all, inbound, the first leg of click-to-call and dial mode). */
const AGENT_LEGS = new Set<string>([CALL_PURPOSES.ringAllAgent, CALL_PURPOSES.inboundAgent, CALL_PURPOSES.clickToCallAgent, CALL_PURPOSES.dialModeOperator]);

export interface OpenLeg {
  purpose: string;
  startedAt: number;
  answeredAt: number | null;
}

/**
 * Presence says "on a call" from the moment an agent is reserved for a round; the wallboard tells a
 * phone that still rings from a call that was answered: while every open leg of the agent is an
 * unanswered leg to their own phone, they are ringing (since the first of them started).
 */
export function wallboardState(presence: { reason: PresenceReason; since: number }, legs: readonly OpenLeg[]): { state: WallboardState; since: number } {
  switch (presence.reason) {
    case 'logged_out':
      return { state: 'logged_out', since: presence.since };
    case 'calls_off':
      return { state: 'calls_off', since: presence.since };
    case 'available':
      return { state: 'available', since: presence.since };
    case 'inbound_ringing':
      return { state: 'ringing', since: presence.since };
    case 'on_call': {
      const ringing = legs.length > 0 && legs.every((l) => l.answeredAt === null && AGENT_LEGS.has(l.purpose));
      return ringing ? { state: 'ringing', since: Math.min(...legs.map((l) => l.startedAt)) } : { state: 'on_call', since: presence.since };
    }
    default: {
      const unreachable: never = presence.reason;
      throw new Error(`unknown presence reason ${String(unreachable)}`);
    }
  }
}
