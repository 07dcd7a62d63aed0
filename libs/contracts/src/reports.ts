// The report and wallboard payloads (docs/reports.md), shared by the server and the dashboard.
// The figures' row types come from libs/domain, which computes them. Times are ISO 8601 UTC;
// days are YYYY-MM-DD in the org's time zone; durations are milliseconds unless named Seconds.
import type { AgentRow, DistributionType, LocalDay, LocalPresenceFigures, OutcomeFigures, SpeedFigures, SpeedStage } from '@leadline/domain';

export interface ReportPeriodView {
  /** First and last day, both included. */
  from: LocalDay;
  to: LocalDay;
  /** The org's time zone, which decides the days and hours. */
  timeZone: string;
}

export interface SpeedReportView extends SpeedFigures {
  period: ReportPeriodView;
}

export interface OutcomeReportView extends OutcomeFigures {
  period: ReportPeriodView;
}

export interface AgentReportView {
  period: ReportPeriodView;
  agents: AgentRow[];
}

export interface LocalPresenceReportView extends LocalPresenceFigures {
  period: ReportPeriodView;
}

export type WallboardAgentState = 'available' | 'ringing' | 'on_call' | 'calls_off' | 'logged_out';

export interface WallboardAgent {
  id: string;
  name: string;
  state: WallboardAgentState;
  /** Since when (ISO 8601): the presence change, or the ringing leg's start. */
  since: string;
}

export interface WallboardRound {
  prospectId: string;
  name: string;
  campaign: string;
  /** The campaign's distribution type now (an admin may have changed it since the round began). */
  distribution: DistributionType;
  /** When distribution started (ISO 8601). */
  since: string;
  /** Agent phones ringing for it right now. */
  ringing: number;
}

export interface WallboardSnapshot {
  /** When it was computed (ISO 8601). */
  at: string;
  /** Today in the org's time zone. */
  day: LocalDay;
  timeZone: string;
  agents: WallboardAgent[];
  leads: { today: number; lastHour: number; taken: number; exceptions: number; open: number };
  rounds: WallboardRound[];
  exceptionsByReason: { reason: string; leads: number }[];
  speed: { stage: SpeedStage; leads: number; p50Ms: number | null; p90Ms: number | null }[];
  inbound: { waiting: number; oldestWaitingSince: string | null; answeredToday: number; missedToday: number };
  /** The last leads taken today, newest first. */
  recentWins: { prospectId: string; agent: string; via: string; at: string }[];
}
