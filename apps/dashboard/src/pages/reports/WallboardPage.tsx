// The wallboard (docs/reports.md): a full-screen page for a TV or a second screen, live over
// socket.io ('wallboard:subscribe', then 'wallboard' pushes), large type, laid out to fit 1920×1080
// without scrolling. Every agent state has a word and a symbol, not only a colour.
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import type { WallboardAgentState, WallboardSnapshot } from '@leadline/contracts';
import { useSocket, useSocketEvent } from '../../socket';
import { formatMs } from '../../ui/charts';
import './wallboard.css';

const STATE_LABEL: Record<WallboardAgentState, { label: string; symbol: string }> = {
  available: { label: 'Available', symbol: '●' },
  ringing: { label: 'Ringing', symbol: '☎' },
  on_call: { label: 'On a call', symbol: '◆' },
  calls_off: { label: 'Calls off', symbol: '❚❚' },
  logged_out: { label: 'Logged out', symbol: '○' },
};
const ORDER: WallboardAgentState[] = ['ringing', 'available', 'on_call', 'calls_off', 'logged_out'];
const STAGE_LABEL = { first_ring: 'Accepted → first ring', taken: 'Accepted → taken', borrower_answered: 'Accepted → borrower answered' } as const;

/** "4:05" or "1:02:03" since `iso`. */
function elapsed(iso: string, now: number): string {
  const s = Math.max(0, Math.floor((now - new Date(iso).getTime()) / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

function useNow(ms = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

export function WallboardPage() {
  const { socket, connected } = useSocket();
  const [board, setBoard] = useState<WallboardSnapshot | null>(null);
  const [error, setError] = useState<string | null>(null);
  const now = useNow();

  // Subscribe on every (re)connection: the room is joined per socket.
  useEffect(() => {
    if (!socket || !connected) return;
    socket.emit('wallboard:subscribe', (answer) => {
      if (answer.ok) {
        setBoard(answer.snapshot);
        setError(null);
      } else setError(answer.reason === 'forbidden' ? 'The wallboard is for managers and admins.' : 'The wallboard could not be loaded; retrying on the next update.');
    });
  }, [socket, connected]);
  useSocketEvent('wallboard', useCallback((snapshot: WallboardSnapshot) => setBoard(snapshot), []));

  if (!board)
    return (
      <div className="wallboard">
        <p className="wb-wait">{error ?? 'Connecting…'}</p>
      </div>
    );
  const counts = Object.fromEntries(ORDER.map((s) => [s, board.agents.filter((a) => a.state === s).length])) as Record<WallboardAgentState, number>;
  const agents = [...board.agents].sort((a, b) => ORDER.indexOf(a.state) - ORDER.indexOf(b.state) || a.name.localeCompare(b.name));
  const dense = agents.length > 24;
  return (
    <div className={`wallboard${dense ? ' dense' : ''}`}>
      <header className="wb-head">
        <h1>Leadline wallboard</h1>
        <span className="wb-day">
          {board.day} · {board.timeZone}
        </span>
        <span className={`wb-live${connected ? '' : ' off'}`} role="status">
          {connected ? '● Live' : '○ Reconnecting…'}
        </span>
        <Link to="/reports" className="wb-exit">
          Reports
        </Link>
      </header>
      <section className="wb-tiles" aria-label="Leads today">
        <Tile label="Leads today" value={board.leads.today} testId="wb-leads-today" />
        <Tile label="Last hour" value={board.leads.lastHour} testId="wb-leads-hour" />
        <Tile label="Taken" value={board.leads.taken} testId="wb-taken" />
        <Tile label="Exceptions" value={board.leads.exceptions} testId="wb-exceptions" warn={board.leads.exceptions > 0} />
        <Tile label="Callers waiting" value={board.inbound.waiting} testId="wb-waiting" warn={board.inbound.waiting > 0} sub={board.inbound.oldestWaitingSince ? `longest ${elapsed(board.inbound.oldestWaitingSince, now)}` : undefined} />
        <Tile label="Inbound missed" value={board.inbound.missedToday} testId="wb-missed" sub={`${board.inbound.answeredToday} answered`} />
      </section>
      <section className="wb-speed" aria-label="Speed to lead today">
        {board.speed.map((s) => (
          <div key={s.stage} className="wb-speed-tile" data-testid={`wb-speed-${s.stage}`}>
            <div className="wb-label">{STAGE_LABEL[s.stage]}</div>
            <div className="wb-speed-values">
              <span>
                <small>p50</small> {formatMs(s.p50Ms)}
              </span>
              <span>
                <small>p90</small> {formatMs(s.p90Ms)}
              </span>
            </div>
            <div className="wb-sub">
              {s.leads} lead{s.leads === 1 ? '' : 's'}
            </div>
          </div>
        ))}
      </section>
      <div className="wb-main">
        <section className="wb-agents" aria-label="Agents">
          <div className="wb-legend">
            {ORDER.map((s) => (
              <span key={s} className={`wb-count state-${s}`} data-testid={`wb-count-${s}`}>
                <span aria-hidden="true">{STATE_LABEL[s].symbol}</span> {STATE_LABEL[s].label} <b>{counts[s]}</b>
              </span>
            ))}
          </div>
          <ul className="wb-agent-grid">
            {agents.map((a) => (
              <li key={a.id} className={`wb-agent state-${a.state}`} data-testid="wb-agent" data-agent={a.name} data-state={a.state}>
                <span className="wb-symbol" aria-hidden="true">
                  {STATE_LABEL[a.state].symbol}
                </span>
                <span className="wb-name">{a.name}</span>
                <span className="wb-state">
                  {STATE_LABEL[a.state].label} · {elapsed(a.since, now)}
                </span>
              </li>
            ))}
          </ul>
        </section>
        <aside className="wb-side">
          <section aria-label="Rounds ringing now">
            <h2>Ringing now</h2>
            {board.rounds.length === 0 ? (
              <p className="wb-none">No lead being distributed</p>
            ) : (
              <ul className="wb-list" data-testid="wb-rounds">
                {board.rounds.slice(0, 5).map((r) => (
                  <li key={r.prospectId}>
                    <b>{r.name || 'Lead'}</b> · {r.campaign} · {r.ringing} phone{r.ringing === 1 ? '' : 's'} · {elapsed(r.since, now)}
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section aria-label="Lead exceptions today">
            <h2>Exceptions today</h2>
            <ul className="wb-list">
              {board.exceptionsByReason.map((e) => (
                <li key={e.reason}>
                  <b>{e.leads}</b> {e.reason}
                </li>
              ))}
            </ul>
          </section>
          <section aria-label="Last leads taken">
            <h2>Last taken</h2>
            {board.recentWins.length === 0 ? (
              <p className="wb-none">None yet today</p>
            ) : (
              <ul className="wb-list" data-testid="wb-wins">
                {board.recentWins.map((w) => (
                  <li key={w.prospectId}>
                    <b>{w.agent}</b> · {w.via.replace(/_/g, ' ')} · {elapsed(w.at, now)} ago
                  </li>
                ))}
              </ul>
            )}
          </section>
        </aside>
      </div>
    </div>
  );
}

function Tile({ label, value, testId, warn, sub }: { label: string; value: number; testId: string; warn?: boolean; sub?: string }) {
  return (
    <div className={`wb-tile${warn ? ' warn' : ''}`} data-testid={testId}>
      <div className="wb-label">{label}</div>
      <div className="wb-value">{value}</div>
      {sub && <div className="wb-sub">{sub}</div>}
    </div>
  );
}
