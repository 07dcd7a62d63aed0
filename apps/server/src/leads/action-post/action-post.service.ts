import { Injectable, Logger } from '@nestjs/common';
import { leadChanges, parseLeadInput } from '@leadline/domain';
import { timingSafeEqual } from 'node:crypto';
import { CampaignRepository } from '../../campaigns/campaign.repository';
import { DomainError, ErrorCode, validationFailed } from '../../common/domain-error';
import { LeadEventMap, LeadEvents } from '../../events/lead-events';
import { fieldsOf, ProspectRepository, UniqueConstraintViolationException } from '../prospect.repository';
import { actionPostEnvelope, ActionPostEnvelope } from './action-post.envelope';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function keysMatch(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

@Injectable()
export class ActionPostService {
  private readonly logger = new Logger(ActionPostService.name);

  constructor(
    private readonly campaigns: CampaignRepository,
    private readonly prospects: ProspectRepository,
    private readonly events: LeadEvents,
  ) {}

  /** Takes one lead post. Answers only once the prospect is committed; distribution starts after. */
  async post(campaignId: string, key: string | undefined, body: unknown): Promise<ActionPostEnvelope> {
    if (!UUID.test(campaignId)) throw new DomainError(ErrorCode.CampaignNotFound, `Campaign ${campaignId} not found`);
    const campaign = await this.campaigns.findById(campaignId);
    if (!campaign) throw new DomainError(ErrorCode.CampaignNotFound, `Campaign ${campaignId} not found`);
    if (!key) throw new DomainError(ErrorCode.InvalidCampaignKey, 'Missing campaign key: send it in the X-Api-Key header or as ?key=');
    if (!keysMatch(campaign.apiKey, key)) throw new DomainError(ErrorCode.InvalidCampaignKey, 'Campaign key is wrong (was it rotated?)');
    const parsed = parseLeadInput(body);
    if (!parsed.ok) throw validationFailed(parsed.errors, 'Lead refused');
    const { lead, phones } = parsed;

    // Two concurrent posts of the same lead race on the unique (campaign, phone) index: the loser
    // retries and then finds the winner's prospect, so exactly one prospect exists.
    for (let attempt = 1; ; attempt++) {
      try {
        const outcome = await this.prospects.transaction(async (em): Promise<{ answer: ActionPostEnvelope; accepted?: LeadEventMap['prospect.accepted'] }> => {
          const match = await this.prospects.matchByPhones(em, campaign.id, phones);
          if (!match) {
            const prospect = this.prospects.create(em, campaign, lead, phones);
            await em.flush();
            return {
              answer: actionPostEnvelope(1, { prospectId: prospect.id, applicationId: null }, 'Prospect created'),
              accepted: { prospectId: prospect.id, campaignId: campaign.id, orgId: campaign.org.id, acceptedAt: prospect.createdAt },
            };
          }
          const { prospect, application } = match;
          if (!application) {
            return { answer: actionPostEnvelope(1, { prospectId: prospect.id, applicationId: null }, 'A matching prospect in this campaign is not assigned yet; nothing was created') };
          }
          const changes = leadChanges(prospect, lead);
          const changed = Object.keys(changes);
          if (!changed.length) {
            return { answer: actionPostEnvelope(2, { prospectId: prospect.id, applicationId: application.id }, 'Matching application found; no fields to update') };
          }
          await this.prospects.addPhones(em, prospect, phones);
          em.assign(prospect, { ...stripUndefined(fieldsOf(changes)), ...(changes.extra ? { extra: changes.extra } : {}) });
          await em.flush();
          return { answer: actionPostEnvelope(1, { prospectId: prospect.id, applicationId: application.id }, `Application updated: ${changed.join(', ')}`) };
        });
        // Committed: now (and only now) distribution may start.
        if (outcome.accepted) {
          this.logger.log(`prospect ${outcome.accepted.prospectId} accepted in campaign ${campaign.id} (${campaign.distributionType})`);
          this.events.emit('prospect.accepted', outcome.accepted);
        }
        return outcome.answer;
      } catch (err) {
        if (err instanceof UniqueConstraintViolationException && attempt < 3) continue;
        if (err instanceof UniqueConstraintViolationException) {
          throw new DomainError(ErrorCode.PhoneConflict, 'A phone of this lead belongs to another lead in this campaign');
        }
        throw err;
      }
    }
  }

}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
