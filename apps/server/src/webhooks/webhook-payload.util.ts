import { CALL_KINDS, CallKind, INBOUND_MISSED_RESULTS, WEBHOOK_PAYLOAD_VERSION } from '@leadline/domain';
import type { WebhookCall, WebhookEventDataMap, WebhookLead, WebhookUser } from '@leadline/contracts';
import { randomUUID } from 'node:crypto';

// Webhook bodies (libs/contracts/src/webhooks.ts, docs/webhooks.md), built from plain values.
// No I/O: the outbox repository reads the rows and hands them here.

export type OutboxEventType = keyof WebhookEventDataMap;

/** One row of the outbox: the event and the exact body every delivery of it sends. */
export interface OutboxEvent {
  id: string;
  orgId: string;
  type: OutboxEventType;
  /** The lead it is about: a lead's events are delivered in order. */
  prospectId: string | null;
  body: string;
  createdAt: Date;
}

export function outboxEvent<K extends OutboxEventType>(type: K, e: { orgId: string; prospectId: string | null; at: Date; data: WebhookEventDataMap[K] }): OutboxEvent {
  const id = randomUUID();
  const body = JSON.stringify({ id, type, version: WEBHOOK_PAYLOAD_VERSION, occurredAt: e.at.toISOString(), orgId: e.orgId, data: e.data });
  return { id, orgId: e.orgId, type, prospectId: e.prospectId, body, createdAt: e.at };
}

/** A lead's fields as a row or a post holds them (undefined and null alike mean "not given"). */
export interface LeadFields {
  prospectId: string;
  campaign: { id: string; name: string };
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  mobilePhone?: string | null;
  homePhone?: string | null;
  workPhone?: string | null;
  propertyState?: string | null;
  loanPurpose?: string | null;
  loanAmount?: number | null;
  leadProvider?: string | null;
  extra?: Record<string, string> | null;
}

export function webhookLead(l: LeadFields): WebhookLead {
  return {
    prospectId: l.prospectId,
    campaign: { id: l.campaign.id, name: l.campaign.name },
    firstName: l.firstName ?? null,
    lastName: l.lastName ?? null,
    email: l.email ?? null,
    mobilePhone: l.mobilePhone ?? null,
    homePhone: l.homePhone ?? null,
    workPhone: l.workPhone ?? null,
    propertyState: l.propertyState ?? null,
    loanPurpose: l.loanPurpose ?? null,
    loanAmount: l.loanAmount ?? null,
    leadProvider: l.leadProvider ?? null,
    extra: { ...(l.extra ?? {}) },
  };
}

/** A user as a webhook names them. */
export interface WebhookUserFields {
  id: string;
  name: string;
  email: string;
}

export function webhookUser(u: WebhookUserFields): WebhookUser {
  return { id: u.id, name: u.name, email: u.email };
}

/** A call-activity row, as far as a webhook reports it. */
export interface CallLegFields {
  id: string;
  purpose: string;
  callKind: CallKind | null;
  direction: 'outbound' | 'inbound';
  fromNumber: string | null;
  toNumber: string | null;
  startedAt: Date;
  answeredAt: Date | null;
  endedAt: Date;
  ringSeconds: number | null;
  talkSeconds: number | null;
  result: string;
  callerIdReason: string | null;
}

/**
 * The legs whose end is a call.ended: the borrower's side of a call (the outbound leg to the
 * borrower, the inbound caller's leg). Agents' own legs (ring-all offers, inbound ringing, the
 * operator's leg) are how Leadline reached its agents, not calls with the borrower.
 */
export const BORROWER_LEG_PURPOSES: readonly string[] = ['borrower', 'inbound'];

export function isBorrowerLeg(purpose: string): boolean {
  return BORROWER_LEG_PURPOSES.includes(purpose);
}

/**
 * The kind call.ended reports for a leg's call (phone_call.kind), or null when webhooks report no
 * such call: desk-phone and monitoring calls, and legs from before calls were kept (no call).
 */
export function webhookCallKind(callKind: string | null | undefined): CallKind | null {
  return CALL_KINDS.find((k) => k === callKind) ?? null;
}

/** An inbound caller's leg that ended without an agent: inbound.missed as well. */
export function isMissedInbound(leg: Pick<CallLegFields, 'purpose' | 'result'>): boolean {
  return leg.purpose === 'inbound' && (INBOUND_MISSED_RESULTS as readonly string[]).includes(leg.result);
}

export function webhookCall(leg: CallLegFields & { callKind: CallKind }): WebhookCall {
  return {
    id: leg.id,
    kind: leg.callKind,
    direction: leg.direction,
    from: leg.fromNumber,
    to: leg.toNumber,
    startedAt: leg.startedAt.toISOString(),
    answeredAt: leg.answeredAt?.toISOString() ?? null,
    endedAt: leg.endedAt.toISOString(),
    ringSeconds: leg.ringSeconds,
    talkSeconds: leg.talkSeconds,
    result: leg.result,
    callerIdReason: leg.direction === 'outbound' ? leg.callerIdReason : null,
  };
}
