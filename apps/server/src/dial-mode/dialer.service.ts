import { Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { applyDialResult, CALL_MODES, dialBy, dialCallEnd, dialPriority, DialResultInput } from '@leadline/domain';
import type { CallingWindow, ClickToCallOutcome } from '@leadline/domain';
import type { DialAck, DialLeadView, DialNextView, DialRefusalView, DialResultView } from '@leadline/contracts';
import { AuthUser } from '../auth/auth-user';
import { ClickToCallService } from '../calls/click-to-call.service';
import type { AgentFirstCallSummary } from '../calls/click-to-call.run';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode, notFound, validationFailed } from '../common/domain-error';
import { appValidationPipe } from '../common/validation.pipe';
import { DbContext } from '../database/db-context';
import { DialQueueEntry } from '../database/entities';
import { DialModeNotifier } from '../realtime/dial-mode-notifier';
import { RealtimeGateway } from '../realtime/realtime.gateway';
import { LiveCallRepository } from '../telephony/conversation/live-call.repository';
import { WebhookOutboxRepository } from '../webhooks/webhook-outbox.repository';
import { DialResultDto, NextLeadDto } from './dial-mode.dto';
import { DialModeRepository, DialScope } from './dial-mode.repository';
import { DialQueueService } from './dial-queue.service';
import { DoNotCallRepository } from './do-not-call.repository';
import type { DialModeMeView } from '@leadline/contracts';
export type { DialModeMeView };

const BATCH = 20;
const MAX_SCAN = 1000;

interface ActiveCall {
  callId: string;
  entryId: string;
}

/**
 * The operator side of dial mode: hands out the next due lead (one guarded update decides, so two
 * operators never get the same lead), dials it through click-to-call's agent-first call (the
 * operator's phone, then the lead with the caller ID of §4, bridged and recorded), records the
 * operator's result, and applies busy / no answer / failed itself when the lead never answered.
 */
