// An inbound call (PRODUCT.md §5) as an explicit state machine. Pure: the ARI side turns events
// into inputs and executes the commands. The first agent to answer is connected; others are
// cancelled; nobody → the fallback (voicemail) and a missed-call record.

export type InboundLegStatus = 'ringing' | 'connected' | 'ended';
export type InboundCallerStatus = 'ringing' | 'connected' | 'fallback' | 'ended';

export interface InboundLeg {
  id: string;
  agentId: string;
  status: InboundLegStatus;
}

export type InboundOutcome = 'answered' | 'forwarded' | 'voicemail' | 'abandoned' | 'failed';

export interface InboundState {
  caller: InboundCallerStatus;
  legs: InboundLeg[];
  winnerLegId: string | null;
  /** The fallback number answered (the caller is talking to it). */
  forwarded: boolean;
  outcome: InboundOutcome | null;
  finished: boolean;
}

export type InboundInput =
  | { type: 'legAnswered'; legId: string }
  | { type: 'legEnded'; legId: string }
  | { type: 'callerEnded' }
  | { type: 'ringTimeout' }
  /** The fallback is over: a message was left, or the call forwarded to the fallback number ended. */
  | { type: 'fallbackEnded'; outcome: 'voicemail' | 'forwarded' }
  /** The fallback number answered. */
  | { type: 'fallbackConnected' }
  | { type: 'linkLost' }
  /** The caller and the agent who answered are bridged and handed over to the connected call. */
  | { type: 'handedOver' };

export type InboundCommand =
  | { type: 'connect'; legId: string } // answer the caller, bridge with the agent, record
  | { type: 'hangupLeg'; legId: string; reason: 'answered_elsewhere' | 'no_answer' | 'normal' }
  | { type: 'startFallback' } // forward to the fallback number, or answer + prompt + record a message
  | { type: 'hangupCaller' }
  | { type: 'stopRinging'; agentId: string } // presence: this agent's inbound ring is over
  | { type: 'recordOutcome'; outcome: InboundOutcome }
  | { type: 'finish' };

export function initialInboundState(legs: { id: string; agentId: string }[]): InboundState {
  return { caller: 'ringing', legs: legs.map((l) => ({ ...l, status: 'ringing' })), winnerLegId: null, forwarded: false, outcome: null, finished: false };
}

/** The state to start from when nobody can be rung: straight to the fallback. */
export function noAgentsInbound(): { state: InboundState; commands: InboundCommand[] } {
  return transition(initialInboundState([]), { type: 'ringTimeout' });
}

const ringing = (l: InboundLeg) => l.status === 'ringing';

export function transition(state: InboundState, input: InboundInput): { state: InboundState; commands: InboundCommand[] } {
  if (state.finished) return { state, commands: [] };
  const s: InboundState = { ...state, legs: state.legs.map((l) => ({ ...l })) };
  const commands: InboundCommand[] = [];
  const leg = 'legId' in input ? s.legs.find((l) => l.id === input.legId) : undefined;
  if ('legId' in input && !leg) return { state, commands: [] };
  const endRinging = (except?: string) => {
    for (const l of s.legs.filter(ringing)) {
      if (l.id === except) continue;
      commands.push({ type: 'hangupLeg', legId: l.id, reason: except ? 'answered_elsewhere' : 'no_answer' }, { type: 'stopRinging', agentId: l.agentId });
    }
  };

  switch (input.type) {
    case 'legAnswered':
      if (leg!.status !== 'ringing') break;
      commands.push({ type: 'stopRinging', agentId: leg!.agentId });
      if (s.caller !== 'ringing') {
        // Too late (caller gone or already in the fallback): let this agent go.
        leg!.status = 'ended';
        commands.push({ type: 'hangupLeg', legId: leg!.id, reason: 'normal' });
        break;
      }
      leg!.status = 'connected';
      s.winnerLegId = leg!.id;
      s.caller = 'connected';
      s.outcome = 'answered';
      commands.push({ type: 'connect', legId: leg!.id }, { type: 'recordOutcome', outcome: 'answered' });
      endRinging(leg!.id);
      break;

    case 'legEnded': {
      const was = leg!.status;
      leg!.status = 'ended';
      if (was === 'ringing') commands.push({ type: 'stopRinging', agentId: leg!.agentId });
      if (was === 'connected' && s.caller === 'connected') {
        s.caller = 'ended';
        commands.push({ type: 'hangupCaller' });
      } else if (was === 'ringing' && s.caller === 'ringing' && !s.legs.some(ringing)) {
        // Every agent declined or failed: no need to wait for the timeout.
        s.caller = 'fallback';
        commands.push({ type: 'startFallback' });
      }
      break;
    }

    case 'ringTimeout':
      if (s.caller !== 'ringing') break;
      endRinging();
      s.caller = 'fallback';
      commands.push({ type: 'startFallback' });
      break;

    case 'fallbackEnded':
      if (s.caller !== 'fallback') break;
      s.caller = 'ended';
      s.outcome = input.outcome;
      commands.push({ type: 'recordOutcome', outcome: input.outcome }, { type: 'hangupCaller' });
      break;

    case 'fallbackConnected':
      if (s.caller === 'fallback') s.forwarded = true;
      break;

    case 'callerEnded': {
      const was = s.caller;
      s.caller = 'ended';
      if (was === 'ringing') {
        s.outcome = 'abandoned';
        commands.push({ type: 'recordOutcome', outcome: 'abandoned' });
        endRinging();
      } else if (was === 'fallback') {
        s.outcome = s.forwarded ? 'forwarded' : 'voicemail';
        commands.push({ type: 'recordOutcome', outcome: s.outcome });
      } else if (was === 'connected') {
        const winner = s.legs.find((l) => l.id === s.winnerLegId);
        if (winner && winner.status === 'connected') commands.push({ type: 'hangupLeg', legId: winner.id, reason: 'normal' });
      }
      break;
    }

    case 'handedOver': {
      const winner = s.legs.find((l) => l.id === s.winnerLegId);
      if (s.caller === 'connected' && winner?.status === 'connected') {
        s.caller = 'ended';
        winner.status = 'ended';
      }
      break;
    }

    case 'linkLost':
      if (!s.outcome) {
        s.outcome = 'failed';
        commands.push({ type: 'recordOutcome', outcome: 'failed' });
      }
      for (const l of s.legs) {
        if (l.status === 'ringing') commands.push({ type: 'stopRinging', agentId: l.agentId });
        l.status = 'ended';
      }
      s.caller = 'ended';
      break;

    default: {
      const unreachable: never = input;
      throw new Error(`unknown input ${JSON.stringify(unreachable)}`);
    }
  }

  if (s.caller === 'ended' && s.legs.every((l) => l.status === 'ended')) {
    s.finished = true;
    commands.push({ type: 'finish' });
  }
  return { state: s, commands };
}
