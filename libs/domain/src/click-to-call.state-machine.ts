import { checkDialling, DiallingPolicy } from './dialling-policy.util';

// Click-to-call as an explicit state machine. Pure: the ARI side turns events into inputs and
// executes the commands. The agent's work phone rings first; when the agent answers, the
// borrower is dialled (the agent hears ringback); when the borrower answers, both are bridged and
// recorded. Either side hanging up ends the call.

export type ClickToCallAgentStatus = 'ringing' | 'up' | 'ended';
export type ClickToCallBorrowerStatus = 'idle' | 'ringing' | 'up' | 'ended';
export type ClickToCallOutcome = 'connected' | 'agent_no_answer' | 'agent_hung_up' | 'borrower_no_answer' | 'failed';

export interface ClickToCallState {
  agent: ClickToCallAgentStatus;
  borrower: ClickToCallBorrowerStatus;
  outcome: ClickToCallOutcome | null;
  finished: boolean;
}

export type ClickToCallInput =
  | { type: 'agentAnswered' }
  /** failed: the phone could not be rung at all (originate refused). */
  | { type: 'agentEnded'; failed?: boolean }
  | { type: 'borrowerAnswered' }
  /** failed: the borrower could not be dialled at all (originate refused). */
  | { type: 'borrowerEnded'; failed?: boolean }
  /** Something we had to do failed (e.g. the bridge): end the call rather than leave it half-connected. */
  | { type: 'abort'; detail: string }
  /** The ARI link dropped: Asterisk keeps no events for us, so the call is over for us. */
  | { type: 'linkLost'; detail: string }
  /** Both legs are bridged and handed over to the connected call: no longer ours. */
  | { type: 'handedOver' };

export type ClickToCallCommand =
  | { type: 'ringback' } // the agent hears ringing while the borrower's phone rings
  | { type: 'dialBorrower' }
  | { type: 'connect' } // stop the ringback, bridge agent and borrower, record
  | { type: 'hangupAgent' }
  | { type: 'hangupBorrower' }
  | { type: 'recordOutcome'; outcome: ClickToCallOutcome; detail?: string }
  | { type: 'finish' };

/** The agent's phone is being rung (the runner originates it). */
export function initialClickToCallState(): ClickToCallState {
  return { agent: 'ringing', borrower: 'idle', outcome: null, finished: false };
}

/** Why an agent cannot place a click-to-call right now, or null when they can. */
export function clickToCallRefusal(agent: { loggedIn: boolean; callsOn: boolean; onCall: boolean; reachable: boolean }): string | null {
  if (!agent.reachable) return 'You have no work phone Leadline can ring; ask an admin to set one on your profile';
  if (!agent.loggedIn) return 'You are logged out of taking calls; log in first';
  if (!agent.callsOn) return 'Your calls are turned off; turn them on first';
  if (agent.onCall) return 'You are already on a call';
  return null;
}

/**
 * Why a click-to-call (or a dial-mode call) may not dial this number under the org's dialling
 * policy, or null when it may. 911 is refused on purpose: an emergency call is made from the desk
 * phone, where it always goes through and reaches the dispatcher with the office's caller ID; a
 * click on a web page (and a call that rings the agent first) is the wrong way to reach 911.
 */
export function clickToCallDialRefusal(phone: string, policy: DiallingPolicy): string | null {
  const verdict = checkDialling(phone, policy);
  if (!verdict.allowed) return verdict.reason;
  if (verdict.category === 'emergency') return '911 cannot be dialled by click-to-call: dial it from your desk phone, where it always goes through';
  return null;
}

const live = (status: ClickToCallAgentStatus | ClickToCallBorrowerStatus) => status === 'ringing' || status === 'up';

export function transition(state: ClickToCallState, input: ClickToCallInput): { state: ClickToCallState; commands: ClickToCallCommand[] } {
  if (state.finished) return { state, commands: [] };
  const s: ClickToCallState = { ...state };
  const commands: ClickToCallCommand[] = [];
  const settle = (outcome: ClickToCallOutcome, detail?: string) => {
    if (s.outcome) return;
    s.outcome = outcome;
    commands.push(detail ? { type: 'recordOutcome', outcome, detail } : { type: 'recordOutcome', outcome });
  };

  switch (input.type) {
    case 'agentAnswered':
      if (s.agent !== 'ringing') break;
      s.agent = 'up';
      if (s.outcome) {
        // Aborted while it rang: let the agent go.
        commands.push({ type: 'hangupAgent' });
        break;
      }
      s.borrower = 'ringing';
      commands.push({ type: 'ringback' }, { type: 'dialBorrower' });
      break;

    case 'agentEnded': {
      const was = s.agent;
      if (was === 'ended') break;
      s.agent = 'ended';
      if (was === 'ringing') settle(input.failed ? 'failed' : 'agent_no_answer');
      else if (s.borrower === 'ringing') settle('agent_hung_up');
      if (live(s.borrower)) commands.push({ type: 'hangupBorrower' });
      break;
    }

    case 'borrowerAnswered':
      if (s.borrower !== 'ringing') break;
      s.borrower = 'up';
      if (s.agent !== 'up' || s.outcome) {
        // The agent gave up (or the call was aborted) while the borrower's phone rang.
        commands.push({ type: 'hangupBorrower' });
        break;
      }
      commands.push({ type: 'connect' });
      settle('connected');
      break;

    case 'borrowerEnded': {
      const was = s.borrower;
      if (was === 'ended' || was === 'idle') break;
      s.borrower = 'ended';
      if (was === 'ringing') settle(input.failed ? 'failed' : 'borrower_no_answer');
      if (live(s.agent)) commands.push({ type: 'hangupAgent' });
      break;
    }

    case 'abort':
      settle('failed', input.detail);
      if (live(s.agent)) commands.push({ type: 'hangupAgent' });
      if (live(s.borrower)) commands.push({ type: 'hangupBorrower' });
      break;

    case 'linkLost':
      settle('failed', input.detail);
      s.agent = 'ended';
      s.borrower = 'ended';
      break;

    case 'handedOver':
      if (s.agent === 'up' && s.borrower === 'up') {
        s.agent = 'ended';
        s.borrower = 'ended';
      }
      break;

    default: {
      const unreachable: never = input;
      throw new Error(`unknown input ${JSON.stringify(unreachable)}`);
    }
  }

  if (s.agent === 'ended' && !live(s.borrower)) {
    s.borrower = 'ended';
    s.finished = true;
    commands.push({ type: 'finish' });
  }
  return { state: s, commands };
}
