// Team presence board: every agent's light, live. Subscribes with `presence:subscribe-team` (the
// ack carries everyone's presence) on each (re)connect, then applies `presence:team` updates. An
// agent on a connected call gets the manager's Listen / Whisper / Barge / Stop (calls/MonitorControls).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Presence } from '@leadline/contracts';
import { useMe } from '../../auth';
import { useLiveCalls, useMonitors } from '../../calls/live-calls';
import { MonitorControls } from '../../calls/MonitorControls';
import { useSocket, useSocketEvent } from '../../socket';
import { ErrorBanner, Loading } from '../../ui/async';
import { formatDateTime, humanize, useAllUsers } from './controls';
import './admin.css';

const REASON_TEXT: Record<Presence['reason'], string> = {
  available: 'Available',
  logged_out: 'Logged out',
  calls_off: 'Calls off',
  on_call: 'On a call',
  inbound_ringing: 'Inbound call ringing',
};

export function TeamPage() {
  const { socket, connected } = useSocket();
  const users = useAllUsers();
  const [team, setTeam] = useState<Map<string, Presence> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const me = useMe();
  // Renewed on each team subscription: the team's call events reach this socket only from then on.
  const [subscribed, setSubscribed] = useState<number | null>(null);
  const live = useLiveCalls(subscribed);
  const { monitors, error: monitorsError } = useMonitors(subscribed);

  useEffect(() => {
    if (!socket || !connected) return;
    let current = true;
    socket.emit('presence:subscribe-team', (answer) => {
      if (!current) return;
      if (answer.ok) {
        setTeam(new Map(answer.team.map((p) => [p.userId, p])));
        setError(null);
        setSubscribed((n) => (n ?? 0) + 1);
      } else setError('The server refused the team view (only managers and admins may see it).');
    });
    return () => {
      current = false;
    };
  }, [socket, connected]);

  const onUpdate = useCallback((p: Presence) => setTeam((t) => new Map(t ?? []).set(p.userId, p)), []);
  useSocketEvent('presence:team', onUpdate);

  const names = new Map((users.data ?? []).map((u) => [u.id, u]));
  // Someone registered after the page loaded: read the user list again, once per unknown id.
  const asked = useRef(new Set<string>());
  const unknown = (users.data && !users.loading ? Array.from(team?.keys() ?? []).filter((id) => !names.has(id) && !asked.current.has(id)) : []).join(',');
  const { reload } = users;
  useEffect(() => {
    if (!unknown) return;
    unknown.split(',').forEach((id) => asked.current.add(id));
    reload();
  }, [unknown, reload]);
  const entries = Array.from(team?.values() ?? []).sort((a, b) => (names.get(a.userId)?.name ?? a.userId).localeCompare(names.get(b.userId)?.name ?? b.userId));
  const counts = { green: entries.filter((p) => p.color === 'green').length, ringing: entries.filter((p) => p.blink).length };

  return (
    <>
      <h1>Team presence</h1>
      <div className="legend" aria-label="Legend">
        <span>
          <span className="light green" /> Available
        </span>
        <span>
          <span className="light red" /> Not available
        </span>
        <span>
          <span className="light red blink" /> Inbound call ringing
        </span>
        {team && (
          <span>
            · {counts.green} of {entries.length} available{counts.ringing ? `, ${counts.ringing} ringing` : ''}
          </span>
        )}
      </div>
      {error && <div className="error-banner" role="alert">{error}</div>}
      <ErrorBanner error={users.error} onRetry={users.reload} />
      <ErrorBanner error={live.error ?? monitorsError} />
      {!connected && <p className="muted">Waiting for the live connection…</p>}
      {connected && !team && !error && <Loading what="Loading the team" />}
      {team && (
        <div className="presence-board" aria-label="Agents">
          {entries.map((p) => {
            const u = names.get(p.userId);
            const status = p.blink ? 'ringing' : p.color === 'green' ? 'available' : 'not available';
            const call = p.userId === me.id ? undefined : live.calls.find((c) => c.parties.some((party) => party.userId === p.userId && party.role === 'agent'));
            return (
              <div key={p.userId} className="presence-card" role="group" aria-label={`${u?.name ?? 'Agent'}: ${status}`} data-color={p.color} data-blink={p.blink}>
                <span className={`light ${p.color}${p.blink ? ' blink' : ''}`} role="img" aria-label={status} />
                <div>
                  <div className="who-name">{u?.name ?? <span className="muted">Unknown user</span>}</div>
                  <div>{REASON_TEXT[p.reason] ?? humanize(p.reason)}</div>
                  <div className="muted" title={p.since}>
                    since {formatDateTime(p.since)}
                  </div>
                  {call && <MonitorControls call={call} agentId={p.userId} meId={me.id} monitors={monitors.filter((m) => m.callId === call.callId)} />}
                </div>
              </div>
            );
          })}
          {!entries.length && <p className="muted">No agents yet.</p>}
        </div>
      )}
    </>
  );
}
