// The agent's connected calls on their home page: whom they talk to, since when, held or not, with
// Hold / Resume and a blind Transfer to a colleague (from the directory) or a typed number. What the
// server refuses is said in words (a colleague not taking calls, a number the org does not dial).
import { FormEvent, useState } from 'react';
import type { DirectoryEntryView, LiveCallView, MonitoredNotice } from '@leadline/contracts';
import { api, ApiError, errorMessage } from '../api';
import { useMe } from '../auth';
import { ErrorBanner, useAsync } from '../ui/async';
import { useToast } from '../ui/toast';
import { useSecondsUntil } from '../ui/use-seconds-until';
import { formatCountdown } from '../pages/agent/format';
import { callPartiesWords, monitorWords } from './call-words';
import { useLiveCalls } from './live-calls';
import './calls.css';

export function MyCallsPanel({ monitored }: { monitored: MonitoredNotice[] }) {
  const me = useMe();
  const { calls, error } = useLiveCalls();
  // Managers' GET /calls/live lists the whole org's calls: show only those this user is on.
  const mine = calls.filter((c) => c.parties.some((p) => p.userId === me.id)).sort((a, b) => a.since.localeCompare(b.since));
  if (!mine.length && !error) return null;
  return (
    <section className="panel" aria-labelledby="my-calls-heading">
      <h2 id="my-calls-heading">Live calls</h2>
      <ErrorBanner error={error} />
      <ul className="live-calls" aria-label="My live calls">
        {mine.map((c) => (
          <MyCall key={c.callId} call={c} meId={me.id} notices={monitored.filter((n) => n.callId === c.callId)} />
        ))}
      </ul>
    </section>
  );
}

function MyCall({ call, meId, notices }: { call: LiveCallView; meId: string; notices: MonitoredNotice[] }) {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const [transferring, setTransferring] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const elapsed = -useSecondsUntil(call.since, 1000);
  const mine = call.parties.find((p) => p.userId === meId);
  const others = call.parties.filter((p) => p !== mine);
  const withWhom = callPartiesWords(others);

  async function hold(held: boolean) {
    setBusy(true);
    setProblem(null);
    try {
      await api.post<LiveCallView>(`/calls/${call.callId}/${held ? 'hold' : 'resume'}`);
    } catch (err) {
      setProblem(`Could not ${held ? 'put the call on hold' : 'resume the call'}: ${errorMessage(err)}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <li className={`live-call${call.held ? ' held' : ''}`} aria-label={`Call with ${withWhom}`} data-held={String(call.held)}>
      <div className="offer-head">
        <strong>{withWhom}</strong>
        <span className="call-state" data-testid="call-state">
          {call.held ? 'On hold' : call.transfer ? `Transferring to ${call.transfer.target}…` : 'Talking'}
        </span>
      </div>
      <div className="muted small">
        Connected since {new Date(call.since).toLocaleTimeString()} · <span role="timer">{formatCountdown(elapsed)}</span>
      </div>
      {notices.map(
        (n) =>
          n.mode && (
            <div key={n.managerName} className="monitored-notice" role="status">
              {n.managerName} {monitorWords(n.mode)} this call
            </div>
          ),
      )}
      <div className="actions left">
        <button type="button" disabled={busy} onClick={() => void hold(!call.held)}>
          {call.held ? 'Resume' : 'Hold'}
        </button>
        <button type="button" disabled={busy || transferring} onClick={() => setTransferring(true)}>
          Transfer…
        </button>
      </div>
      <ErrorBanner error={problem} />
      {transferring && (
        <TransferForm
          call={call}
          meId={meId}
          onDone={(label) => {
            setTransferring(false);
            toast('success', `Transferring the call to ${label}: you leave it once they answer.`);
          }}
          onCancel={() => setTransferring(false)}
        />
      )}
    </li>
  );
}

function TransferForm({ call, meId, onDone, onCancel }: { call: LiveCallView; meId: string; onDone: (label: string) => void; onCancel: () => void }) {
  const directory = useAsync(() => api.get<DirectoryEntryView[]>('/directory'), []);
  const [userId, setUserId] = useState('');
  const [phone, setPhone] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const colleagues = (directory.data ?? []).filter((u) => u.id !== meId);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const number = phone.trim();
    // Said here, and nothing is sent: the server would refuse it too (400).
    if (!userId && !number) return setProblem('Choose a colleague or type a number to transfer the call to.');
    if (userId && number) return setProblem('Choose a colleague or type a number, not both.');
    const colleague = colleagues.find((u) => u.id === userId);
    setBusy(true);
    setProblem(null);
    try {
      const started = await api.post<{ transferringTo: string }>(`/calls/${call.callId}/transfer`, userId ? { userId } : { phone: number });
      onDone(started.transferringTo);
    } catch (err) {
      setProblem(transferProblem(err, colleague?.name ?? number));
      setBusy(false);
    }
  }

  return (
    <form className="transfer-form" aria-label="Transfer the call" onSubmit={(e) => void submit(e)} noValidate>
      <label>
        To a colleague
        <select value={userId} disabled={busy} onChange={(e) => setUserId(e.target.value)}>
          <option value="">— choose —</option>
          {colleagues.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
              {u.extension ? ` (ext. ${u.extension})` : ''} — {u.presence === 'available' ? 'available' : u.presence === 'ringing' ? 'ringing' : 'not available'}
            </option>
          ))}
        </select>
      </label>
      <label>
        Or a number
        <input type="tel" value={phone} disabled={busy} placeholder="(512) 555-0142" onChange={(e) => setPhone(e.target.value)} />
      </label>
      <ErrorBanner error={directory.error} onRetry={directory.reload} />
      <ErrorBanner error={problem} />
      <div className="actions left">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Transferring…' : 'Transfer call'}
        </button>
        <button type="button" disabled={busy} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The server's refusal in the agent's words (its message names the colleague and why). */
function transferProblem(err: unknown, target: string): string {
  if (err instanceof ApiError && err.code === 'AGENT_UNAVAILABLE') return `The transfer was refused: ${err.message}`;
  if (err instanceof ApiError && err.code === 'DIALLING_REFUSED') return `${target} may not be dialled: ${err.message}`;
  if (err instanceof ApiError && err.code === 'CALL_NOT_FOUND') return 'This call is over or no longer yours.';
  return `The transfer failed: ${errorMessage(err)}`;
}