@Injectable()
export class DialerService implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(DialerService.name);
  private readonly active = new Map<string, ActiveCall>();

  constructor(
    private readonly repo: DialModeRepository,
    private readonly queue: DialQueueService,
    private readonly dnc: DoNotCallRepository,
    private readonly calls: ClickToCallService,
    private readonly clock: Clock,
    private readonly notifier: DialModeNotifier,
    private readonly gateway: RealtimeGateway,
    private readonly db: DbContext,
    private readonly outbox: WebhookOutboxRepository,
    private readonly liveCalls: LiveCallRepository,
  ) {}

  onModuleInit(): void {
    this.gateway.onDialMode({
      next: (user, request) => this.ack(() => this.db.run(async () => this.next(user, (await validate(NextLeadDto, request)) as NextLeadDto))),
      result: (user, request) => this.ack(() => this.db.run(async () => this.result(user, (await validate(DialResultDto, request)) as DialResultDto))),
      release: (user) => this.ack(() => this.db.run(() => this.release(user))),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    // Leads handed out by the previous process go back to their queues, but for operators on a
    // connected call this instance takes over at link-up (docs/operations.md, "Restarts").
    // With other instances running (REDIS_URL) the held leads may be theirs, live: leave them to
    // their operators (who record a result or release) and to an admin's release.
    const roll = this.gateway.instancesAtStart;
    if (!roll.complete || roll.instances.length) {
      this.logger.log('other server instances are running: dial-mode leads held by operators are left as they are');
      return;
    }
    const released = await this.repo.releaseAllLocks((await this.liveCalls.adoptable()).userIds);
    if (released) this.logger.warn(`gave ${released} dial-mode lead(s) held by a previous process back to their queues`);
  }

  async me(me: AuthUser): Promise<DialModeMeView> {
    const scopes = await this.scopes(me, {});
    const campaigns = await this.repo.campaigns(me.orgId);
    const list = scopes === 'all' ? campaigns.flatMap((c) => CALL_MODES.map((mode) => ({ campaignId: c.id, mode }))) : scopes;
    const held = await this.repo.lockedBy(me.id);
    return {
      scopes: list.map((s) => ({ campaign: { id: s.campaignId, name: campaigns.find((c) => c.id === s.campaignId)?.name ?? '' }, mode: s.mode })),
      current: held ? await this.heldView(held, me) : null,
      callId: this.active.get(me.id)?.callId ?? null,
    };
  }

  /** Hands the operator the next due lead they may work and dials it. */
  async next(me: AuthUser, dto: NextLeadDto): Promise<DialNextView> {
    const held = await this.repo.lockedBy(me.id);
    if (held) throw new DomainError(ErrorCode.DialResultPending, 'Record a result for your current lead (or release it) first');
    const scopes = await this.scopes(me, dto);
    const now = this.clock.now();
    const refused: DialRefusalView[] = [];
    const entry = await this.take(me, scopes, now, refused);
    const refusals = refused.length ? { refused } : {};
    if (!entry) {
      const next = await this.repo.nextCallableAt(me.orgId, scopes, now);
      return { lead: null, call: null, dialRefused: null, nextCallableAt: next ? next.toISOString() : null, ...refusals };
    }
    const observer = {
      outcome: (outcome: ClickToCallOutcome, callId: string) => this.notifier.call(me.id, { callId, entryId: entry.id, prospectId: entry.prospect.id, status: outcome }),
      finished: (summary: AgentFirstCallSummary) => {
        this.db.run(() => this.callFinished(me, entry, summary)).catch((err: unknown) => this.logger.error(`dial-mode call ${summary.callId}: ${err instanceof Error ? err.stack : String(err)}`));
      },
    };
    let placed;
    try {
      placed = await this.calls.place({ orgId: me.orgId, agentId: me.id, borrower: { phone: entry.phone, name: nameOf(entry), prospectId: entry.prospect.id }, kind: 'dial_mode', observer });
    } catch (err) {
      if (err instanceof DomainError && err.code === ErrorCode.DiallingRefused) {
        // The org's dialling policy refuses the lead's number: it is not dialled, and the operator
        // holds it and is told why (handing it back would hand out the same lead again and again).
        this.logger.warn(`dial mode: lead ${entry.prospect.id} handed to ${me.id} but not dialled: ${err.message}`);
        return { lead: await this.heldView(entry, me), call: null, dialRefused: err.message, nextCallableAt: null, ...refusals };
      }
      // Nothing was dialled: the lead goes back unchanged.
      await this.repo.unlock(entry.id, me.id);
      throw err;
    }
    this.active.set(me.id, { callId: placed.callId, entryId: entry.id });
    await this.repo.patchEntry(entry.id, { lastDialedAt: now, heldActiveAt: now });
    entry.lastDialedAt = now;
    this.logger.log(`dial mode: lead ${entry.prospect.id} (${entry.campaign.id}/${entry.mode}) handed to ${me.id}, call ${placed.callId}`);
    return { lead: await this.heldView(entry, me), call: { callId: placed.callId, status: 'ringing_operator', to: placed.to, callerId: placed.callerId }, dialRefused: null, nextCallableAt: null, ...refusals };
  }

  /**
   * Walks the due entries in queue order and locks the first one that may be dialled now:
   * refused by a calling rule (state hours, the 3-in-24-h cap, the campaign's window) → deferred
   * to its next allowed time with the rule, and listed in `refused`; on the do-not-call list → skipped.
   */
  private async take(me: AuthUser, scopes: DialScope[] | 'all', now: Date, refused: DialRefusalView[]): Promise<DialQueueEntry | null> {
    const windows = new Map<string, CallingWindow>();
    let offset = 0;
    for (let scanned = 0; scanned < MAX_SCAN; ) {
      const batch = await this.repo.candidates(me.orgId, scopes, now, offset, BATCH);
      if (!batch.length) return null;
      scanned += batch.length;
      const listed = await this.dnc.listed(me.orgId, batch.map((e) => e.phone));
      for (const entry of batch) {
        if (listed.has(entry.phone)) {
          offset++;
          continue;
        }
        if (!windows.has(entry.campaign.id)) windows.set(entry.campaign.id, await this.queue.window(entry.campaign.id));
        const schedule = await this.queue.callableFrom(entry.prospect, entry.phone, windows.get(entry.campaign.id)!, now);
        if (schedule.callingRule && schedule.callingRuleHold) {
          await this.repo.deferUnlocked(entry.id, schedule);
          const { callableAt, callingRule: code, callingRuleHold: hold } = schedule;
          refused.push({ entryId: entry.id, prospectId: entry.prospect.id, phone: entry.phone, code, ...hold, nextAllowedAt: callableAt?.toISOString() ?? null });
          this.logger.log(`dial mode: lead ${entry.prospect.id} held back: ${hold.reason} (${hold.law}); next allowed ${callableAt?.toISOString() ?? 'not within two weeks'}`);
          continue;
        }
        if (await this.repo.lock(entry.id, me.id, now)) return entry;
        // Another operator got it first: it has left the due list, nothing to skip.
      }
      if (batch.length < BATCH) return null;
    }
    return null;
  }

  /** The operator's result for the lead they hold. */
  async result(me: AuthUser, dto: DialResultDto): Promise<DialResultView> {
    const input: DialResultInput =
      dto.button === 'success' ? { button: 'success', statusId: dto.statusId! } : dto.button === 'callback' ? { button: 'callback', callbackAt: new Date(dto.callbackAt!) } : { button: dto.button };
    return this.apply(me, input, 'operator');
  }

  async release(me: AuthUser): Promise<{ released: boolean }> {
    const held = await this.repo.lockedBy(me.id);
    if (!held) return { released: false };
    this.active.delete(me.id);
    return { released: await this.repo.unlock(held.id, me.id) };
  }

  /** An admin or manager frees a lead an operator holds (e.g. they went home mid-call). */
  async forceRelease(orgId: string, entryId: string): Promise<{ released: boolean }> {
    const entry = await this.repo.entry(orgId, entryId);
    if (!entry) throw notFound(ErrorCode.DialEntryNotFound, 'Dial queue entry', entryId);
    if (entry.lockedBy) this.active.delete(entry.lockedBy.id);
    return { released: await this.repo.forceUnlock(entryId) };
  }

  private async apply(me: AuthUser, input: DialResultInput, by: DialResultView['by'], expectEntryId?: string): Promise<DialResultView> {
    const entry = await this.repo.lockedBy(me.id);
    if (!entry || (expectEntryId && entry.id !== expectEntryId)) throw new DomainError(ErrorCode.NoCurrentDialLead, 'You hold no lead in dial mode');
    const settings = await this.queue.settings(entry.campaign.id, entry.mode);
    if (input.button === 'success') await this.queue.statusOfCampaign(me.orgId, entry.campaign.id, input.statusId, 'statusId');
    const now = this.clock.now();
    const effect = applyDialResult({ lead: entry, settings, result: input, now });
    if ('refused' in effect) throw validationFailed([{ field: input.button === 'callback' ? 'callbackAt' : 'button', message: effect.refused }]);
    const base = { entryId: entry.id, prospectId: entry.prospect.id, button: input.button, attempts: effect.attempts, by };
    // Its dial_mode.result webhook event, written in the transaction that applies the result
    // (occurredAt is the wall clock, like every event's; dial mode's own times follow its clock).
    const webhook = { ...base, orgId: me.orgId, operatorId: me.id, campaignId: entry.campaign.id, mode: entry.mode, at: new Date() };
    let view: DialResultView;
    if (effect.kind === 'requeue') {
      const schedule = await this.queue.callableFrom(entry.prospect, entry.phone, await this.queue.window(entry.campaign.id), effect.dueAt);
      const callableAt = schedule.callableAt;
      const ok = await this.repo.transaction(async (em) => {
        const requeued = await this.repo.requeueLocked(em, entry.id, me.id, {
          subState: effect.subState,
          dueAt: effect.dueAt,
          attempts: effect.attempts,
          priority: dialPriority({ highPriority: settings.highPriority, subState: effect.subState }),
          dialByAt: dialBy(effect.dueAt, settings.timeStandardMinutes),
          ...schedule,
          lastResult: input.button,
        });
        if (requeued) await this.outbox.dialModeResult(em, { ...webhook, effect: 'requeued', subState: effect.subState, dueAt: effect.dueAt.toISOString(), reason: null, leadStatusId: entry.prospect.leadStatusId ?? null });
        return requeued;
      });
      if (!ok) throw new DomainError(ErrorCode.NoCurrentDialLead, 'You hold no lead in dial mode');
      view = { ...base, effect: 'requeued', subState: effect.subState, dueAt: effect.dueAt.toISOString(), callableAt: callableAt?.toISOString() ?? null, reason: null, leadStatusId: entry.prospect.leadStatusId ?? null, movedTo: null };
    } else {
      const status = effect.statusId ? await this.queue.statusOfCampaign(me.orgId, entry.campaign.id, effect.statusId, 'statusId') : null;
      const prepared = status ? await this.queue.prepareStatusChange(entry.prospect, status) : null;
      const change = await this.repo.transaction(async (tx) => {
        if (!(await this.repo.removeLocked(tx, entry.id, me.id))) return null;
        const changed = prepared ? await this.queue.commitStatusChange(tx, prepared) : { leadStatusId: entry.prospect.leadStatusId ?? null, queued: null };
        await this.outbox.dialModeResult(tx, { ...webhook, effect: 'left_queue', subState: null, dueAt: null, reason: effect.reason, leadStatusId: changed.leadStatusId });
        return changed;
      });
      if (!change) throw new DomainError(ErrorCode.NoCurrentDialLead, 'You hold no lead in dial mode');
      if (effect.addToDoNotCall) await this.dnc.add(me.orgId, [{ phone: entry.phone, note: `operator result on lead ${entry.prospect.id}` }], 'operator', me.id);
      view = {
        ...base,
        effect: 'left_queue',
        subState: null,
        dueAt: null,
        callableAt: null,
        reason: effect.reason,
        leadStatusId: change.leadStatusId,
        movedTo: change.queued ? { mode: change.queued.mode } : null,
      };
    }
    if (this.active.get(me.id)?.entryId === entry.id) this.active.delete(me.id);
    this.logger.log(`dial mode: ${by} result ${input.button} on lead ${entry.prospect.id} by ${me.id}: ${view.effect}${view.reason ? ` (${view.reason})` : ''}`);
    this.notifier.result(me.id, view);
    return view;
  }

  /** The call is over: busy / no answer / failed on a lead that never answered is applied here. */
  private async callFinished(me: AuthUser, entry: DialQueueEntry, summary: AgentFirstCallSummary): Promise<void> {
    if (this.active.get(me.id)?.callId === summary.callId) this.active.delete(me.id);
    this.notifier.call(me.id, { callId: summary.callId, entryId: entry.id, prospectId: entry.prospect.id, status: 'ended', leadResult: summary.borrowerResult });
    const held = await this.repo.lockedBy(me.id);
    if (held?.id !== entry.id) return; // the operator already recorded a result
    // The hold's expiry counts from the end of its call.
    await this.repo.touchHold(entry.id, me.id, this.clock.now());
    const end = dialCallEnd(summary.outcome, summary.borrowerResult);
    switch (end.kind) {
      case 'await_operator':
        return;
      case 'give_back':
        await this.repo.unlock(entry.id, me.id);
        return;
      case 'apply':
        await this.apply(me, { button: end.button }, 'asterisk', entry.id).catch((err: unknown) => {
          // The operator recorded a result in the meantime.
          if (!(err instanceof DomainError)) throw err;
        });
        return;
      default: {
        const unreachable: never = end;
        throw new Error(`unknown call end ${JSON.stringify(unreachable)}`);
      }
    }
  }

  private async heldView(entry: DialQueueEntry, me: AuthUser): Promise<DialLeadView> {
    const [view] = await this.queue.views(me.orgId, [entry]);
    const [user] = await this.repo.usersInOrg(me.orgId, [me.id]);
    return { ...view, lockedBy: { id: me.id, name: user?.name ?? me.email } };
  }

  /** What the operator may work: admins and managers everything, agents what they were granted. */
  private async scopes(me: AuthUser, filter: NextLeadDto): Promise<DialScope[] | 'all'> {
    if (filter.campaignId && !(await this.repo.campaign(me.orgId, filter.campaignId))) throw notFound(ErrorCode.CampaignNotFound, 'Campaign', filter.campaignId);
    let scopes: DialScope[] | 'all';
    if (me.role !== 'agent') {
      if (!filter.campaignId && !filter.mode) return 'all';
      const campaigns = filter.campaignId ? [filter.campaignId] : (await this.repo.campaigns(me.orgId)).map((c) => c.id);
      scopes = campaigns.flatMap((campaignId) => CALL_MODES.map((mode) => ({ campaignId, mode })));
    } else {
      scopes = await this.repo.scopesOf(me.id);
    }
    scopes = scopes.filter((s) => (!filter.campaignId || s.campaignId === filter.campaignId) && (!filter.mode || s.mode === filter.mode));
    if (!scopes.length) throw new DomainError(ErrorCode.Forbidden, 'You have no dial mode access here; an admin grants it per campaign and call mode');
    return scopes;
  }

  private async ack<T>(work: () => Promise<T>): Promise<DialAck<T>> {
    try {
      return { ok: true, data: await work() };
    } catch (err) {
      if (err instanceof DomainError) return { ok: false, code: err.code, message: err.message };
      throw err;
    }
  }
}

function nameOf(entry: DialQueueEntry): string | null {
  return [entry.prospect.firstName, entry.prospect.lastName].filter(Boolean).join(' ') || null;
}

/** Socket payloads get the same validation as REST bodies. */
function validate<T extends object>(dto: new () => T, value: unknown): Promise<unknown> {
  return Promise.resolve(appValidationPipe.transform(value ?? {}, { type: 'body', metatype: dto }));
}
