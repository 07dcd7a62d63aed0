import { EntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import type { AssignmentVia, DistributionType } from '@leadline/domain';
import type { DialModeResultData } from '@leadline/contracts';
import { Application, CallActivity, Prospect, User, WebhookEvent } from '../database/entities';
import type { SqlDialect } from '../database/portable-schema';
import { placeholder } from '../database/prepared-sql';
import { RecordingLinks } from '../recordings/recording-links';
import { isBorrowerLeg, isMissedInbound, LeadFields, OutboxEvent, outboxEvent, webhookCall, webhookCallKind, webhookLead, webhookUser, WebhookUserFields } from './webhook-payload.util';

/** Columns of an outbox row as the Action Post writers insert it (their own prepared statements). */
export const OUTBOX_COLUMNS = 'event_id, org_id, type, prospect_id, body, created_at, fanned_out';

/** One outbox row, not yet fanned out (params: event id, org id, type, prospect id, body, created at). */
export const insertOutboxSql = (dialect: SqlDialect) =>
  `insert into webhook_event (${OUTBOX_COLUMNS}) values (${[1, 2, 3, 4, 5, 6].map((n) => placeholder(dialect, n)).join(', ')}, ${dialect === 'sqlite' ? 0 : 'false'})`;

/**
 * The outbox: every webhook event is written here, inside the transaction of the change it
 * reports, so it is committed or rolled back with it (docs/webhooks.md). The methods take the
 * caller's transactional EntityManager; they read what the payload needs through it (so they see
 * the transaction's own writes; outside its identity map, so its flush writes none of them back)
 * and insert one row. Delivery is the dispatcher's business.
 * Action Post's writers and an assignment insert the row themselves in their own transaction's
 * plain SQL (`leadAccepted`, `leadAssigned` build it).
 */
@Injectable()
export class WebhookOutboxRepository {
  private readonly listeners: (() => void)[] = [];

  constructor(private readonly links: RecordingLinks) {}

  /** Told (on a later turn) whenever this process wrote an event: the dispatcher looks sooner than its next poll. */
  onWritten(listener: () => void): void {
    this.listeners.push(listener);
  }

  written(): void {
    if (this.listeners.length) setImmediate(() => this.listeners.forEach((l) => l()));
  }

  /** Inserts one event in `em`'s transaction. */
  async add(em: EntityManager, event: OutboxEvent): Promise<void> {
    await em.insert(WebhookEvent, { eventId: event.id, orgId: event.orgId, type: event.type, prospectId: event.prospectId, body: event.body, createdAt: event.createdAt, fannedOut: false });
    this.written();
  }

  /** lead.accepted of a new prospect, for the Action Post writers to insert with it. */
  leadAccepted(p: { lead: LeadFields; orgId: string; distributionType: DistributionType; at: Date }): OutboxEvent {
    return outboxEvent('lead.accepted', { orgId: p.orgId, prospectId: p.lead.prospectId, at: p.at, data: { lead: webhookLead(p.lead), distributionType: p.distributionType } });
  }

  /** lead.assigned, for the assignment's transaction to insert (ProspectRepository.assign, plain SQL). */
  leadAssigned(a: { lead: LeadFields; orgId: string; applicationId: string; via: AssignmentVia; agent: WebhookUserFields; assignedBy: WebhookUserFields | null; at: Date }): OutboxEvent {
    return outboxEvent('lead.assigned', {
      orgId: a.orgId,
      prospectId: a.lead.prospectId,
      at: a.at,
      data: { lead: webhookLead(a.lead), applicationId: a.applicationId, via: a.via, agent: webhookUser(a.agent), assignedBy: a.assignedBy ? webhookUser(a.assignedBy) : null },
    });
  }

  async leadException(em: EntityManager, e: { prospectId: string; reason: string; detail: string | null; at: Date }): Promise<void> {
    const prospect = await this.prospect(em, e.prospectId);
    await this.add(em, outboxEvent('lead.exception', { orgId: prospect.org.id, prospectId: prospect.id, at: e.at, data: { lead: leadOf(prospect), reason: e.reason, detail: e.detail } }));
  }

  /**
   * A call-activity row just got its end (in `em`'s transaction): call.ended when it is the
   * borrower's side of a call, and inbound.missed as well when nobody answered an inbound caller.
   * The call's kind is its phone_call row's; agents' own legs, calls of kinds webhooks don't
   * report, and legs from before calls were kept (no call) report nothing.
   */
  async callLegEnded(em: EntityManager, activityId: string): Promise<void> {
    // Most legs are agents' (ten per ring-all round), which report nothing: their purpose alone
    // decides, without loading the leg, its agent and its call.
    const [row] = await em.execute<{ purpose: string }[]>('select purpose from call_activity where id = ?', [activityId]);
    if (!row || !isBorrowerLeg(row.purpose)) return;
    // Read only, like every read here: kept out of the identity map, so the transaction's flush does
    // not write the leg, its agent and its call back (it did: their datetime columns, updated_at anew).
    const leg = await em.findOne(CallActivity, { id: activityId }, { populate: ['user', 'call'], refresh: true, disableIdentityMap: true });
    const kind = webhookCallKind(leg?.call?.kind);
    if (!leg?.endedAt || !kind || !isBorrowerLeg(leg.purpose)) return;
    const fields = { ...leg, callKind: kind, fromNumber: leg.fromNumber ?? null, toNumber: leg.toNumber ?? null, answeredAt: leg.answeredAt ?? null, endedAt: leg.endedAt, ringSeconds: leg.ringSeconds ?? null, talkSeconds: leg.talkSeconds ?? null, callerIdReason: leg.callerIdReason ?? null };
    const prospectId = leg.prospect?.id ?? null;
    const application = prospectId ? await em.findOne(Application, { prospect: prospectId }, { fields: ['id'], disableIdentityMap: true }) : null;
    const recording = leg.recording ? this.links.link(leg.id, leg.endedAt) : null;
    const call = webhookCall(fields);
    const borrowerPhone = leg.direction === 'inbound' ? (leg.fromNumber ?? null) : (leg.toNumber ?? null);
    const common = { orgId: leg.org.id, prospectId, at: leg.endedAt };
    await this.add(em, outboxEvent('call.ended', { ...common, data: { call, prospectId, applicationId: application?.id ?? null, agent: leg.user ? webhookUser(leg.user) : null, borrowerPhone, recording } }));
    if (isMissedInbound(leg)) {
      await this.add(em, outboxEvent('inbound.missed', { ...common, data: { call, callerPhone: borrowerPhone, prospectId, applicationId: application?.id ?? null, voicemail: leg.result === 'voicemail' ? recording : null } }));
    }
  }

  async dialModeResult(em: EntityManager, r: Omit<DialModeResultData, 'operator' | 'applicationId'> & { orgId: string; operatorId: string; at: Date }): Promise<void> {
    const operator = await em.findOneOrFail(User, { id: r.operatorId }, { disableIdentityMap: true });
    const application = await em.findOne(Application, { prospect: r.prospectId }, { fields: ['id'], disableIdentityMap: true });
    const data: DialModeResultData = {
      prospectId: r.prospectId,
      applicationId: application?.id ?? null,
      entryId: r.entryId,
      campaignId: r.campaignId,
      mode: r.mode,
      button: r.button,
      by: r.by,
      operator: webhookUser(operator),
      attempts: r.attempts,
      effect: r.effect,
      subState: r.subState,
      dueAt: r.dueAt,
      reason: r.reason,
      leadStatusId: r.leadStatusId,
    };
    await this.add(em, outboxEvent('dial_mode.result', { orgId: r.orgId, prospectId: r.prospectId, at: r.at, data }));
  }

  private prospect(em: EntityManager, id: string): Promise<Prospect> {
    return em.findOneOrFail(Prospect, { id }, { populate: ['campaign'], refresh: true, disableIdentityMap: true });
  }
}

function leadOf(p: Prospect) {
  return webhookLead({ ...p, prospectId: p.id, campaign: { id: p.campaign.id, name: p.campaign.name } });
}
