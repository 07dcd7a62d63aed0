import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { addDays, buildReportDay, CallFact, dayList, hourOfDayIn, LeadFact, localDayOf, REPORT_DAY_FORMAT, ReportDay, ReportDayDoc, startOfLocalDay } from '@leadline/domain';
import { ReportRepository } from './report.repository';

/** Changes are read again this far back: a transaction may commit a little after the stamp it wrote. */
const CHANGE_OVERLAP_MS = 60_000;
/** A report may read stored days this old before they are brought up to date again. */
const MAX_STALE_MS = 2_000;
/** Reports over more days than this keep the org's stored days in memory from then on. */
const HOT_AFTER_DAYS = 31;
/** Days read from the raw rows in one go when many are (re)built, at most. */
const BUILD_CHUNK_DAYS = 31;
/** A build step (read, sum, write) should take about this long; longer ones halve the next step's days. */
const BUILD_STEP_MS = 200;

/**
 * Keeps every org's stored days (report_day) right, incrementally: each refresh reads which leads
 * and legs changed since the last one (updated_at, stamped by the database on every update) and
 * rebuilds the days they belong to from the raw rows; a new time zone or stored format rebuilds
 * everything. Reports refresh before reading (at most every 2 s per org, at once when the org's
 * zone is not the one the stored days were built in), and the server builds
 * in the background at start so the first report seldom waits. Idempotent, so two instances
 * refreshing at once write the same rows.
 *
 * An org's days, once a report has read them, stay in memory parsed (`hot`): a report over two
 * years then adds up cells instead of reading and parsing every stored day again (docs/reports.md).
 * Each instance rebuilds the changed days itself, so its copy follows every change, its own and
 * other instances'. The update and the first read of an org run one after the other (`serial`), so
 * a read never puts back a day older than one just rebuilt.
 */
@Injectable()
export class ReportDaysService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ReportDaysService.name);
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly freshAt = new Map<string, number>();
  /** The zone each org's stored days were last brought up to date in. */
  private readonly builtIn = new Map<string, string>();
  /** Every stored day of the orgs a report has read, parsed. */
  private readonly hot = new Map<string, Map<string, ReportDayDoc>>();
  /** The end of each org's chain of updates and first reads. */
  private readonly tail = new Map<string, Promise<unknown>>();

  constructor(private readonly repo: ReportRepository) {}

  onApplicationBootstrap(): void {
    // Outside the start-up hooks (not awaited by them): a first build of a big database takes
    // minutes, in short steps that leave the server answering meanwhile.
    setTimeout(
      () =>
        void this.repo.orgs().then(
          (orgs) => Promise.all(orgs.map((o) => this.refresh(o.id, 0).catch(() => undefined))),
          (err: unknown) => this.logger.error(`reports: could not list orgs: ${err instanceof Error ? err.message : String(err)}`),
        ),
      0,
    ).unref();
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
    let hot = this.hot.get(orgId);
    const period = dayList(from, to);
    // A few days (the wallboard's today, a week) are read as they are; a long period loads every day once.
    if (!hot && period.length <= HOT_AFTER_DAYS) return this.repo.days(orgId, from, to);
    hot ??= await this.serial(orgId, () => this.load(orgId));
    return period.flatMap((day) => {
      const doc = hot.get(day);
      return doc ? [{ day, doc }] : [];
    });
  }

  /** Runs `work` after the org's earlier updates and reads have ended. */
  private serial<T>(orgId: string, work: () => Promise<T>): Promise<T> {
    const run = (this.tail.get(orgId) ?? Promise.resolve()).catch(() => undefined).then(work);
    this.tail.set(orgId, run);
    void run.finally(() => this.tail.get(orgId) === run && this.tail.delete(orgId)).catch(() => undefined);
    return run;
  }

  private async load(orgId: string): Promise<Map<string, ReportDayDoc>> {
    const loaded = this.hot.get(orgId);
    if (loaded) return loaded;
    const t0 = Date.now();
    const rows = await this.repo.days(orgId, '0000-01-01', '9999-12-31');
    const hot = new Map(rows.map((r) => [r.day, r.doc]));
    this.hot.set(orgId, hot);
    if (rows.length > 31) this.logger.log(`reports: read ${rows.length} stored day(s) of org ${orgId} into memory in ${Date.now() - t0} ms`);
    return hot;
  }

  /** Brings the org's stored days up to date unless that was done less than `maxStaleMs` ago. */
  async refresh(orgId: string, maxStaleMs = MAX_STALE_MS): Promise<void> {
    const running = this.inFlight.get(orgId);
    if (running) return running;
    if (Date.now() - (this.freshAt.get(orgId) ?? 0) < maxStaleMs) return;
    const started = Date.now();
    const work = this.serial(orgId, () => this.update(orgId))
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
      this.hot.get(orgId)?.clear();
      const span = await this.repo.dataSpan(orgId);
      days = span ? dayList(localDayOf(zone, span.first), localDayOf(zone, span.last)) : [];
      this.logger.log(`reports: building ${days.length} day(s) of org ${orgId} (${state ? 'time zone or format changed' : 'first build'})`);
    } else {
      const changed = await this.repo.changedSince(orgId, new Date(state.changesUntil.getTime() - CHANGE_OVERLAP_MS));
      days = [...new Set(changed.map((at) => localDayOf(zone, at)))].sort();
    }
    const t0 = Date.now();
    // The raw rows are read synchronously on SQLite: steps of a few days keep the server answering
    // while years are built. Each step's length follows how long the last read took.
    let chunk = BUILD_CHUNK_DAYS;
    for (let i = 0; i < days.length; ) {
      const run = runAt(days, i, chunk);
      const started = Date.now();
      await this.rebuild(orgId, zone, run);
      i += run.length;
      const took = Date.now() - started;
      chunk = Math.max(1, Math.min(BUILD_CHUNK_DAYS, took > BUILD_STEP_MS ? Math.floor(chunk / 2) : took < BUILD_STEP_MS / 4 ? chunk * 2 : chunk));
      if (i < days.length) await new Promise((resolve) => setImmediate(resolve));
    }
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
    const built = days.map((day, i) => ({ day, doc: leadsOf[i].length || callsOf[i].length ? buildReportDay(hourOf, leadsOf[i], callsOf[i]) : null }));
    await this.repo.saveDays(orgId, built);
    const hot = this.hot.get(orgId);
    for (const { day, doc } of built) {
      if (doc) hot?.set(day, doc);
      else hot?.delete(day);
    }
  }
}

/** The consecutive days from days[i] on, at most `max` of them. */
function runAt(days: string[], i: number, max: number): string[] {
  const run = [days[i]];
  while (run.length < max && i + run.length < days.length && addDays(run[run.length - 1], 1) === days[i + run.length]) run.push(days[i + run.length]);
  return run;
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
