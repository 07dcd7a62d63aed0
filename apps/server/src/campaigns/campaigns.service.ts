import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { DomainError, ErrorCode, notFound, validationFailed } from '../common/domain-error';
import { Campaign } from '../database/entities';
import { CampaignView, CreateCampaignDto, UpdateCampaignDto } from './campaign.dto';
import { CampaignRepository } from './campaign.repository';

export const newCampaignKey = () => randomBytes(24).toString('base64url');

@Injectable()
export class CampaignsService {
  constructor(
    private readonly campaigns: CampaignRepository,
    private readonly config: AppConfig,
  ) {}

  async list(orgId: string): Promise<CampaignView[]> {
    return (await this.campaigns.list(orgId)).map((c) => this.toView(c));
  }

  async get(orgId: string, id: string): Promise<CampaignView> {
    return this.toView(await this.require(orgId, id));
  }

  async create(orgId: string, dto: CreateCampaignDto): Promise<CampaignView> {
    const campaign = this.campaigns.newCampaign(orgId);
    campaign.apiKey = newCampaignKey();
    await this.apply(orgId, campaign, dto);
    await this.campaigns.save(campaign);
    return this.toView(campaign);
  }

  async update(orgId: string, id: string, dto: UpdateCampaignDto): Promise<CampaignView> {
    const campaign = await this.require(orgId, id);
    await this.apply(orgId, campaign, dto);
    await this.campaigns.save(campaign);
    return this.toView(campaign);
  }

  /** A new key; the old one stops working at once. */
  async rotateKey(orgId: string, id: string): Promise<CampaignView> {
    const campaign = await this.require(orgId, id);
    campaign.apiKey = newCampaignKey();
    await this.campaigns.save(campaign);
    return this.toView(campaign);
  }

  async remove(orgId: string, id: string): Promise<void> {
    const campaign = await this.require(orgId, id);
    try {
      await this.campaigns.remove(campaign);
    } catch {
      throw new DomainError(ErrorCode.Conflict, `Campaign ${id} has leads; it cannot be deleted`);
    }
  }

  private async require(orgId: string, id: string): Promise<Campaign> {
    const campaign = await this.campaigns.get(orgId, id);
    if (!campaign) throw notFound(ErrorCode.CampaignNotFound, 'Campaign', id);
    return campaign;
  }

  private async apply(orgId: string, campaign: Campaign, dto: UpdateCampaignDto): Promise<void> {
    if (dto.distributionGroupId !== undefined) {
      if (dto.distributionGroupId === null) campaign.distributionGroup = null;
      else {
        const group = await this.campaigns.group(orgId, dto.distributionGroupId);
        if (!group) throw validationFailed([{ field: 'distributionGroupId', message: `unknown distribution group ${dto.distributionGroupId}` }]);
        campaign.distributionGroup = group;
      }
    }
    if (dto.defaultAgentId !== undefined) {
      if (dto.defaultAgentId === null) campaign.defaultAgent = null;
      else {
        const agent = await this.campaigns.user(orgId, dto.defaultAgentId);
        if (!agent) throw validationFailed([{ field: 'defaultAgentId', message: `unknown user ${dto.defaultAgentId}` }]);
        campaign.defaultAgent = agent;
      }
    }
    if (dto.name !== undefined) campaign.name = dto.name;
    if (dto.description !== undefined) campaign.description = dto.description;
    if (dto.leadProvider !== undefined) campaign.leadProvider = dto.leadProvider;
    if (dto.distributionType !== undefined) campaign.distributionType = dto.distributionType;
    if (dto.ringTimeoutSeconds !== undefined) campaign.ringTimeoutSeconds = dto.ringTimeoutSeconds;
    if (dto.offerTimeoutSeconds !== undefined) campaign.offerTimeoutSeconds = dto.offerTimeoutSeconds;
    if (campaign.distributionType !== 'none' && !campaign.distributionGroup) {
      throw validationFailed([{ field: 'distributionGroupId', message: `is required for distribution type ${campaign.distributionType}` }]);
    }
  }

  private toView(c: Campaign): CampaignView {
    return {
      id: c.id,
      name: c.name,
      description: c.description ?? null,
      leadProvider: c.leadProvider ?? null,
      distributionType: c.distributionType,
      distributionGroupId: c.distributionGroup?.id ?? null,
      defaultAgentId: c.defaultAgent?.id ?? null,
      ringTimeoutSeconds: c.ringTimeoutSeconds,
      offerTimeoutSeconds: c.offerTimeoutSeconds,
      apiKey: c.apiKey,
      actionPostUrl: `${this.config.actionPost.publicBaseUrl}/api/action-post/${c.id}?key=${encodeURIComponent(c.apiKey)}`,
      createdAt: c.createdAt.toISOString(),
    };
  }
}
