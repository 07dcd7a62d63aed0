import { Injectable, Logger } from '@nestjs/common';
import { CALL_MODES, CallMode, DIAL_SUB_STATES, DialSubState, enabledButtons, formatClock, parseClock } from '@leadline/domain';
import { DomainError, ErrorCode, notFound, validationFailed } from '../common/domain-error';
import { Campaign, LeadStatus } from '../database/entities';
import { CallingWindowDto, CreateLeadStatusDto, DialModeSettingsDto, UpdateLeadStatusDto } from './dial-mode.dto';
import { DialModeRepository } from './dial-mode.repository';
import { DialQueueService, settingsFrom } from './dial-queue.service';
import type { CallingWindowView, DialModeAccessView, DialModeOverviewRow, DialModeSettingsView, LeadStatusView } from '@leadline/contracts';
export type { CallingWindowView, DialModeSettingsView, LeadStatusView };

const toStatusView = (s: LeadStatus): LeadStatusView => ({ id: s.id, campaignId: s.campaign.id, name: s.name, addToDialMode: s.addToDialMode, callMode: s.callMode ?? null, isInitial: s.isInitial, position: s.position });

/** Admin side of dial mode: statuses, settings and access per campaign × mode, calling windows, the table. */
@Injectable()
export class DialModeConfigService {
  private readonly logger = new Logger(DialModeConfigService.name);

  constructor(
    private readonly repo: DialModeRepository,
    private readonly queue: DialQueueService,
  ) {}

  private async campaign(orgId: string, id: string): Promise<Campaign> {
    const campaign = await this.repo.campaign(orgId, id);
    if (!campaign) throw notFound(ErrorCode.CampaignNotFound, 'Campaign', id);
    return campaign;
  }

  // ---- lead statuses ----

  async statuses(orgId: string, campaignId: string): Promise<LeadStatusView[]> {
    await this.campaign(orgId, campaignId);
    return (await this.repo.statuses(campaignId)).map(toStatusView);
  }

  async createStatus(orgId: string, campaignId: string, dto: CreateLeadStatusDto): Promise<LeadStatusView> {
    await this.campaign(orgId, campaignId);
    const fields = { name: dto.name.trim(), addToDialMode: dto.addToDialMode ?? false, callMode: dto.callMode ?? null, isInitial: dto.isInitial ?? false, position: dto.position ?? 0 };
    this.checkStatus(fields);
    if (await this.repo.statusNameTaken(campaignId, fields.name)) throw new DomainError(ErrorCode.Conflict, `The campaign already has a status named "${fields.name}"`);
    const status = this.repo.createStatus(orgId, campaignId, fields);
    await this.repo.flush();
    if (status.isInitial) await this.repo.clearInitial(campaignId, status.id);
    return toStatusView(status);
  }

  async updateStatus(orgId: string, id: string, dto: UpdateLeadStatusDto): Promise<LeadStatusView> {
    const status = await this.repo.status(orgId, id);
    if (!status) throw notFound(ErrorCode.LeadStatusNotFound, 'Lead status', id);
    const next = {
      name: dto.name?.trim() ?? status.name,
      addToDialMode: dto.addToDialMode ?? status.addToDialMode,
      callMode: dto.callMode === undefined ? (status.callMode ?? null) : dto.callMode,
      isInitial: dto.isInitial ?? status.isInitial,
      position: dto.position ?? status.position,
    };
    this.checkStatus(next);
    if (next.name !== status.name && (await this.repo.statusNameTaken(status.campaign.id, next.name, id))) throw new DomainError(ErrorCode.Conflict, `The campaign already has a status named "${next.name}"`);
    // The flag applies to leads entering the status from now on; leads already in it stay where they are.
    Object.assign(status, next);
    await this.repo.flush();
    if (status.isInitial) await this.repo.clearInitial(status.campaign.id, status.id);
    return toStatusView(status);
  }

  async deleteStatus(orgId: string, id: string): Promise<void> {
    const status = await this.repo.status(orgId, id);
    if (!status) throw notFound(ErrorCode.LeadStatusNotFound, 'Lead status', id);
    if (await this.repo.statusInUse(id)) throw new DomainError(ErrorCode.Conflict, `Leads are in the status "${status.name}"; move them to another status first`);
    await this.repo.removeStatus(status);
  }

  private checkStatus(s: { addToDialMode: boolean; callMode: CallMode | null }): void {
    if (s.addToDialMode && !s.callMode) throw validationFailed([{ field: 'callMode', message: 'is required when addToDialMode is on (the call mode the status feeds)' }]);
  }

  // ---- settings per campaign × mode ----

  async settings(orgId: string, campaignId: string, mode: CallMode): Promise<DialModeSettingsView> {
    await this.campaign(orgId, campaignId);
    const settings = await this.queue.settings(campaignId, mode);
    return { campaignId, mode, ...settings, buttons: enabledButtons(settings) };
  }

