import { Injectable } from '@nestjs/common';
import { DiallingPolicy, normalizePhone, RecordingPolicy } from '@leadline/domain';
import { Org } from '../database/entities';
import { OrgView, UpdateOrgDto } from './org.dto';
import { OrgRepository } from './org.repository';

const toView = (o: Org): OrgView => ({
  id: o.id,
  name: o.name,
  callerId: o.callerId ?? null,
  orgNumber: o.orgNumber ?? null,
  timeZone: o.timeZone,
  dialling: diallingPolicyOf(o),
  emergencyCallerId: o.emergencyCallerId ?? null,
  recording: recordingPolicyOf(o),
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
    return toView(await this.orgs.get(orgId));
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
    return toView(org);
  }
}
