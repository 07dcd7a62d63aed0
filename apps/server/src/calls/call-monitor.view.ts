import type { MonitorView } from '@leadline/contracts';
import { MonitorSession } from '../telephony/monitor/monitor-session';

export function toMonitorView(s: MonitorSession): MonitorView {
  return {
    callId: s.callId,
    managerId: s.manager.id,
    managerName: s.manager.name,
    agentId: s.monitored?.userId ?? null,
    agentName: s.monitored?.label ?? '',
    mode: s.mode,
    state: s.phase === 'ringing' ? 'ringing' : s.phase === 'ended' ? 'ended' : 'connected',
  };
}
