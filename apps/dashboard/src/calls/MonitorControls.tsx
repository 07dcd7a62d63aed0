// On the team presence board, for an agent on a connected call: whom they talk to, who monitors
// the call and how (live from `call:monitor`), and the manager's Listen / Whisper / Barge / Stop.
// The manager's own desk phone rings; once it answers they are wired in (docs/desk-phones.md).
import { useState } from 'react';
import type { LiveCallView, MonitorMode, MonitorView } from '@leadline/contracts';
import { api, errorMessage } from '../api';
import { ErrorBanner } from '../ui/async';
import { callPartiesWords, MODE_LABELS } from './call-words';
import './calls.css';

const MODES: MonitorMode[] = ['listen', 'whisper', 'barge'];
const MODE_STATE: Record<MonitorMode, string> = { listen: 'listening', whisper: 'whispering', barge: 'barged in' };

export function MonitorControls({ call, agentId, meId, monitors }: { call: LiveCallView; agentId: string; meId: string; monitors: MonitorView[] }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const mine = monitors.find((m) => m.managerId === meId);
  const others = monitors.filter((m) => m !== mine);
  const withWhom = callPartiesWords(call.parties.filter((p) => p.userId !== agentId));

  async function act(mode: MonitorMode | null) {
    setBusy(true);
    setProblem(null);
    try {
      if (mode) await api.post<MonitorView>(`/calls/${call.callId}/monitor`, { mode });
      else await api.delete<MonitorView>(`/calls/${call.callId}/monitor`);
    } catch (err) {
      setProblem(mode ? `Could not ${MODE_LABELS[mode].toLowerCase()}: ${errorMessage(err)}` : `Could not stop: ${errorMessage(err)}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="monitor-controls" role="group" aria-label="Monitor this call">
      <div className="small">
        With {withWhom}
        {call.held ? ' · on hold' : ''}
      </div>
      <div className="small" data-testid="monitor-state">
        {mine ? `You: ${MODE_STATE[mine.mode]}${mine.state === 'ringing' ? ' (your phone is ringing)' : ''}` : 'Not monitored by you'}
      </div>
      {others.map((m) => (
        <div key={m.managerId} className="muted small">
          {m.managerName}: {MODE_STATE[m.mode]}
          {m.state === 'ringing' ? ' (ringing)' : ''}
        </div>
      ))}
      <div className="actions left">
        {MODES.map((mode) => (
          <button key={mode} type="button" className="small-button" aria-pressed={mine?.mode === mode} disabled={busy || mine?.mode === mode} onClick={() => void act(mode)}>
            {MODE_LABELS[mode]}
          </button>
        ))}
        <button type="button" className="small-button" disabled={busy || !mine} onClick={() => void act(null)}>
          Stop
        </button>
      </div>
      <ErrorBanner error={problem} />
    </div>
  );
}
