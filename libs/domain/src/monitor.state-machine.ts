// A manager listening in on a connected call, as an explicit state machine: the manager's own phone
// is rung, and once it answers it is wired to the call in one of three modes — listen (hears agent
// and borrower, is heard by nobody), whisper (heard by the agent only), barge (joins the call).
// Pure: the runner turns ARI events and dashboard requests into inputs and carries out the commands.

export type MonitorMode = 'listen' | 'whisper' | 'barge';

export interface MonitorState {
  /** ringing: the manager's phone rings; connected: it answered; ending: it is being hung up. */
  phase: 'ringing' | 'connected' | 'ending' | 'ended';
  /** The mode asked for (the latest one). */
  mode: MonitorMode;
  /** The mode the manager's phone is wired in right now (null: not wired). */
  wired: MonitorMode | null;
}

export type MonitorInput =
  | { type: 'answered' }
  | { type: 'setMode'; mode: MonitorMode }
  /** The manager stops from the dashboard. */
  | { type: 'stop' }
  /** The manager's phone hung up (or never answered). */
  | { type: 'managerEnded' }
  /** The monitored call is over. */
  | { type: 'callEnded' }
  /** The tap on the agent's channel went away while the call goes on (a transfer): wire again. */
  | { type: 'wireLost' }
  /**
   * Barging, the agent left the manager alone with the borrower: the call made the manager's phone
   * one of its parties. The monitor is over; the phone stays on the call.
   */
  | { type: 'takenOver' }
  | { type: 'linkLost' };

export type MonitorCommand =
  /** Wires the manager's phone in: a snoop on the agent's channel (listen, whisper) or the call's bridge (barge). */
  | { type: 'wire'; mode: MonitorMode }
  | { type: 'unwire'; mode: MonitorMode }
  /** The mode changed (call activity, the dashboard). */
  | { type: 'modeChanged'; mode: MonitorMode }
  | { type: 'hangupManager' }
  /** Over; `handedOver`: the manager's phone now belongs to the call (neither hung up nor freed here). */
  | { type: 'finish'; handedOver?: true };

export function initialMonitorState(mode: MonitorMode): MonitorState {
  return { phase: 'ringing', mode, wired: null };
}

export function transition(state: MonitorState, input: MonitorInput): { state: MonitorState; commands: MonitorCommand[] } {
  if (state.phase === 'ended') return { state, commands: [] };
  const s: MonitorState = { ...state };
  const commands: MonitorCommand[] = [];
  const unwire = () => {
    if (s.wired) commands.push({ type: 'unwire', mode: s.wired });
    s.wired = null;
  };

  switch (input.type) {
    case 'answered':
      if (s.phase !== 'ringing') break;
      s.phase = 'connected';
      s.wired = s.mode;
      commands.push({ type: 'wire', mode: s.mode });
      break;

    case 'setMode':
      if (s.phase === 'ending' || input.mode === s.mode) break;
      s.mode = input.mode;
      commands.push({ type: 'modeChanged', mode: input.mode });
      if (s.phase === 'connected') {
        unwire();
        s.wired = input.mode;
        commands.push({ type: 'wire', mode: input.mode });
      }
      break;

    case 'stop':
    case 'callEnded':
      if (s.phase === 'ending') break;
      s.phase = 'ending';
      unwire();
      commands.push({ type: 'hangupManager' });
      break;

    case 'managerEnded':
      unwire();
      s.phase = 'ended';
      commands.push({ type: 'finish' });
      break;

    case 'wireLost':
      // Only a tap can be lost this way; barge lives in the call's own bridge.
      if (s.phase !== 'connected' || (s.wired !== 'listen' && s.wired !== 'whisper')) break;
      commands.push({ type: 'wire', mode: s.wired });
      break;

    case 'takenOver':
      // (Also while ending: a stop raced the takeover; the hang-up already sent ends the phone's call.)
      if (s.phase === 'ringing') break;
      s.phase = 'ended';
      s.wired = null;
      commands.push({ type: 'finish', handedOver: true });
      break;

    case 'linkLost':
      s.phase = 'ended';
      s.wired = null;
      commands.push({ type: 'finish' });
      break;

    default: {
      const unreachable: never = input;
      throw new Error(`unknown input ${JSON.stringify(unreachable)}`);
    }
  }
  return { state: s, commands };
}
