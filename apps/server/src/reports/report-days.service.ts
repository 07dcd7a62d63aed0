import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { addDays, buildReportDay, CallFact, dayList, hourOfDayIn, LeadFact, localDayOf, REPORT_DAY_FORMAT, ReportDay, startOfLocalDay } from '@leadline/domain';
import { ReportRepository } from './report.repository';

/** Changes are read again this far back: a transaction may commit a little after the stamp it wrote. */
const CHANGE_OVERLAP_MS = 60_000;
/** A report may read stored days this old before they are brought up to date again. */
const MAX_STALE_MS = 2_000;
/** Days read from the raw rows in one go when many are (re)built. */
const BUILD_CHUNK_DAYS = 31;

/**
 * Keeps every org's stored days (report_day) right, incrementally: each refresh reads which leads
 * and legs changed since the last one (updated_at, stamped by the database on every update) and
 * rebuilds the days they belong to from the raw rows; a new time zone or stored format rebuilds
 * everything. Reports refresh before reading (at most every 2 s per org, at once when the org's
 * zone is not the one the stored days were built in), and the server builds
 * in the background at start so the first report seldom waits. Idempotent, so two instances
 * refreshing at once write the same rows.
 */
@Injectable()
export class ReportDaysService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ReportDaysService.name);
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly freshAt = new Map<string, number>();
  /** The zone each org's stored days were last brought up to date in. */
  private readonly builtIn = new Map<string, string>();

  constructor(private readonly repo: ReportRepository) {}

  onApplicationBootstrap(): void {
    void this.repo.orgs().then(
      (orgs) => Promise.all(orgs.map((o) => this.refresh(o.id, 0))),
      (err: unknown) => this.logger.error(`reports: could not list orgs: ${err instanceof Error ? err.message : String(err)}`),
    );
  }

  /**
   * The org's stored days of [from, to] (local days), brought up to date first. A reader that
   * knows the org's zone passes it: days built in another zone are rebuilt before the read, not
   * up to 2 s later.
   */
  async days(orgId: string, from: string, to: string, zone?: string): Promise<ReportDay[]> {
    await this.refresh(orgId);
    if (zone !== undefined && this.builtIn.get(orgId) !== zone) {
      this.freshAt.delete(orgId);
      await this.refresh(orgId);
    }
    return this.repo.days(orgId, from, to);
  }

  /** Brings the org's stored days up to date unless that was done less than `maxStaleMs` ago. */
  async refresh(orgId: string, maxStaleMs = MAX_STALE_MS): Promise<void> {
    const running = this.inFlight.get(orgId);
    if (running) return running;
    if (Date.now() - (this.freshAt.get(orgId) ?? 0) < maxStaleMs) return;
    const started = Date.now();
    const work = this.update(orgId)
      .then(() => void this.freshAt.set(orgId, started))
      .catch((err: unknown) => {
        this.logger.error(`reports: refreshing org ${orgId} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        throw err;
      })
      .finally(() => this.inFlight.delete(orgId));
    this.inFlight.set(orgId, work);
    return work;
  }

  private async update(orgId: string): Promise<void> {
    const zone = await this.repo.orgTimeZone(orgId);
    if (!zone) return;
    // The database's clock stamps updated_at: the watermark is real time, not the injectable Clock.
    const scanStart = new Date();
    const state = await this.repo.state(orgId);
    let days: string[];
    if (!state || state.timeZone !== zone || state.format !== REPORT_DAY_FORMAT) {
      await this.repo.clearDays(orgId);
      const span = await this.repo.dataSpan(orgId);
      days = span ? dayList(localDayOf(zone, span.first), localDayOf(zone, span.last)) : [];
      this.logger.log(`reports: building ${days.length} day(s) of org ${orgId} (${state ? 'time zone or format changed' : 'first build'})`);
    } else {
      const changed = await this.repo.changedSince(orgId, new Date(state.changesUntil.getTime() - CHANGE_OVERLAP_MS));
      days = [...new Set(changed.map((at) => localDayOf(zone, at)))].sort();
    }
    const t0 = Date.now();
    for (const run of runsOf(days)) await this.rebuild(orgId, zone, run);
    if (days.length > 31) this.logger.log(`reports: built ${days.length} day(s) of org ${orgId} in ${Date.now() - t0} ms`);
    await this.repo.saveState(orgId, { timeZone: zone, format: REPORT_DAY_FORMAT, changesUntil: scanStart });
    this.builtIn.set(orgId, zone);
  }

  /** Rebuilds consecutive days from their raw rows. */
  private async rebuild(orgId: string, zone: string, days: string[]): Promise<void> {
    const starts = [...days, addDays(days[days.length - 1], 1)].map((d) => startOfLocalDay(zone, d).getTime());
    const [leads, calls] = await Promise.all([this.repo.leadFacts(orgId, new Date(starts[0]), new Date(starts[days.length])), this.repo.callFacts(orgId, new Date(starts[0]), new Date(starts[days.length]))]);
    const leadsOf = days.map((): LeadFact[] => []);
    const callsOf = days.map((): CallFact[] => []);
    for (const f of leads) leadsOf[dayIndex(starts, f.createdAt)]?.push(f);
    for (const f of calls) callsOf[dayIndex(starts, f.startedAt)]?.push(f);
    const hourOf = hourOfDayIn(zone);
    await this.repo.saveDays(
      orgId,
      days.map((day, i) => ({ day, doc: leadsOf[i].length || callsOf[i].length ? buildReportDay(hourOf, leadsOf[i], callsOf[i]) : null })),
    );
  }
}

/** Runs of consecutive days, at most BUILD_CHUNK_DAYS long. */
function runsOf(days: string[]): string[][] {
  const runs: string[][] = [];
  for (const day of days) {
    const last = runs[runs.length - 1];
    if (last && last.length < BUILD_CHUNK_DAYS && addDays(last[last.length - 1], 1) === day) last.push(day);
    else runs.push([day]);
  }
  return runs;
}

/** The index i with starts[i] ≤ at < starts[i + 1], or -1. */
function dayIndex(starts: number[], at: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  if (at < starts[0] || at >= starts[hi]) return -1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] <= at) lo = mid;
    else hi = mid;
  }
  return lo;
}