  async updateSettings(orgId: string, campaignId: string, mode: CallMode, dto: DialModeSettingsDto): Promise<DialModeSettingsView> {
    await this.campaign(orgId, campaignId);
    if (dto.exhaustedStatusId) await this.queue.statusOfCampaign(orgId, campaignId, dto.exhaustedStatusId, 'exhaustedStatusId');
    const row = (await this.repo.setting(campaignId, mode)) ?? this.repo.newSetting(campaignId, mode);
    if (dto.highPriority !== undefined) row.highPriority = dto.highPriority;
    if (dto.timeStandardMinutes !== undefined) row.timeStandardMinutes = dto.timeStandardMinutes;
    if (dto.retryDelayMinutes !== undefined) row.retryDelayMinutes = dto.retryDelayMinutes;
    if (dto.maxAttempts !== undefined) row.maxAttempts = dto.maxAttempts;
    if (dto.exhaustedStatusId !== undefined) row.exhaustedStatus = dto.exhaustedStatusId ? this.repo.statusRef(dto.exhaustedStatusId) : null;
    if (dto.extraButtons !== undefined) row.extraButtons = [...new Set(dto.extraButtons)];
    await this.repo.flush();
    const moved = await this.queue.resettle(campaignId, mode);
    this.logger.log(`dial mode ${campaignId}/${mode}: settings changed, ${moved} queued lead(s) re-ordered`);
    const settings = settingsFrom(row);
    return { campaignId, mode, ...settings, buttons: enabledButtons(settings) };
  }

  // ---- operator access per campaign × mode ----

  async access(orgId: string, campaignId: string, mode: CallMode): Promise<DialModeAccessView> {
    await this.campaign(orgId, campaignId);
    return { campaignId, mode, userIds: await this.repo.accessUsers(campaignId, mode) };
  }

  async setAccess(orgId: string, campaignId: string, mode: CallMode, userIds: string[]): Promise<DialModeAccessView> {
    await this.campaign(orgId, campaignId);
    const unique = [...new Set(userIds)];
    const found = new Set((await this.repo.usersInOrg(orgId, unique)).map((u) => u.id));
    const unknown = unique.map((id, i) => ({ id, i })).filter(({ id }) => !found.has(id));
    if (unknown.length) throw validationFailed(unknown.map(({ id, i }) => ({ field: `userIds.${i}`, message: `user ${id} not found` })));
    await this.repo.replaceAccess(campaignId, mode, unique);
    return this.access(orgId, campaignId, mode);
  }

  // ---- calling window ----

  async callingWindow(orgId: string, campaignId: string): Promise<CallingWindowView> {
    await this.campaign(orgId, campaignId);
    const row = await this.repo.window(campaignId);
    const w = await this.queue.window(campaignId);
    return { campaignId, start: formatClock(w.startMinute), end: formatClock(w.endMinute), isDefault: !row };
  }

  async setCallingWindow(orgId: string, campaignId: string, dto: CallingWindowDto): Promise<CallingWindowView> {
    await this.campaign(orgId, campaignId);
    const start = parseClock(dto.start);
    const end = parseClock(dto.end);
    if (start === null || end === null || start >= end) throw validationFailed([{ field: 'end', message: 'must be later than start on the same day' }]);
    await this.repo.saveWindow(campaignId, start, end);
    await this.queue.rewindow(campaignId);
    return this.callingWindow(orgId, campaignId);
  }

  // ---- the admin table ----

  async overview(orgId: string): Promise<DialModeOverviewRow[]> {
    const campaigns = await this.repo.campaigns(orgId);
    const counts = await this.repo.counts(orgId);
    const settings = await this.repo.settingsOf(campaigns.map((c) => c.id));
    const operators = await this.repo.operatorCounts(campaigns.map((c) => c.id));
    return campaigns.map((c) => ({
      campaign: { id: c.id, name: c.name },
      modes: CALL_MODES.map((mode) => {
        const byState = Object.fromEntries(DIAL_SUB_STATES.map((s) => [s, counts.find((n) => n.campaignId === c.id && n.mode === mode && n.subState === s)?.count ?? 0])) as Record<DialSubState, number>;
        return {
          mode,
          total: DIAL_SUB_STATES.reduce((n, s) => n + byState[s], 0),
          counts: byState,
          highPriority: settings.find((s) => s.campaign.id === c.id && s.mode === mode)?.highPriority ?? false,
          operators: operators.get(`${c.id}/${mode}`) ?? 0,
          settingsUrl: `/api/dial-mode/campaigns/${c.id}/modes/${mode}/settings`,
          accessUrl: `/api/dial-mode/campaigns/${c.id}/modes/${mode}/access`,
        };
      }),
    }));
  }
}
