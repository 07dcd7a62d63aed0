import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import {
  borrowerTimeZones,
  BorrowerZones,
  CallingWindow,
  CallMode,
  DEFAULT_CALLING_WINDOW,
  DEFAULT_DIAL_MODE_SETTINGS,
  dialBy,
  DialModeSettings,
  dialPriority,
  enabledButtons,
} from '@leadline/domain';
import type { DialLeadView, LeadStatusChangeView } from '@leadline/contracts';
import { AuthUser } from '../auth/auth-user';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode, notFound, validationFailed } from '../common/domain-error';
import { DbContext } from '../database/db-context';
import { CallingRulesService } from '../compliance/calling-rules.service';
import { DialModeSetting, DialQueueEntry, LeadStatus, Prospect } from '../database/entities';
import { LeadEvents } from '../events/lead-events';
import { Page } from '../users/user.repository';
import { CallableSchedule, DialModeRepository, DialTx, NewQueueEntry, QueueFilter } from './dial-mode.repository';
import { DoNotCallRepository } from './do-not-call.repository';
export type { LeadStatusChangeView };

/** A status change with everything it needs read up front (see prepareStatusChange). */
export interface StatusChange {
  prospect: Prospect;
  status: LeadStatus | null;
  plan: NewQueueEntry | null;
  noPhone: boolean;
}

export function settingsFrom(row: DialModeSetting | null): DialModeSettings {
  if (!row) return { ...DEFAULT_DIAL_MODE_SETTINGS, extraButtons: [] };
  return {
    highPriority: row.highPriority,
    timeStandardMinutes: row.timeStandardMinutes,
    retryDelayMinutes: row.retryDelayMinutes,
    maxAttempts: row.maxAttempts,
    exhaustedStatusId: row.exhaustedStatus?.id ?? null,
    extraButtons: [...row.extraButtons],
  };
}

/** The number dial mode calls: mobile, else home, else work phone. */
export function dialPhoneOf(p: Pick<Prospect, 'mobilePhone' | 'homePhone' | 'workPhone'>): string | null {
  return p.mobilePhone ?? p.homePhone ?? p.workPhone ?? null;
}

export function zonesOf(p: Pick<Prospect, 'propertyState'>, phone: string): BorrowerZones {
  return borrowerTimeZones({ propertyState: p.propertyState, phone });
}

const nameOf = (p: Prospect) => [p.firstName, p.lastName].filter(Boolean).join(' ') || null;
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/**
 * Lead statuses and the queues they feed: a lead entering a status flagged "add to dial mode
 * automatically" joins that mode's queue as unprocessed; leaving such a status takes it out.
 * Schedules are computed here from the mode's settings and the campaign's calling window.
 */
@Injectable()
export class DialQueueService implements OnModuleInit {
  private readonly logger = new Logger(DialQueueService.name);

  constructor(
    private readonly repo: DialModeRepository,
    private readonly dnc: DoNotCallRepository,
    private readonly clock: Clock,
    private readonly events: LeadEvents,
    private readonly db: DbContext,
    private readonly rules: CallingRulesService,
  ) {}

  onModuleInit(): void {
    // New leads get their campaign's initial status (and so, maybe, a queue). The intake read in
    // its transaction whether the campaign has one: without, nothing is read here (the hot path).
    this.events.on('prospect.accepted', ({ prospectId, campaignId, orgId, initialStatusId }) => {
      if (!initialStatusId) return;
      return this.db.run(async () => {
        const initial = await this.repo.initialStatus(campaignId);
        const prospect = initial ? await this.repo.prospect(orgId, prospectId) : null;
        if (initial && prospect && !prospect.leadStatusId) await this.changeStatus(prospect, initial);
      });
    });
  }

  async settings(campaignId: string, mode: CallMode): Promise<DialModeSettings> {
    return settingsFrom(await this.repo.setting(campaignId, mode));
  }

  async window(campaignId: string): Promise<CallingWindow> {
    const row = await this.repo.window(campaignId);
    return row ? { startMinute: row.startMinute, endMinute: row.endMinute } : DEFAULT_CALLING_WINDOW;
  }

