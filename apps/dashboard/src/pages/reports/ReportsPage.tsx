// Reports (docs/reports.md): speed to lead, outcomes, agents and Local Dial Presence over a period
// and filters kept in the URL (so a view can be bookmarked or sent). Every chart has its table,
// a PNG and a CSV download; figures link to the leads or calls behind them.
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { addDays, failureReasonOf, startOfLocalDay } from '@leadline/domain';
import type { LeadOutcome } from '@leadline/domain';
import type { AgentReportView, DistributionGroupView, LocalPresenceReportView, OutcomeReportView, SpeedReportView } from '@leadline/contracts';
import { api, errorMessage, queryString, tokenStore } from '../../api';
import { AsyncView, useAsync } from '../../ui/async';
import { ChartFigure, DASHES, formatMs, formatPercent, PALETTE, saveBlob, SHAPES } from '../../ui/charts';
import { useToast } from '../../ui/toast';
import { humanize, MultiSelect, useAllUsers } from '../admin/controls';
import { useCampaignOptions } from '../admin/lead-filters';
import '../admin/admin.css';
import './reports.css';

const TABS = [
  { key: 'speed', label: 'Speed to lead' },
  { key: 'outcomes', label: 'Outcomes' },
  { key: 'agents', label: 'Agents' },
  { key: 'local-presence', label: 'Local Dial Presence' },
] as const;
type Tab = (typeof TABS)[number]['key'];
const LIST_KEYS = ['campaignId', 'leadProvider', 'groupId', 'agentId'] as const;
const STAGES = [
  { key: 'firstRing', label: 'First ring' },
  { key: 'taken', label: 'Taken' },
  { key: 'borrowerAnswered', label: 'Borrower answered' },
] as const;
const TAKEN_OUTCOMES: LeadOutcome[] = ['ring_all', 'distribute_all', 'manual', 'default_agent'];

type Query = Record<string, string | string[]>;

/** The period and filters from the URL (the org's days; no `from`/`to`: the server's last 30 days). */
function useReportQuery(): [Query, (patch: Query) => void] {
  const [params, setParams] = useSearchParams();
  const query = useMemo(() => {
    const q: Query = {};
    for (const k of ['from', 'to']) if (params.get(k)) q[k] = params.get(k)!;
    for (const k of LIST_KEYS) if (params.getAll(k).length) q[k] = params.getAll(k);
    return q;
  }, [params]);
  const set = (patch: Query) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      next.delete(k);
      (Array.isArray(v) ? v : [v]).filter(Boolean).forEach((x) => next.append(k, x));
    }
    setParams(next, { replace: true });
  };
  return [query, set];
}

