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

/** listen: hears agent and borrower, heard by nobody; whisper: heard by the agent only; barge: joins the call. */
export type MonitorMode = 'listen' | 'whisper' | 'barge';

/** POST /api/calls/:callId/monitor. */
export interface MonitorRequest {
  mode: MonitorMode;
}

/** A manager monitoring a live call from their own desk phone. */
export interface MonitorView {
  callId: string;
  managerId: string;
  managerName: string;
  /** The agent being monitored (their channel is tapped in listen and whisper). */
  agentId: string | null;
  agentName: string;
  mode: MonitorMode;
  /** ringing: the manager's phone rings; connected: it answered; ended: it hung up. */
  state: 'ringing' | 'connected' | 'ended';
}

/** Told to the agent on a monitored call, when the org allows it (null mode: nobody any more). */
export interface MonitoredNotice {
  callId: string;
  managerName: string;
  mode: MonitorMode | null;
}
