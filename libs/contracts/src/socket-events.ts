// The socket.io contract between the server, the dashboard and the desk daemon.
// Dashboards connect with `io(url, { auth: { token: <access token> } })`; desk daemons with
// `io(url, { auth: { deviceToken: <device token> } })` and only receive presence.
// Unauthenticated sockets are refused during the handshake (connect_error).
import type { DialAck, DialCallNotice, DialHoldExpiredNotice, DialNextView, DialResultView } from './dial-mode';
import type { LiveCallView, MonitoredNotice, MonitorView } from './live-calls';
import type { Presence } from './presence';
import type { WallboardSnapshot } from './reports';

export interface LeadOfferSummary {
  prospectId: string;
  name: string;
  state: string | null;
  loanPurpose: string | null;
  loanAmount: number | null;
  campaign: { id: string; name: string };
  leadProvider: string | null;
  /** When the offer is withdrawn if nobody takes it (ISO 8601). */
  expiresAt: string;
}

export type LeadClaimAck = { ok: true; applicationId: string } | { ok: false; reason: 'taken' | 'not_offered' | 'invalid' | 'error' };

export interface LeadAssignedNotice {
  prospectId: string;
  applicationId: string;
  via: string;
}

export interface IncomingCallNotice {
  callId: string;
  /** The caller's number, or null when it is blocked. */
  from: string | null;
  /** Known lead details; null when none matched or when the agent's "show incoming call details" is off. */
  lead: { prospectId: string; applicationId: string | null; name: string; state: string | null; loanPurpose: string | null; loanAmount: number | null; campaign: string } | null;
  /** True when details exist but the agent chose not to see them. */
  detailsHidden: boolean;
}

export interface ServerToClientEvents {
  /** An inbound call is ringing this agent's phone: show the popup. */
  'call:incoming': (notice: IncomingCallNotice) => void;
  /** That call stopped ringing this agent (answered here or elsewhere, or gone): hide the popup. */
  'call:ended': (notice: { callId: string; answeredByYou: boolean }) => void;
  /** A lead the agent may take (Distribute All): the first claim wins. */
  'lead:offer': (offer: LeadOfferSummary) => void;
  /** Another agent took the lead: remove the offer. */
  'lead:taken': (notice: { prospectId: string }) => void;
  /** Nobody took the lead in time: remove the offer. */
  'lead:expired': (notice: { prospectId: string }) => void;
  /** A lead was assigned to this agent (by a manager, a default-agent rule, or their own claim). */
  'lead:assigned': (notice: LeadAssignedNotice) => void;
  /** The connection's own agent presence: sent at once on connect, then on every change. */
  presence: (presence: Presence) => void;
  /** Managers and admins who subscribed to the team view: every agent's presence changes. */
  'presence:team': (presence: Presence) => void;
  /** Managers and admins who subscribed to the wallboard: the whole board, again on every change. */
  wallboard: (snapshot: WallboardSnapshot) => void;
  /** A connected call you are on (or, for managers watching the team, any live call) changed: parties, hold, transfer. */
  'call:live': (call: LiveCallView) => void;
  /** That connected call is over. */
  'call:live-ended': (notice: { callId: string }) => void;
  /** Managers watching the team: a manager's monitoring of a live call started, changed mode or ended. */
  'call:monitor': (monitor: MonitorView) => void;
  /** The agent on a monitored call, only when the org tells agents (`monitorNoticeToAgent`). */
  'call:monitored': (notice: MonitoredNotice) => void;
  /** Dial mode: progress of the operator's current call. */
  'dial:call': (notice: DialCallNotice) => void;
  /** Dial mode: a result was applied to the operator's lead (by them, or detected from Asterisk). */
  'dial:result': (result: DialResultView) => void;
  /**
   * The server is about to disconnect this socket: its access token expired (log in again), its
   * user was deleted, its rights changed (reconnect: the new rights apply), or its device token
   * was revoked.
   */
  'session:ended': (notice: { reason: SessionEndReason }) => void;
  /** Dial mode: the operator's lead went back to its queue after a while without activity. */
  'dial:expired': (notice: DialHoldExpiredNotice) => void;
}

export type SessionEndReason = 'token_expired' | 'user_deleted' | 'rights_changed' | 'device_revoked';

export interface ClientToServerEvents {
  'lead:claim': (request: { prospectId: string }, ack: (answer: LeadClaimAck) => void) => void;
  /** Managers/admins: start receiving `presence:team`; answered with everyone's current presence. */
  'presence:subscribe-team': (ack: (answer: { ok: true; team: Presence[] } | { ok: false; reason: 'forbidden' }) => void) => void;
  /** Managers/admins: start receiving `wallboard`; answered with the board as it is now (same as GET /api/wallboard). */
  'wallboard:subscribe': (ack: (answer: { ok: true; snapshot: WallboardSnapshot } | { ok: false; reason: 'forbidden' | 'error' }) => void) => void;
  /** Dial mode: hand me the next due lead and dial it (same as POST /api/dial-mode/next). */
  'dial:next': (request: { campaignId?: string; mode?: string }, ack: (answer: DialAck<DialNextView>) => void) => void;
  /** Dial mode: record the result of my current lead (same as POST /api/dial-mode/current/result). */
  'dial:result': (request: { button: string; statusId?: string; callbackAt?: string }, ack: (answer: DialAck<DialResultView>) => void) => void;
  /** Dial mode: give my current lead back unchanged (same as POST /api/dial-mode/current/release). */
  'dial:release': (ack: (answer: DialAck<{ released: boolean }>) => void) => void;
}
