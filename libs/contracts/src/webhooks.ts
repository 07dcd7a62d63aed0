// Webhooks: the JSON bodies Leadline POSTs to subscribers (version 1; JSON Schemas and examples in
// docs/webhooks.md and docs/webhook-schemas/), and the REST views of subscriptions and deliveries.
// Plain types only. Times are ISO 8601 UTC strings.
import type { AssignmentVia, CallKind, DistributionType, WebhookDeliveryStatus, WebhookEventType } from '@leadline/domain';

// ---- payloads ----

/** Every body: the event id stays the same on every attempt and replay (de-duplicate on it). */
export interface WebhookEnvelope<T extends string, D> {
  id: string;
  type: T;
  version: 1;
  /** When the change happened (committed), not when this attempt was sent. */
  occurredAt: string;
  orgId: string;
  data: D;
}

/** A user as a webhook names them. */
export interface WebhookUser {
  id: string;
  name: string;
  email: string;
}

/** The lead's fields at the moment of the event (phones in E.164). */
export interface WebhookLead {
  prospectId: string;
  campaign: { id: string; name: string };
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  mobilePhone: string | null;
  homePhone: string | null;
  workPhone: string | null;
  propertyState: string | null;
  loanPurpose: string | null;
  loanAmount: number | null;
  leadProvider: string | null;
  extra: Record<string, string>;
}

/** A link that plays a recording without a login, until `expiresAt`. */
export interface WebhookRecordingLink {
  url: string;
  expiresAt: string;
}

export interface WebhookCall {
  /** The call-activity row of the borrower's leg. */
  id: string;
  kind: CallKind;
  direction: 'outbound' | 'inbound';
  from: string | null;
  to: string | null;
  startedAt: string;
  answeredAt: string | null;
  endedAt: string;
  ringSeconds: number | null;
  talkSeconds: number | null;
  /** completed, no_answer, busy, failed, rejected, cancelled, interrupted (outbound); answered, voicemail, abandoned, forwarded, failed, interrupted (inbound). */
  result: string;
  /** Why the caller ID shown to the borrower was chosen (outbound): local_presence, agent_caller_id, org_number. */
  callerIdReason: string | null;
}

export interface LeadAcceptedData {
  lead: WebhookLead;
  distributionType: DistributionType;
}

export interface LeadAssignedData {
  lead: WebhookLead;
  applicationId: string;
  via: AssignmentVia;
  agent: WebhookUser;
  /** Who assigned it by hand (via manual); null when an agent took it or the campaign's default agent got it. */
  assignedBy: WebhookUser | null;
}

export interface LeadExceptionData {
  lead: WebhookLead;
  /** One of PRODUCT.md §3's four reasons. */
  reason: string;
  detail: string | null;
}

export interface CallEndedData {
  call: WebhookCall;
  prospectId: string | null;
  applicationId: string | null;
  /** The agent who talked to the borrower (or was rung for them); null when nobody did. */
  agent: WebhookUser | null;
  borrowerPhone: string | null;
  recording: WebhookRecordingLink | null;
}

export interface DialModeResultData {
  prospectId: string;
  applicationId: string | null;
  entryId: string;
  campaignId: string;
  mode: string;
  button: string;
  /** operator: the operator pressed it; asterisk: busy / no answer / failed detected on the call. */
  by: 'operator' | 'asterisk';
  operator: WebhookUser;
  attempts: number;
  effect: 'requeued' | 'left_queue';
  subState: string | null;
  dueAt: string | null;
  reason: string | null;
  leadStatusId: string | null;
}

export interface InboundMissedData {
  call: WebhookCall;
  callerPhone: string | null;
  prospectId: string | null;
  applicationId: string | null;
  /** The caller's message, when they left one. */
  voicemail: WebhookRecordingLink | null;
}

export interface WebhookTestData {
  subscriptionId: string;
  message: string;
}

/** Every event type's data. */
export interface WebhookEventDataMap {
  'lead.accepted': LeadAcceptedData;
  'lead.assigned': LeadAssignedData;
  'lead.exception': LeadExceptionData;
  'call.ended': CallEndedData;
  'dial_mode.result': DialModeResultData;
  'inbound.missed': InboundMissedData;
  'webhook.test': WebhookTestData;
}

export type WebhookBody = { [K in keyof WebhookEventDataMap]: WebhookEnvelope<K, WebhookEventDataMap[K]> }[keyof WebhookEventDataMap];

// ---- REST views ----

export interface WebhookSubscriptionView {
  id: string;
  url: string;
  description: string | null;
  events: WebhookEventType[];
  active: boolean;
  maxConcurrency: number;
  timeoutSeconds: number;
  createdAt: string;
  updatedAt: string;
  /** When the previous secret stops being sent alongside the current one (after a rotation). */
  previousSecretExpiresAt: string | null;
  /** Deliveries by status, for the list. */
  counts: Record<WebhookDeliveryStatus, number>;
  /** Only right after creation or rotation: shown once. */
  secret?: string;
}

export interface WebhookAttemptView {
  attempt: number;
  startedAt: string;
  /** The receiver's HTTP status; null when none came (timeout, refused, DNS …). */
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
  /** The server instance that sent it. */
  sentBy: string;
}

export interface WebhookDeliveryView {
  id: string;
  eventId: string;
  eventType: string;
  prospectId: string | null;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
  deadAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  lastLatencyMs: number | null;
  /** Newest first. */
  attemptLog: WebhookAttemptView[];
}
