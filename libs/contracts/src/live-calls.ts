// Connected calls as the dashboard sees them (docs/desk-phones.md): the agent's own call (hold,
// transfer) and, for managers, every live call of the team.

export type LiveCallRole = 'agent' | 'outside';

export interface LiveCallParty {
  /** A user's phone (agent, manager); null for a borrower, a caller, a number. */
  userId: string | null;
  name: string;
  /** E.164 for an outside party, the extension for a user. */
  number: string | null;
  role: LiveCallRole;
  /** Hearing music on hold right now. */
  onHold: boolean;
}

export interface LiveCallView {
  callId: string;
  /** ring_all, inbound, click_to_call, dial_mode, desk_phone. */
  kind: string;
  prospectId: string | null;
  /** When the call was connected (ISO 8601). */
  since: string;
  parties: LiveCallParty[];
  /** Someone put the call on hold (their phone or the dashboard). */
  held: boolean;
  /** A blind transfer ringing its target. */
  transfer: { target: string } | null;
}

/** POST /api/calls/:callId/transfer: exactly one of the two. */
export interface TransferRequest {
  userId?: string;
  phone?: string;
}