async function downloadCsv(figure: string, query: Query, fileName: string): Promise<void> {
  const token = tokenStore.get();
  const res = await fetch(`/api/reports/${figure}${queryString({ ...query, format: 'csv' })}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw new Error(`The server answered ${res.status} ${res.statusText}`);
  saveBlob(await res.blob(), fileName);
}

export function ReportsPage() {
  const [params, setParams] = useSearchParams();
  const tab = (TABS.find((t) => t.key === params.get('tab'))?.key ?? 'speed') as Tab;
  const [query, setQuery] = useReportQuery();
  const campaigns = useCampaignOptions();
  const groups = useAsync(() => api.get<DistributionGroupView[]>('/distribution-groups'), []);
  const users = useAllUsers();
  const providers = [...new Set((campaigns.data ?? []).map((c) => c.leadProvider).filter((p): p is string => !!p))].sort();
  const toast = useToast();
  const csv = (figure: string, name: string) => () => downloadCsv(figure, query, `${name}.csv`).catch((err: unknown) => toast('error', errorMessage(err)));
  return (
    <>
      <div className="page-head">
        <h1>Reports</h1>
        <Link to="/wallboard">Open the wallboard</Link>
      </div>
      <section className="panel" aria-label="Report filters">
        <div className="grid-form">
          <label>
            From
            <input type="date" value={(query.from as string) ?? ''} onChange={(e) => setQuery({ from: e.target.value })} />
          </label>
          <label>
            To
            <input type="date" value={(query.to as string) ?? ''} onChange={(e) => setQuery({ to: e.target.value })} />
          </label>
          <div>
            <span className="field-label">Campaign</span>
            <MultiSelect label="Filter by campaign" options={(campaigns.data ?? []).map((c) => ({ value: c.id, label: c.name }))} value={(query.campaignId as string[]) ?? []} onChange={(v) => setQuery({ campaignId: v })} />
          </div>
          <div>
            <span className="field-label">Lead provider</span>
            <MultiSelect label="Filter by lead provider" options={providers.map((p) => ({ value: p, label: p }))} value={(query.leadProvider as string[]) ?? []} onChange={(v) => setQuery({ leadProvider: v })} />
          </div>
          <div>
            <span className="field-label">Distribution group</span>
            <MultiSelect label="Filter by distribution group" options={(groups.data ?? []).map((g) => ({ value: g.id, label: g.name }))} value={(query.groupId as string[]) ?? []} onChange={(v) => setQuery({ groupId: v })} />
          </div>
          <div>
            <span className="field-label">Agent</span>
            <MultiSelect label="Filter by agent" options={(users.data ?? []).map((u) => ({ value: u.id, label: u.name }))} value={(query.agentId as string[]) ?? []} onChange={(v) => setQuery({ agentId: v })} />
          </div>
        </div>
      </section>
      <nav className="report-tabs" aria-label="Reports">
        {TABS.map((t) => (
          <button
            key={t.key}
            type="button"
            aria-current={t.key === tab ? 'page' : undefined}
            className={t.key === tab ? 'primary' : ''}
            onClick={() => {
              const next = new URLSearchParams(params);
              next.set('tab', t.key);
              setParams(next, { replace: true });
            }}
          >
            {t.label}
          </button>
        ))}
      </nav>
      {tab === 'speed' && <SpeedReport query={query} csv={csv} />}
      {tab === 'outcomes' && <OutcomesReport query={query} csv={csv} />}
      {tab === 'agents' && <AgentsReport query={query} csv={csv} />}
      {tab === 'local-presence' && <LocalPresenceReport query={query} csv={csv} />}
    </>
  );
}

type Csv = (figure: string, name: string) => () => void;

// What every chart of the page shares: room for the axis titles, and the titles themselves (each names its unit).
const MARGIN = { top: 8, right: 16, bottom: 24, left: 8 };
const xTitle = (value: string) => ({ value, position: 'insideBottom' as const, offset: -14 });
const yTitle = (value: string, side: 'left' | 'right' = 'left') => ({ value, angle: side === 'left' ? -90 : 90, position: side === 'left' ? ('insideLeft' as const) : ('insideRight' as const) });

function PeriodLine({ period }: { period: { from: string; to: string; timeZone: string } }) {
  return (
    <p className="muted" data-testid="report-period">
      {period.from} to {period.to} · days and hours in {period.timeZone}
    </p>
  );
}

const seconds = (ms: number | null) => (ms === null ? null : Math.round(ms / 100) / 10);

function SpeedReport({ query, csv }: { query: Query; csv: Csv }) {
  const state = useAsync(() => api.get<SpeedReportView>('/reports/speed-to-lead', query), [JSON.stringify(query)]);
  return (
    <AsyncView state={state}>
      {(r) => (
        <>
          <PeriodLine period={r.period} />
          <div className="table-wrap">
            <table aria-label="Speed to lead per stage">
              <thead>
                <tr>
                  <th>From accepted to</th>
                  <th className="num">Leads</th>
                  <th className="num">p50</th>
                  <th className="num">p90</th>
                  <th className="num">p99</th>
                </tr>
              </thead>
              <tbody>
                {r.stages.map((s) => (
                  <tr key={s.stage}>
                    <td>{humanize(s.stage)}</td>
                    <td className="num">{s.leads}</td>
                    <td className="num">{formatMs(s.p50Ms)}</td>
                    <td className="num">{formatMs(s.p90Ms)}</td>
                    <td className="num">{formatMs(s.p99Ms)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="chart-actions">
            <button type="button" className="small" onClick={csv('speed-to-lead/stages', 'speed-to-lead-stages')}>
              CSV of the stages
            </button>
          </div>
          <ChartFigure title="Speed to lead: distribution" summary={`${r.stages[0].leads} leads rung, ${r.stages[1].leads} taken, ${r.stages[2].leads} borrowers reached`} fileName="speed-to-lead-histogram" onCsv={csv('speed-to-lead/histogram', 'speed-to-lead-histogram')}>
            <ResponsiveContainer width="100%" height={280}>
              <BarChart data={r.histogram} margin={MARGIN} accessibilityLayer>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="bin" label={xTitle('time from accepted')} />
                <YAxis allowDecimals={false} label={yTitle('leads')} />
                <Tooltip />
                <Legend verticalAlign="top" />
                {STAGES.map((s, i) => (
                  <Bar key={s.key} dataKey={s.key} name={s.label} fill={PALETTE[i]} stroke="#000" strokeWidth={i === 1 ? 1 : 0} strokeDasharray={DASHES[i]} />
                ))}
              </BarChart>
            </ResponsiveContainer>
          </ChartFigure>
          <ChartFigure title="Speed to lead by day (taken)" summary={`median and 90th percentile from accepted to taken, ${r.byDay.length} days`} fileName="speed-to-lead-by-day" onCsv={csv('speed-to-lead/by-day', 'speed-to-lead-by-day')}>
            <ResponsiveContainer width="100%" height={280}>
              <LineChart data={r.byDay.map((d) => ({ day: d.day, p50: seconds(d.takenP50Ms), p90: seconds(d.takenP90Ms), ringP50: seconds(d.firstRingP50Ms) }))} margin={MARGIN} accessibilityLayer>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="day" label={xTitle('day')} />
                <YAxis label={yTitle('seconds')} />
                <Tooltip />
                <Legend verticalAlign="top" />
                <Line dataKey="p50" name="Taken p50 (s)" stroke={PALETTE[0]} strokeDasharray={DASHES[0]} dot={{ r: 3 }} connectNulls />
                <Line dataKey="p90" name="Taken p90 (s)" stroke={PALETTE[1]} strokeDasharray={DASHES[1]} dot={{ r: 3 }} legendType={SHAPES[1]} connectNulls />
                <Line dataKey="ringP50" name="First ring p50 (s)" stroke={PALETTE[2]} strokeDasharray={DASHES[2]} dot={{ r: 3 }} legendType={SHAPES[2]} connectNulls />
              </LineChart>
            </ResponsiveContainer>
          </ChartFigure>
          <ChartFigure title="Speed to lead by hour of day" summary="leads accepted and median to taken per hour" fileName="speed-to-lead-by-hour" onCsv={csv('speed-to-lead/by-hour', 'speed-to-lead-by-hour')}>
            <ResponsiveContainer width="100%" height={260}>
              <BarChart data={r.byHour.map((h) => ({ hour: `${String(h.hour).padStart(2, '0')}:00`, leads: h.leads, takenP50: seconds(h.takenP50Ms) }))} margin={MARGIN} accessibilityLayer>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="hour" label={xTitle(`hour accepted (${r.period.timeZone})`)} />
                <YAxis yAxisId="leads" allowDecimals={false} label={yTitle('leads')} />
                <YAxis yAxisId="s" orientation="right" label={yTitle('seconds', 'right')} />
                <Tooltip />
                <Legend verticalAlign="top" />
                <Bar yAxisId="leads" dataKey="leads" name="Leads" fill={PALETTE[5]} />
                <Bar yAxisId="s" dataKey="takenP50" name="Taken p50 (s)" fill={PALETTE[1]} stroke="#000" strokeDasharray={DASHES[1]} />
              </BarChart>
            </ResponsiveContainer>
          </ChartFigure>
        </>
      )}
    </AsyncView>
  );
}

/** Links to the lead lists for an outcome of the period (createdFrom/To: the org's days as instants). */
function outcomeLink(outcome: LeadOutcome, period: { from: string; to: string; timeZone: string }, query: Query): string | null {
  const createdFrom = startOfLocalDay(period.timeZone, period.from).toISOString();
  const createdTo = new Date(startOfLocalDay(period.timeZone, addDays(period.to, 1)).getTime() - 1).toISOString();
  const campaigns = (query.campaignId as string[] | undefined) ?? [];
  const providers = (query.leadProvider as string[] | undefined) ?? [];
  const common = { createdFrom, createdTo, campaignId: campaigns, leadProvider: providers };
  const reason = failureReasonOf(outcome);
  if (reason) return `/lead-exceptions${queryString({ ...common, failureReason: [reason], showIgnored: 'true' })}`;
  if (outcome === 'open') return `/unassigned-leads${queryString({ ...common, status: ['new', 'distributing'] })}`;
  return null;
}

function OutcomesReport({ query, csv }: { query: Query; csv: Csv }) {
  const state = useAsync(() => api.get<OutcomeReportView>('/reports/outcomes', query), [JSON.stringify(query)]);
  return (
    <AsyncView state={state}>
      {(r) => (
        <>
          <PeriodLine period={r.period} />
          <div className="report-kpis">
            <div data-testid="outcomes-leads">
              <b>{r.leads}</b> leads
            </div>
            <div data-testid="outcomes-contact">
              <b>{formatPercent(r.contactRate)}</b> contact rate ({r.reached} borrowers reached)
            </div>
          </div>
          <div className="table-wrap">
            <table aria-label="Leads by outcome">
              <thead>
                <tr>
                  <th>Outcome</th>
                  <th className="num">Leads</th>
                  <th className="num">Share</th>
                </tr>
              </thead>
              <tbody>
                {r.outcomes.map((o) => {
                  const link = outcomeLink(o.outcome, r.period, query);
                  return (
                    <tr key={o.outcome}>
                      <td>{outcomeLabel(o.outcome)}</td>
                      <td className="num">{link && o.leads > 0 ? <Link to={link}>{o.leads}</Link> : o.leads}</td>
                      <td className="num">{formatPercent(o.share)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <div className="chart-actions">
            <button type="button" className="small" onClick={csv('outcomes/summary', 'outcomes')}>
              CSV of the outcomes
            </button>
          </div>
          <ChartFigure title="Leads by outcome, per day" summary={`${r.leads} leads over ${r.byDay.length} days`} fileName="outcomes-by-day" onCsv={csv('outcomes/by-day', 'outcomes-by-day')}>
            <ResponsiveContainer width="100%" height={300}>
              <BarChart
                data={r.byDay.map((d) => ({
                  day: d.day,
                  taken: TAKEN_OUTCOMES.reduce((n, o) => n + d[o], 0),
                  exceptions: d.no_available_agents + d.no_agents_answered + d.no_agents_clicked + d.fatal_error,
                  open: d.open,
                }))}
                margin={MARGIN}
                accessibilityLayer
              >
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="day" label={xTitle('day')} />
                <YAxis allowDecimals={false} label={yTitle('leads')} />
                <Tooltip />
                <Legend verticalAlign="top" />
                <Bar dataKey="taken" name="Taken or assigned" stackId="a" fill={PALETTE[2]} />
                <Bar dataKey="exceptions" name="Lead exceptions" stackId="a" fill={PALETTE[3]} stroke="#000" strokeDasharray={DASHES[1]} />
                <Bar dataKey="open" name="Open" stackId="a" fill={PALETTE[6]} stroke="#000" strokeDasharray={DASHES[2]} />
              </BarChart>
            </ResponsiveContainer>
          </ChartFigure>
        </>
      )}
    </AsyncView>
  );
}

function outcomeLabel(o: LeadOutcome): string {
  switch (o) {
    case 'ring_all':
      return 'Taken by Ring All';
    case 'distribute_all':
      return 'Taken by Distribute All';
    case 'manual':
      return 'Assigned by hand';
    case 'default_agent':
      return "Given to the campaign's default agent";
    case 'open':
      return 'Open (new or distributing)';
    case 'no_available_agents':
    case 'no_agents_answered':
    case 'no_agents_clicked':
    case 'fatal_error':
      return `Exception: ${failureReasonOf(o)}`;
    default: {
      const unreachable: never = o;
      return unreachable;
    }
  }
}

function callActivityLink(period: { from: string; to: string; timeZone: string }, extra: Record<string, string | string[]>): string {
  const from = startOfLocalDay(period.timeZone, period.from).toISOString();
  const to = new Date(startOfLocalDay(period.timeZone, addDays(period.to, 1)).getTime() - 1).toISOString();
  return `/call-activity${queryString({ from, to, ...extra })}`;
}

function AgentsReport({ query, csv }: { query: Query; csv: Csv }) {
  const state = useAsync(() => api.get<AgentReportView>('/reports/agents', query), [JSON.stringify(query)]);
  return (
    <AsyncView state={state}>
      {(r) => (
        <>
          <PeriodLine period={r.period} />
          <ChartFigure title="Ring All rounds per agent" summary={`${r.agents.length} agents`} fileName="agents" onCsv={csv('agents/rows', 'agents')}>
            <ResponsiveContainer width="100%" height={Math.max(220, 40 + r.agents.length * 28)}>
              <BarChart layout="vertical" data={r.agents} margin={MARGIN} accessibilityLayer>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis type="number" allowDecimals={false} label={xTitle('Ring All legs')} />
                <YAxis type="category" dataKey="name" width={140} />
                <Tooltip />
                <Legend verticalAlign="top" />
                <Bar dataKey="won" name="Won" fill={PALETTE[2]} />
                <Bar dataKey="answered" name="Answered" fill={PALETTE[0]} stroke="#000" strokeDasharray={DASHES[1]} />
                <Bar dataKey="missed" name="Missed" fill={PALETTE[3]} stroke="#000" strokeDasharray={DASHES[2]} />
              </BarChart>
            </ResponsiveContainer>
          </ChartFigure>
          <div className="table-wrap">
            <table aria-label="Agents">
              <thead>
                <tr>
                  <th>Agent</th>
                  <th className="num">Leads</th>
                  <th className="num">Offered</th>
                  <th className="num">Answered</th>
                  <th className="num">Won</th>
                  <th className="num">Missed</th>
                  <th className="num">Answer rate</th>
                  <th className="num">Avg. answer time</th>
                  <th className="num">Inbound answered</th>
                  <th className="num">Outbound calls</th>
                  <th className="num">Talk time</th>
                </tr>
              </thead>
              <tbody>
                {r.agents.map((a) => (
                  <tr key={a.agentId}>
                    <td>
                      <Link to={callActivityLink(r.period, { byUserId: a.agentId })}>{a.name}</Link>
                    </td>
                    <td className="num">{a.leads}</td>
                    <td className="num">{a.offered}</td>
                    <td className="num">{a.answered}</td>
                    <td className="num">{a.won}</td>
                    <td className="num">{a.missed}</td>
                    <td className="num">{formatPercent(a.answerRate)}</td>
                    <td className="num">{formatMs(a.avgAnswerMs)}</td>
                    <td className="num">
                      {a.inboundAnswered} / {a.inboundOffered}
                    </td>
                    <td className="num">{a.outboundCalls}</td>
                    <td className="num">{formatMs(a.talkSeconds * 1000)}</td>
                  </tr>
                ))}
                {r.agents.length === 0 && (
                  <tr>
                    <td colSpan={11} className="muted">
                      No agent activity in this period.
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
        </>
      )}
    </AsyncView>
  );
}

function LocalPresenceReport({ query, csv }: { query: Query; csv: Csv }) {
  const state = useAsync(() => api.get<LocalPresenceReportView>('/reports/local-presence', query), [JSON.stringify(query)]);
  return (
    <AsyncView state={state}>
      {(r) => {
        const numbers = r.numbers.slice(0, 6).map((n) => n.number);
        const days = [...new Set(r.byDay.map((d) => d.day))];
        const series = days.map((day) => Object.fromEntries([['day', day], ...numbers.map((n) => [n, r.byDay.find((d) => d.day === day && d.number === n)?.answerRate ?? null]).map(([n, v]) => [n, v === null ? null : Math.round((v as number) * 1000) / 10])]));
        return (
          <>
            <PeriodLine period={r.period} />
            <div className="table-wrap">
              <table aria-label="Caller ID numbers">
                <thead>
                  <tr>
                    <th>Number</th>
                    <th>Why shown</th>
                    <th className="num">Calls</th>
                    <th className="num">Answer rate</th>
                    <th className="num">Last 7 days</th>
                    <th className="num">Before</th>
                    <th>Flag</th>
                  </tr>
                </thead>
                <tbody>
                  {r.numbers.map((n) => (
                    <tr key={`${n.number}-${n.reason}`} className={n.dropped ? 'flagged' : undefined}>
                      <td className="mono">
                        <Link to={callActivityLink(r.period, { phone: n.number })}>{n.number}</Link>
                      </td>
                      <td>{humanize(n.reason)}</td>
                      <td className="num">{n.calls}</td>
                      <td className="num">{formatPercent(n.answerRate)}</td>
                      <td className="num">
                        {formatPercent(n.recentAnswerRate)} ({n.recentCalls})
                      </td>
                      <td className="num">
                        {formatPercent(n.earlierAnswerRate)} ({n.earlierCalls})
                      </td>
                      <td>{n.dropped ? '⚠ answered far less lately (spam flag?)' : ''}</td>
                    </tr>
                  ))}
                  {r.numbers.length === 0 && (
                    <tr>
                      <td colSpan={7} className="muted">
                        No outbound borrower calls in this period.
                      </td>
                    </tr>
                  )}
                </tbody>
              </table>
            </div>
            <div className="chart-actions">
              <button type="button" className="small" onClick={csv('local-presence/numbers', 'caller-id-numbers')}>
                CSV of the numbers
              </button>
              <button type="button" className="small" onClick={csv('local-presence/area-codes', 'caller-id-area-codes')}>
                CSV per area code
              </button>
            </div>
            <ChartFigure title="Answer rate per caller ID number, by day" summary={`${numbers.length} busiest numbers`} fileName="caller-id-by-day" onCsv={csv('local-presence/by-day', 'caller-id-by-day')}>
              <ResponsiveContainer width="100%" height={300}>
                <LineChart data={series} margin={MARGIN} accessibilityLayer>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="day" label={xTitle('day')} />
                  <YAxis domain={[0, 100]} label={yTitle('answered (%)')} />
                  <Tooltip />
                  <Legend verticalAlign="top" />
                  {numbers.map((n, i) => (
                    <Line key={n} dataKey={n} name={n} stroke={PALETTE[i % PALETTE.length]} strokeDasharray={DASHES[i % DASHES.length]} legendType={SHAPES[i % SHAPES.length]} dot={{ r: 3 }} connectNulls />
                  ))}
                </LineChart>
              </ResponsiveContainer>
            </ChartFigure>
          </>
        );
      }}
    </AsyncView>
  );
}
