// What the bench and the baseline process (baseline.ts) say to each other over HTTP on loopback.

/** A desk phone the baseline creates in Asterisk: a static contact like Leadline's static_ip phones. */
export interface BaselineEndpoint {
  /** PJSIP endpoint / aor id, also the user part of the INVITE's request URI. */
  id: string;
  /** host:port of the SIPp phone. */
  contact: string;
}

export interface BaselineRoundRequest {
  /** Endpoint ids to ring (at most 10). */
  endpoints: string[];
  /** E.164, dialled as PJSIP/<phone>@trunk. */
  borrowerPhone: string;
  ringTimeoutSeconds: number;
  /** Caller ID on the agent legs (Leadline: the org caller ID). */
  orgCallerId: string;
  /** Caller ID towards the borrower (Leadline: the winning agent's caller ID). */
  agentCallerId: string;
}

export interface BaselineRoundStarted {
  id: string;
  /** Wall-clock ms when the baseline started the round, before the first originate. */
  startedAt: number;
}

export type BaselineOutcome = 'taken' | 'no_answer' | 'failed';

export interface BaselineRoundView {
  id: string;
  startedAt: number;
  done: boolean;
  outcome: BaselineOutcome | null;
  winnerEndpoint: string | null;
  /** Wall-clock ms when the baseline handled the winning ChannelDtmfReceived. */
  digitHandledAt: number | null;
  errors: string[];
}

/** GET /inbound: the inbound calls taken so far (POST /inbound sets the endpoints they ring). */
export interface BaselineInboundView {
  calls: number;
  /** Channels of inbound calls still up (GET only). */
  live?: number;
  errors: string[];
}

export const BASELINE_PATHS = { health: '/health', endpoints: '/endpoints', rounds: '/rounds', inbound: '/inbound' } as const;
