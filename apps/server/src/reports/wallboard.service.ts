import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { failureReasonOf, inboundFigures, LEAD_OUTCOMES, localDayOf, outcomeFigures, startOfLocalDay, speedFigures, wallboardState } from '@leadline/domain';
import type { LeadOutcome } from '@leadline/domain';
import type { WallboardAgent, WallboardRound, WallboardSnapshot } from '@leadline/contracts';
import { Clock } from '../common/clock';
import { LeadEvents } from '../events/lead-events';
import { PresenceService } from '../presence/presence.service';
import { RealtimeGateway } from '../realtime/realtime.gateway';
import { ReportDaysService } from './report-days.service';
import { ReportRepository } from './report.repository';
import { WallboardRepository } from './wallboard.repository';

/** A change is pushed this soon after the event (changes in a burst are pushed once). */
const PUSH_DELAY_MS = 250;
/** Open boards are recomputed this often anyway: "last hour" slides, legs get answered, stamps land. */
const TICK_MS = 2_000;
const TAKEN: LeadOutcome[] = ['ring_all', 'distribute_all', 'manual', 'default_agent'];
const EXCEPTIONS: LeadOutcome[] = ['no_available_agents', 'no_agents_answered', 'no_agents_clicked', 'fatal_error'];

/**
 * The wallboard (docs/reports.md): today's figures from the same stored days as the reports, plus
 * what is live (agents, rounds ringing, callers waiting). Pushed over socket.io to the org's
 * wallboard room shortly after every lead and presence event and every 2 s while a board is open
 * on this instance; only a board that changed is pushed.
 */
@Injectable()
export class WallboardService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(WallboardService.name);
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly lastPushed = new Map<string, string>();
  private tick?: NodeJS.Timeout;

  constructor(
    private readonly gateway: RealtimeGateway,
    private readonly events: LeadEvents,
    private readonly presence: PresenceService,
    private readonly days: ReportDaysService,
    private readonly reports: ReportRepository,
    private readonly repo: WallboardRepository,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.gateway.onWallboardSubscribe((orgId) => this.snapshot(orgId));
    this.events.on('prospect.accepted', ({ orgId }) => this.schedule(orgId));
    this.events.on('presence.changed', ({ orgId }) => this.schedule(orgId));
    // These name no org: every board open here is looked at (there is usually one org).
    this.events.on('prospect.assigned', () => this.scheduleOpenBoards());
    this.events.on('prospect.exception', () => this.scheduleOpenBoards());
    this.tick = setInterval(() => this.scheduleOpenBoards(), TICK_MS);
    this.tick.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.tick);
    for (const t of this.pending.values()) clearTimeout(t);
  }

  /** The board as it is now. */
  async snapshot(orgId: string): Promise<WallboardSnapshot> {
    const zone = (await this.reports.orgTimeZone(orgId)) ?? 'UTC';
    const now = this.clock.now();
    const day = localDayOf(zone, now);
    const [today, legs, rounds, lastHour, wins, users, presence] = await Promise.all([
      this.days.days(orgId, day, day, zone),
      this.repo.openLegs(orgId),
      this.repo.rounds(orgId),
      this.repo.leadsSince(orgId, new Date(now.getTime() - 3_600_000)),
      this.repo.recentWins(orgId, startOfLocalDay(zone, day), 5),
      this.repo.boardUsers(orgId),
      this.presence.orgPresence(orgId),
    ]);
    const outcomes = outcomeFigures(today, {});
    const count = (o: LeadOutcome) => outcomes.outcomes[LEAD_OUTCOMES.indexOf(o)].leads;
    const presenceOf = new Map(presence.map((p) => [p.userId, p]));
    const agents: WallboardAgent[] = users.map((u) => {
      const p = presenceOf.get(u.id);
      const { state, since } = wallboardState(
        { reason: p?.reason ?? 'logged_out', since: p ? new Date(p.since).getTime() : now.getTime() },
        legs.filter((l) => l.userId === u.id),
      );
      return { id: u.id, name: u.name, state, since: new Date(since).toISOString() };
    });
    const ringingFor = (prospectId: string) => legs.filter((l) => l.prospectId === prospectId && l.purpose === 'ring_all_agent' && l.answeredAt === null).length;
    const roundViews: WallboardRound[] = rounds.map((r) => ({ ...r, since: new Date(r.since).toISOString(), ringing: ringingFor(r.prospectId) }));
    const waiting = legs.filter((l) => l.purpose === 'inbound' && l.answeredAt === null);
    const inbound = inboundFigures(today, {});
    return {
      at: now.toISOString(),
      day,
      timeZone: zone,
      agents,
      leads: { today: outcomes.leads, lastHour, taken: TAKEN.reduce((n, o) => n + count(o), 0), exceptions: EXCEPTIONS.reduce((n, o) => n + count(o), 0), open: count('open') },
      rounds: roundViews,
      exceptionsByReason: EXCEPTIONS.map((o) => ({ reason: failureReasonOf(o)!, leads: count(o) })),
      speed: speedFigures(today, {}).stages.map(({ stage, leads, p50Ms, p90Ms }) => ({ stage, leads, p50Ms, p90Ms })),
      inbound: { waiting: waiting.length, oldestWaitingSince: waiting.length ? new Date(Math.min(...waiting.map((l) => l.startedAt))).toISOString() : null, answeredToday: inbound.answered, missedToday: inbound.missed },
      recentWins: wins.map((w) => ({ ...w, at: new Date(w.at).toISOString() })),
    };
  }

  private scheduleOpenBoards(): void {
    for (const orgId of this.gateway.wallboardOrgs()) this.schedule(orgId);
  }

  private schedule(orgId: string): void {
    if (this.pending.has(orgId) || !this.gateway.wallboardOrgs().includes(orgId)) return;
    this.pending.set(
      orgId,
      setTimeout(() => {
        this.pending.delete(orgId);
        this.push(orgId).catch((err: unknown) => this.logger.error(`wallboard of org ${orgId}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`));
      }, PUSH_DELAY_MS),
    );
  }

  private async push(orgId: string): Promise<void> {
    const snapshot = await this.snapshot(orgId);
    // Only a board that changed is pushed (its time of computing aside).
    const key = JSON.stringify({ ...snapshot, at: null });
    if (this.lastPushed.get(orgId) === key) return;
    this.lastPushed.set(orgId, key);
    this.gateway.toWallboard(orgId).emit('wallboard', snapshot);
  }
}
