import { Injectable } from '@nestjs/common';
import { ErrorCode, notFound, validationFailed } from '../common/domain-error';
import { DistributionGroup } from '../database/entities';
import { CreateDistributionGroupDto, DistributionGroupView, UpdateDistributionGroupDto } from './distribution-group.dto';
import { DistributionGroupRepository } from './distribution-group.repository';

const toView = (g: DistributionGroup): DistributionGroupView => ({
  id: g.id,
  name: g.name,
  memberIds: g.members.getItems().map((m) => m.id),
  filterStates: g.filterStates,
  filterLoanPurposes: g.filterLoanPurposes,
  filterLoanAmountMin: g.filterLoanAmountMin ?? null,
  filterLoanAmountMax: g.filterLoanAmountMax ?? null,
});

@Injectable()
export class DistributionGroupsService {
  constructor(private readonly groups: DistributionGroupRepository) {}

  async list(orgId: string): Promise<DistributionGroupView[]> {
    return (await this.groups.list(orgId)).map(toView);
  }

  async get(orgId: string, id: string): Promise<DistributionGroupView> {
    return toView(await this.require(orgId, id));
  }

  async create(orgId: string, dto: CreateDistributionGroupDto): Promise<DistributionGroupView> {
    const group = this.groups.newGroup(orgId);
    await this.apply(orgId, group, dto);
    await this.groups.save(group);
    return toView(group);
  }

  async update(orgId: string, id: string, dto: UpdateDistributionGroupDto): Promise<DistributionGroupView> {
    const group = await this.require(orgId, id);
    await this.apply(orgId, group, dto);
    await this.groups.save(group);
    return toView(group);
  }

  async remove(orgId: string, id: string): Promise<void> {
    await this.groups.remove(await this.require(orgId, id));
  }

  private async require(orgId: string, id: string): Promise<DistributionGroup> {
    const group = await this.groups.get(orgId, id);
    if (!group) throw notFound(ErrorCode.GroupNotFound, 'Distribution group', id);
    return group;
  }

  private async apply(orgId: string, group: DistributionGroup, dto: UpdateDistributionGroupDto): Promise<void> {
    const min = dto.filterLoanAmountMin === undefined ? group.filterLoanAmountMin : dto.filterLoanAmountMin;
    const max = dto.filterLoanAmountMax === undefined ? group.filterLoanAmountMax : dto.filterLoanAmountMax;
    if (min != null && max != null && min > max) throw validationFailed([{ field: 'filterLoanAmountMax', message: 'must not be below filterLoanAmountMin' }]);
    if (dto.name !== undefined) group.name = dto.name;
    if (dto.filterStates !== undefined) group.filterStates = [...new Set(dto.filterStates)];
    if (dto.filterLoanPurposes !== undefined) group.filterLoanPurposes = [...new Set(dto.filterLoanPurposes)];
    group.filterLoanAmountMin = min ?? null;
    group.filterLoanAmountMax = max ?? null;
    if (dto.memberIds !== undefined) {
      const ids = [...new Set(dto.memberIds)];
      const users = await this.groups.usersOf(orgId, ids);
      const missing = ids.filter((id) => !users.some((u) => u.id === id));
      if (missing.length) throw validationFailed([{ field: 'memberIds', message: `unknown users: ${missing.join(', ')}` }]);
      group.members.set(users);
    }
  }
}
