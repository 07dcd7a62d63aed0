import { Injectable } from '@nestjs/common';
import { checkPromptWav, DiallingPolicy, normalizePhone, RecordingPolicy } from '@leadline/domain';
import { createHash } from 'node:crypto';
import { DomainError, ErrorCode, validationFailed } from '../common/domain-error';
import { Org } from '../database/entities';
import { OrgView, UpdateOrgDto } from './org.dto';
import { OrgRepository } from './org.repository';

const toView = (o: Org, promptSeconds: number | null): OrgView => ({
  id: o.id,
  name: o.name,
  callerId: o.callerId ?? null,
  orgNumber: o.orgNumber ?? null,
  timeZone: o.timeZone,
  dialling: diallingPolicyOf(o),
  emergencyCallerId: o.emergencyCallerId ?? null,
  recording: {
    ...recordingPolicyOf(o),
    customDisclosure: o.disclosurePrompt && o.disclosurePromptUploadedAt && promptSeconds !== null ? { seconds: promptSeconds, uploadedAt: o.disclosurePromptUploadedAt.toISOString() } : null,
  },
  monitorNoticeToAgent: o.monitorNoticeToAgent,
});
const phoneOrNull = (value: string | null) => (value ? (normalizePhone(value) ?? null) : null);

/** The org's dialling policy, as libs/domain checks it. */
export function diallingPolicyOf(o: Pick<Org, 'dialAllowInternational' | 'dialAllowPremium' | 'dialAllowN11'>): DiallingPolicy {
  return { allowInternational: o.dialAllowInternational, allowPremium: o.dialAllowPremium, allowN11: o.dialAllowN11 };
}

/** The org's recording policy, as libs/domain applies it. */
export function recordingPolicyOf(o: Pick<Org, 'recordingAllPartyStates' | 'recordingOnePartyStates'>): RecordingPolicy {
  return { allPartyStates: o.recordingAllPartyStates, onePartyStates: o.recordingOnePartyStates };
}

@Injectable()
export class OrgService {
  constructor(private readonly orgs: OrgRepository) {}

  async get(orgId: string): Promise<OrgView> {
    return this.view(await this.orgs.get(orgId));
  }

  /** The admin's own disclosure prompt: checked (checkPromptWav), kept, used from the next call on. */
  async setDisclosurePrompt(orgId: string, wav: Buffer | null): Promise<OrgView> {
    if (!wav) throw new DomainError(ErrorCode.UnsupportedMediaType, 'Send the prompt as the request body with Content-Type audio/wav');
    const check = checkPromptWav(wav);
    if (!check.ok) throw validationFailed([{ field: 'body', message: check.message }], 'The prompt cannot be used');
    const org = await this.orgs.get(orgId);
    await this.orgs.setDisclosurePrompt(org, { sha256: createHash('sha256').update(wav).digest('hex'), wav, seconds: check.seconds }, new Date());
    return this.view(org);
  }

  /** Back to the committed default prompt. */
  async resetDisclosurePrompt(orgId: string): Promise<OrgView> {
    const org = await this.orgs.get(orgId);
    org.disclosurePrompt = null;
    org.disclosurePromptUploadedAt = null;
    await this.orgs.save(org);
    return this.view(org);
  }

  /** A prompt's WAV for Asterisk, by its SHA-256 (only while an org uses it). */
  async promptFile(sha256: string): Promise<Buffer> {
    const wav = /^[0-9a-f]{64}$/.test(sha256) ? await this.orgs.promptInUse(sha256) : null;
    if (!wav) throw new DomainError(ErrorCode.PromptNotFound, 'No such prompt');
    return wav;
  }

  private async view(org: Org): Promise<OrgView> {
    return toView(org, org.disclosurePrompt ? await this.orgs.promptSeconds(org.disclosurePrompt) : null);
  }

  async update(orgId: string, dto: UpdateOrgDto): Promise<OrgView> {
    const org = await this.orgs.get(orgId);
    if (dto.name !== undefined) org.name = dto.name;
    if (dto.callerId !== undefined) org.callerId = phoneOrNull(dto.callerId);
    if (dto.orgNumber !== undefined) org.orgNumber = phoneOrNull(dto.orgNumber);
    if (dto.timeZone !== undefined) org.timeZone = dto.timeZone;
    if (dto.dialling?.allowInternational !== undefined) org.dialAllowInternational = dto.dialling.allowInternational;
    if (dto.dialling?.allowPremium !== undefined) org.dialAllowPremium = dto.dialling.allowPremium;
    if (dto.dialling?.allowN11 !== undefined) org.dialAllowN11 = dto.dialling.allowN11;
    if (dto.emergencyCallerId !== undefined) org.emergencyCallerId = phoneOrNull(dto.emergencyCallerId);
    if (dto.recording?.allPartyStates !== undefined) org.recordingAllPartyStates = dto.recording.allPartyStates;
    if (dto.recording?.onePartyStates !== undefined) org.recordingOnePartyStates = dto.recording.onePartyStates;
    if (dto.monitorNoticeToAgent !== undefined) org.monitorNoticeToAgent = dto.monitorNoticeToAgent;
    await this.orgs.save(org);
    return this.view(org);
  }
}