  /** Sets a lead's status by hand (REST). An agent may do so only for their own applications. */
  async setLeadStatus(me: AuthUser, prospectId: string, statusId: string | null): Promise<LeadStatusChangeView> {
    const prospect = await this.repo.prospect(me.orgId, prospectId);
    if (!prospect || (me.role === 'agent' && (await this.repo.primaryAgentOf(prospectId)) !== me.id)) throw notFound(ErrorCode.ProspectNotFound, 'Prospect', prospectId);
    const status = statusId ? await this.statusOfCampaign(me.orgId, prospect.campaign.id, statusId, 'statusId') : null;
    const entry = await this.repo.entryOf(prospectId);
    if (entry?.lockedBy) throw new DomainError(ErrorCode.LeadBeingDialled, 'This lead is being dialled in dial mode right now; the operator records its result');
    return this.changeStatus(prospect, status);
  }

  /** A status of the campaign, or 404 / 400. */
  async statusOfCampaign(orgId: string, campaignId: string, statusId: string, field: string): Promise<LeadStatus> {
    const status = await this.repo.status(orgId, statusId);
    if (!status) throw notFound(ErrorCode.LeadStatusNotFound, 'Lead status', statusId);
    if (status.campaign.id !== campaignId) throw validationFailed([{ field, message: "must be a lead status of the lead's campaign" }]);
    return status;
  }

  /** Sets the status and applies its dial-mode rule, in one transaction. */
  async changeStatus(prospect: Prospect, status: LeadStatus | null): Promise<LeadStatusChangeView> {
    const change = await this.prepareStatusChange(prospect, status);
    return this.repo.transaction((tx) => this.commitStatusChange(tx, change));
  }

  /**
   * The reading half of a status change (settings, window, schedule), done before a transaction
   * opens: SQLite has one connection, so nothing may read outside a transaction while it runs.
   */
  async prepareStatusChange(prospect: Prospect, status: LeadStatus | null): Promise<StatusChange> {
    const now = this.clock.now();
    const mode = status?.addToDialMode && status.callMode ? status.callMode : null;
    const phone = dialPhoneOf(prospect);
    return { prospect, status, plan: mode && phone ? await this.schedule(prospect, phone, mode, now) : null, noPhone: !!mode && !phone };
  }

  /** The writing half, inside the caller's transaction. */
  async commitStatusChange(tx: DialTx, change: StatusChange): Promise<LeadStatusChangeView> {
    const { prospect, status, plan } = change;
    await this.repo.setLeadStatus(tx, prospect.id, status?.id ?? null);
    let entryId: string | null = null;
    if (plan) entryId = await this.repo.replaceEntry(tx, plan);
    else await this.repo.removeEntry(tx, prospect.id);
    prospect.leadStatusId = status?.id ?? null;
    if (entryId && plan) this.logger.log(`lead ${prospect.id} entered dial mode ${plan.campaignId}/${plan.mode} (callable ${iso(plan.callableAt) ?? 'never'})`);
    return {
      prospectId: prospect.id,
      leadStatusId: status?.id ?? null,
      queued: entryId && plan ? { entryId, mode: plan.mode, subState: 'unprocessed', callableAt: iso(plan.callableAt) } : null,
      ...(change.noPhone ? { notQueuedReason: 'no_phone' as const } : {}),
    };
  }

  /**
   * When a lead due at `dueAt` may be called: the state calling rules and the campaign's window
   * (the stricter wins), and the rule that holds it back until then (docs/compliance.md).
   */
  async callableFrom(prospect: Pick<Prospect, 'org' | 'propertyState'>, phone: string, window: CallingWindow, dueAt: Date): Promise<CallableSchedule> {
    const decision = await this.rules.check({ orgId: prospect.org.id, propertyState: prospect.propertyState, phone, campaignWindow: window, now: dueAt });
    if (decision.allowed) return { callableAt: dueAt, callingRule: null, callingRuleHold: null };
    const { code, region, law, reason, nextAllowedAt } = decision.refusal;
    return { callableAt: nextAllowedAt, callingRule: code, callingRuleHold: { region, law, reason } };
  }

