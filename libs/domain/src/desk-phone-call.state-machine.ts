// A call placed from a desk phone (docs/desk-phones.md) as an explicit state machine. Pure: the
// runner decides where the call goes (routing needs the database), feeds the decision in as
// `routed`, turns ARI events into inputs and executes the commands. The phone is answered only
// when the far end answers (it hears ringback meanwhile), or to hear a short prompt — a star
// code's confirmation, the user's voicemails, or why the call cannot be made — never a silent channel.

/** The short recordings a desk phone may hear (asterisk-config/sounds/<name>.wav). */
export type DeskPhonePrompt =
  | 'logged-in'
  | 'logged-out'
  | 'calls-on'
  | 'calls-off'
  | 'code-unknown'
  | 'number-refused'
  | 'number-invalid'
  | 'extension-busy'
  | 'extension-unavailable'
  | 'not-linked'
  /** The user's voicemails, one after another (the runner knows which: DeskPhonePlan.media). */
  | 'voicemail';

export type DeskPhoneOutcome =
  | 'connected'
  /** A star code was carried out. */
  | 'toggled'
  /** The user heard their voicemails (or that there are none). */
  | 'voicemail'
  /** The dialling policy refused the number. */
  | 'refused'
  /** Not a number, an unknown star code or extension, or a phone no user has. */
  | 'invalid'
  | 'busy'
  | 'unavailable'
  | 'no_answer'
  | 'failed'
  /** The caller hung up while the far end rang. */
  | 'abandoned';

export type DeskPhoneRoute = { kind: 'prompt'; prompt: DeskPhonePrompt; outcome: DeskPhoneOutcome } | { kind: 'dial' };

export interface DeskPhoneCallState {
  /** waiting: in Stasis, not answered (routing, or ringback while the far end rings). */
  caller: 'waiting' | 'prompting' | 'up' | 'ended';
  callee: 'none' | 'ringing' | 'up' | 'ended';
  outcome: DeskPhoneOutcome | null;
  finished: boolean;
}

export type DeskPhoneCallInput =
  | { type: 'routed'; route: DeskPhoneRoute }
  | { type: 'calleeAnswered' }
  /** The far end ended before answering: busy, no answer, or it could not be rung at all. */
  | { type: 'calleeEnded'; reason: 'busy' | 'no_answer' | 'failed' }
  | { type: 'callerEnded' }
  | { type: 'promptFinished' }
  /** Both are bridged and handed over to the connected call. */
  | { type: 'handedOver' }
  | { type: 'linkLost' };

export type DeskPhoneCallCommand =
  | { type: 'answerAndPlay'; prompt: DeskPhonePrompt }
  | { type: 'ringback' }
  | { type: 'dialCallee' }
  /** Answer the phone, bridge both, record, hand over. */
  | { type: 'connect' }
  /** An unanswered phone hears the reason as a SIP status (busy → 486). */
  | { type: 'hangupCaller'; reason: 'normal' | 'busy' | 'no_answer' | 'failed' }
  | { type: 'hangupCallee' }
  | { type: 'recordOutcome'; outcome: DeskPhoneOutcome }
  | { type: 'finish' };

export function initialDeskPhoneCallState(): DeskPhoneCallState {
  return { caller: 'waiting', callee: 'none', outcome: null, finished: false };
}

export function transition(state: DeskPhoneCallState, input: DeskPhoneCallInput): { state: DeskPhoneCallState; commands: DeskPhoneCallCommand[] } {
  if (state.finished) return { state, commands: [] };
  const s: DeskPhoneCallState = { ...state };
  const commands: DeskPhoneCallCommand[] = [];
  const settle = (outcome: DeskPhoneOutcome) => {
    if (s.outcome) return;
    s.outcome = outcome;
    commands.push({ type: 'recordOutcome', outcome });
  };

  switch (input.type) {
    case 'routed':
      if (s.caller !== 'waiting' || s.callee !== 'none') break;
      if (input.route.kind === 'prompt') {
        s.caller = 'prompting';
        commands.push({ type: 'answerAndPlay', prompt: input.route.prompt });
        settle(input.route.outcome);
      } else {
        s.callee = 'ringing';
        commands.push({ type: 'ringback' }, { type: 'dialCallee' });
      }
      break;

    case 'promptFinished':
      if (s.caller === 'prompting') commands.push({ type: 'hangupCaller', reason: 'normal' });
      break;

    case 'calleeAnswered':
      if (s.callee !== 'ringing') break;
      s.callee = 'up';
      if (s.caller !== 'waiting') {
        // The caller gave up while it rang.
        commands.push({ type: 'hangupCallee' });
        break;
      }
      s.caller = 'up';
      commands.push({ type: 'connect' });
      settle('connected');
      break;

    case 'calleeEnded': {
      const was = s.callee;
      if (was === 'none' || was === 'ended') break;
      s.callee = 'ended';
      if (was === 'ringing') settle(input.reason);
      if (s.caller === 'waiting') commands.push({ type: 'hangupCaller', reason: was === 'ringing' ? input.reason : 'normal' });
      else if (s.caller === 'up') commands.push({ type: 'hangupCaller', reason: 'normal' });
      break;
    }

    case 'callerEnded': {
      const was = s.caller;
      if (was === 'ended') break;
      s.caller = 'ended';
      if (s.callee === 'ringing') {
        settle('abandoned');
        commands.push({ type: 'hangupCallee' });
      } else if (s.callee === 'up') {
        commands.push({ type: 'hangupCallee' });
      } else if (s.callee === 'none' && was === 'waiting') {
        // Hung up before routing decided anything.
        settle('abandoned');
      }
      break;
    }

    case 'handedOver':
      if (s.caller === 'up' && s.callee === 'up') {
        s.caller = 'ended';
        s.callee = 'ended';
      }
      break;

    case 'linkLost':
      settle('failed');
      s.caller = 'ended';
      s.callee = s.callee === 'none' ? 'none' : 'ended';
      break;

    default: {
      const unreachable: never = input;
      throw new Error(`unknown input ${JSON.stringify(unreachable)}`);
    }
  }

  if (s.caller === 'ended' && (s.callee === 'none' || s.callee === 'ended')) {
    s.finished = true;
    commands.push({ type: 'finish' });
  }
  return { state: s, commands };
}
