import { Injectable, Logger } from '@nestjs/common';
import { LeadInput, leadChanges, parseLeadInput } from '@leadline/domain';
import { timingSafeEqual } from 'node:crypto';
import { CampaignIntake, CampaignRepository } from '../../campaigns/campaign.repository';
import { DomainError, ErrorCode, validationFailed } from '../../common/domain-error';
import { LeadEventMap, LeadEvents } from '../../events/lead-events';
import { DeadlockException, ForeignKeyConstraintViolationException, IntakeTx, ProspectIntakeRepository, UniqueConstraintViolationException } from '../prospect-intake.repository';
import { actionPostEnvelope, ActionPostEnvelope } from './action-post.envelope';
import { ActionPostLimits } from './action-post-limits';
import { GroupCommit, Settled } from '../../database/group-commit';
import { isUuid } from '../../common/uuid';
import { newId } from '../../database/entities/base';
import { WebhookOutboxRepository } from '../../webhooks/webhook-outbox.repository';


function keysMatch(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The bodies a lead may come in (the controller and the lane refuse others with `unsupportedLeadType`). */
export const LEAD_CONTENT_TYPES = ['application/json', 'application/x-www-form-urlencoded'];

export function unsupportedLeadType(contentType: string | undefined): DomainError {
  return new DomainError(ErrorCode.UnsupportedMediaType, 'Send the lead as application/json or application/x-www-form-urlencoded', [{ field: 'content-type', message: `${contentType ?? 'none'} is not accepted` }]);
}

/** Tries per post when it loses a race to another batch (a deadlock, then the unique index). */
const MAX_ATTEMPTS = 5;

/** A checked post waiting for its batch. */
interface IntakePost {
  campaign: CampaignIntake;
  lead: LeadInput;
  phones: string[];
}

interface IntakeOutcome {
  answer: ActionPostEnvelope;
  /** Set when a prospect was created: announced once the batch is committed. */
  accepted?: LeadEventMap['prospect.accepted'];
  /** Its lead.accepted webhook event was written with it (a subscription wants it). */
  outboxWritten?: boolean;
}

@Injectable()
export class ActionPostService {
  private readonly logger = new Logger(ActionPostService.name);

  /**
   * Group commit: posts arriving together are written in one transaction (one fsync), each in a
   * savepoint of its own, in arrival order. So two posts of the same lead in one batch still make
   * one prospect (the second finds the first), and a post that fails leaves the others alone.
   * On PostgreSQL several batches are written at once; two posts of one lead in two of them meet
   * at the unique (campaign, phone) index and the second retries (see write()).
   */
  private readonly intake: GroupCommit<IntakePost, IntakeOutcome>;

  constructor(
    private readonly campaigns: CampaignRepository,
    private readonly intakeRepo: ProspectIntakeRepository,
    private readonly events: LeadEvents,
    private readonly limits: ActionPostLimits,
    private readonly outbox: WebhookOutboxRepository,
  ) {
    this.intake = new GroupCommit<IntakePost, IntakeOutcome>(
      (posts) =>
        this.intakeRepo.writeBatch(async (tx) => {
          // Asked before any post's savepoint: on PostgreSQL the lock it takes must last the batch.
          // No lead.accepted outbox row is written for an org nobody subscribed it for.
          const wanted = new Map<string, boolean>();
          for (const orgId of new Set(posts.map((p) => p.campaign.orgId))) wanted.set(orgId, await tx.wantsLeadAccepted(orgId));
          const results: Settled<IntakeOutcome>[] = [];
          for (const post of posts) results.push(await this.write(tx, post, wanted.get(post.campaign.orgId) === true));
          return results;
        }),
      500,
      intakeRepo.concurrentBatches,
    );
  }

  /** Takes one lead post. Answers only once the prospect is committed; distribution starts after. */
  async post(campaignId: string, key: string | undefined, body: unknown, sourceAddress: string): Promise<ActionPostEnvelope> {
    // The key is checked before anything is counted against the campaign: posts without the right
    // key (or to a campaign that does not exist) only spend their source address's budget.
    const campaign = isUuid(campaignId) ? await this.campaigns.findForIntake(campaignId) : null;
    if (!campaign) throw await this.refused(sourceAddress, new DomainError(ErrorCode.CampaignNotFound, `Campaign ${campaignId} not found`));
    if (!key) throw await this.refused(sourceAddress, new DomainError(ErrorCode.InvalidCampaignKey, 'Missing campaign key: send it in the X-Api-Key header (or as ?key=)'));
    if (!keysMatch(campaign.apiKey, key)) throw await this.refused(sourceAddress, new DomainError(ErrorCode.InvalidCampaignKey, 'Campaign key is wrong (was it rotated?)'));
    if (await this.limits.campaignOverLimit(campaign.id)) throw new DomainError(ErrorCode.RateLimited, 'Too many posts to this campaign in the last minute; slow down and retry later');
    const parsed = parseLeadInput(body);
    if (!parsed.ok) throw validationFailed(parsed.errors, 'Lead refused');

    const outcome = await this.intake.submit({ campaign, lead: parsed.lead, phones: parsed.phones });
    // Committed: now (and only now) distribution may start.
    if (outcome.accepted) {
      this.logger.log(`prospect ${outcome.accepted.prospectId} accepted in campaign ${campaign.id} (${campaign.distributionType})`);
      this.events.emit('prospect.accepted', outcome.accepted);
      // Its lead.accepted webhook event was committed with it.
      if (outcome.outboxWritten) this.outbox.written();
    }
    return outcome.answer;
  }

  /** The error for a refused post, or a 429 once its address has been refused too often. */
  private async refused(sourceAddress: string, error: DomainError): Promise<DomainError> {
    if (await this.limits.badPostOverLimit(sourceAddress)) return new DomainError(ErrorCode.RateLimited, 'Too many refused posts from your address in the last minute; check the campaign URL and key, then retry later');
    return error;
  }

  /** One post inside its batch's transaction, in a savepoint of its own. */
  private async write(tx: IntakeTx, post: IntakePost, leadAcceptedWanted: boolean): Promise<Settled<IntakeOutcome>> {
    // A phone taken between our match and our insert (only possible from another batch: on
    // PostgreSQL, a concurrent batch of this server or another server's) is retried: the retry then
    // finds the prospect that took it. So is a deadlock between two such batches.
    for (let attempt = 1; ; attempt++) {
      const result = await tx.isolated(() => this.decide(tx, post, leadAcceptedWanted));
      if (result.ok) return result;
      if (result.error instanceof DeadlockException && attempt < MAX_ATTEMPTS) continue;
      if (result.error instanceof UniqueConstraintViolationException) {
        if (attempt < MAX_ATTEMPTS) continue;
        return { ok: false, error: new DomainError(ErrorCode.PhoneConflict, 'A phone of this lead belongs to another lead in this campaign') };
      }
      if (result.error instanceof ForeignKeyConstraintViolationException) {
        // The campaign was deleted after we looked it up.
        return { ok: false, error: new DomainError(ErrorCode.CampaignNotFound, `Campaign ${post.campaign.id} not found`) };
      }
      return result;
    }
  }

  /** The four scenarios: new lead, unassigned match, assigned match with changes, without changes. */
  private async decide(tx: IntakeTx, { campaign, lead, phones }: IntakePost, leadAcceptedWanted: boolean): Promise<IntakeOutcome> {
    const match = await tx.match(campaign.id, phones);
    if (!match) {
      const prospect = { id: newId(), createdAt: new Date(), orgId: campaign.orgId, campaignId: campaign.id, lead, leadProvider: lead.leadProvider ?? campaign.leadProvider ?? null, phones };
      const accepted = leadAcceptedWanted
        ? this.outbox.leadAccepted({
            lead: { ...lead, prospectId: prospect.id, campaign: { id: campaign.id, name: campaign.name }, leadProvider: prospect.leadProvider },
            orgId: campaign.orgId,
            distributionType: campaign.distributionType,
            at: prospect.createdAt,
          })
        : null;
      await tx.createProspect(prospect, accepted);
      const initialStatusId = await tx.initialStatus(campaign.id);
      return {
        answer: actionPostEnvelope(1, { prospectId: prospect.id, applicationId: null }, 'Prospect created'),
        accepted: { prospectId: prospect.id, campaignId: campaign.id, orgId: campaign.orgId, acceptedAt: prospect.createdAt, distributionType: campaign.distributionType, initialStatusId },
        outboxWritten: accepted !== null,
      };
    }
    // Consent evidence is written once: a later post may add it to a lead that has none, never replace it.
    const addConsent = lead.consent && !match.hasConsent ? { consent: lead.consent } : {};
    if (!match.applicationId) {
      if (addConsent.consent) {
        await tx.updateProspect(match.id, addConsent);
        return { answer: actionPostEnvelope(1, { prospectId: match.id, applicationId: null }, 'A matching prospect in this campaign is not assigned yet; nothing was created; its consent evidence was stored') };
      }
      return { answer: actionPostEnvelope(1, { prospectId: match.id, applicationId: null }, 'A matching prospect in this campaign is not assigned yet; nothing was created') };
    }
    const changes = { ...leadChanges(match.current, lead), ...addConsent };
    const changed = Object.keys(changes);
    if (!changed.length) {
      return { answer: actionPostEnvelope(2, { prospectId: match.id, applicationId: match.applicationId }, 'Matching application found; no fields to update') };
    }
    await tx.addPhones(campaign.id, match.id, phones);
    await tx.updateProspect(match.id, changes);
    return { answer: actionPostEnvelope(1, { prospectId: match.id, applicationId: match.applicationId }, `Application updated: ${changed.join(', ')}`) };
  }
}
