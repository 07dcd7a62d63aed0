import { Injectable } from '@nestjs/common';
import { normalizePhone } from '@leadline/domain';
import { Org } from '../database/entities';
import { OrgView, UpdateOrgDto } from './org.dto';
import { OrgRepository } from './org.repository';

const toView = (o: Org): OrgView => ({ id: o.id, name: o.name, callerId: o.callerId ?? null, orgNumber: o.orgNumber ?? null });
const phoneOrNull = (value: string | null) => (value ? (normalizePhone(value) ?? null) : null);

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
    await this.orgs.save(org);
    return toView(org);
  }
}