  private async schedule(prospect: Prospect, phone: string, mode: CallMode, now: Date): Promise<NewQueueEntry> {
    const campaignId = prospect.campaign.id;
    const settings = await this.settings(campaignId, mode);
    const window = await this.window(campaignId);
    return {
      orgId: prospect.org.id,
      campaignId,
      prospectId: prospect.id,
      mode,
      phone,
      priority: dialPriority({ highPriority: settings.highPriority, subState: 'unprocessed' }),
      dueAt: now,
      dialByAt: dialBy(now, settings.timeStandardMinutes),
      ...(await this.callableFrom(prospect, phone, window, now)),
      enteredAt: now,
    };
  }

  /** After a mode's settings changed: priority and dial-by of its queued leads follow. */
  async resettle(campaignId: string, mode: CallMode): Promise<number> {
    const settings = await this.settings(campaignId, mode);
    const entries = await this.repo.entriesOfCampaign(campaignId, mode);
    for (const e of entries) {
      await this.repo.patchEntry(e.id, { priority: dialPriority({ highPriority: settings.highPriority, subState: e.subState }), dialByAt: dialBy(e.dueAt, settings.timeStandardMinutes) });
    }
    return entries.length;
  }

  /** After a campaign's calling window changed: every queued lead's callable time follows. */
  async rewindow(campaignId: string): Promise<number> {
    const window = await this.window(campaignId);
    const entries = await this.repo.entriesOfCampaign(campaignId);
    for (const e of entries) await this.repo.patchEntry(e.id, await this.callableFrom(e.prospect, e.phone, window, e.dueAt));
    return entries.length;
  }

  /** The order list: queued leads in the order operators get them. */
  async orderList(orgId: string, filter: QueueFilter, page: number, pageSize: number): Promise<Page<DialLeadView>> {
    const [entries, total] = await this.repo.orderList(orgId, filter, page, pageSize);
    return { items: await this.views(orgId, entries), total, page, pageSize };
  }

  async views(orgId: string, entries: DialQueueEntry[]): Promise<DialLeadView[]> {
    const listed = await this.dnc.listed(orgId, entries.map((e) => e.phone));
    const settings = new Map<string, DialModeSettings>();
    const out: DialLeadView[] = [];
    for (const e of entries) {
      const key = `${e.campaign.id}/${e.mode}`;
      if (!settings.has(key)) settings.set(key, await this.settings(e.campaign.id, e.mode));
      out.push(this.view(e, settings.get(key)!, listed.has(e.phone)));
    }
    return out;
  }

  view(e: DialQueueEntry, settings: DialModeSettings, doNotCall: boolean): DialLeadView {
    const zones = zonesOf(e.prospect, e.phone);
    return {
      entryId: e.id,
      prospectId: e.prospect.id,
      campaign: { id: e.campaign.id, name: e.campaign.name },
      mode: e.mode,
      subState: e.subState,
      attempts: e.attempts,
      maxAttempts: settings.maxAttempts,
      priority: e.priority,
      dueAt: e.dueAt.toISOString(),
      dialByAt: e.dialByAt.toISOString(),
      callableAt: iso(e.callableAt),
      lead: { name: nameOf(e.prospect), phone: e.phone, propertyState: e.prospect.propertyState ?? null, leadStatusId: e.prospect.leadStatusId ?? null },
      timeZones: [...zones.zones],
      timeZoneBasis: zones.basis,
      buttons: enabledButtons(settings),
      lockedBy: e.lockedBy ? { id: e.lockedBy.id, name: e.lockedBy.name } : null,
      doNotCall,
      callingRule: e.callingRule && e.callingRuleHold ? { code: e.callingRule, ...e.callingRuleHold, nextAllowedAt: iso(e.callableAt) } : null,
      lastResult: e.lastResult ?? null,
      lastDialedAt: iso(e.lastDialedAt),
      enteredAt: e.enteredAt.toISOString(),
    };
  }
}
