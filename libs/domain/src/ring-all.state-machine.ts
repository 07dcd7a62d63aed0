// Ring All as an explicit state machine (PRODUCT.md §2). Pure: the ARI side turns events into
// inputs and executes the returned commands. The winner is decided by the database (the `claim`
// command's guarded update), never here: this machine only reacts to the claim's result.

export type LegStatus =
  | 'ringing' // INVITE out, not answered
  | 'prompting' // answered, hearing "press 1"
  | 'claiming' // pressed 1, waiting for the database's verdict
  | 'won' // took the lead
  | 'leaving' // hearing "this lead was taken", then hung up
  | 'ended';

export interface RingAllLeg {
  id: string;
  agentId: string;
  status: LegStatus;
  answered: boolean;
  /** Pressed 1 and the database has not answered yet (even if the agent hung up meanwhile). */
  claimPending: boolean;
}

export type BorrowerStatus = 'none' | 'dialing' | 'up' | 'ended';

export type RingAllOutcome =
  | { kind: 'taken'; winnerLegId: string }
  | { kind: 'no_answer' }
  | { kind: 'taken_elsewhere' }
  | { kind: 'fatal'; detail: string };

export interface RingAllState {
  legs: RingAllLeg[];
  timedOut: boolean;
  winnerLegId: string | null;
  borrower: BorrowerStatus;
  borrowerAnswered: boolean;
  outcome: RingAllOutcome | null;
  finished: boolean;
}

export type RingAllInput =
  | { type: 'legAnswered'; legId: string }
  | { type: 'legEnded'; legId: string }
  | { type: 'digit'; legId: string; digit: string }
  | { type: 'promptFinished'; legId: string }
  | { type: 'claimResult'; legId: string; won: boolean }
  | { type: 'ringTimeout' }
  | { type: 'borrowerAnswered' }
  | { type: 'borrowerEnded' }
  | { type: 'abort'; detail: string }
  | { type: 'linkLost'; detail: string }
  /** The winner and the borrower are bridged and handed over to the connected call: no longer ours. */
  | { type: 'handedOver' };

export type HangupReason = 'answered_elsewhere' | 'no_answer' | 'normal';

export type RingAllCommand =
  | { type: 'playPrompt'; legId: string }
  | { type: 'stopPrompt'; legId: string }
  | { type: 'claim'; legId: string }
  | { type: 'hangupLeg'; legId: string; reason: HangupReason }
  | { type: 'playTakenThenHangup'; legId: string }
  | { type: 'playConnecting'; legId: string }
  | { type: 'dialBorrower'; legId: string }
  | { type: 'bridgeWithBorrower'; legId: string }
  | { type: 'hangupBorrower' }
  | { type: 'recordOutcome'; outcome: RingAllOutcome }
  | { type: 'finish' };

export interface Transition {
  state: RingAllState;
  commands: RingAllCommand[];
}

export function initialRingAllState(legs: { id: string; agentId: string }[]): RingAllState {
  return {
    legs: legs.map((l) => ({ ...l, status: 'ringing', answered: false, claimPending: false })),
    timedOut: false,
    winnerLegId: null,
    borrower: 'none',
    borrowerAnswered: false,
    outcome: null,
    finished: false,
  };
}

const alive = (l: RingAllLeg) => l.status !== 'ended';
/** A claim is in flight: the lead may be this round's, so nothing ends the round before its result. */
const claimInFlight = (s: RingAllState) => s.legs.some((l) => l.claimPending);

export function transition(state: RingAllState, input: RingAllInput): Transition {
  if (state.finished) return { state, commands: [] };
  const s: RingAllState = { ...state, legs: state.legs.map((l) => ({ ...l })) };
  const commands: RingAllCommand[] = [];
  const leg = 'legId' in input ? s.legs.find((l) => l.id === input.legId) : undefined;
  if ('legId' in input && !leg) return { state, commands: [] };

  switch (input.type) {
    case 'legAnswered':
      if (leg!.status !== 'ringing') break;
      leg!.answered = true;
      if (s.outcome) {
        // Answered after the round was decided: tell the agent, then let go.
        leg!.status = 'leaving';
        commands.push({ type: 'playTakenThenHangup', legId: leg!.id });
      } else {
        leg!.status = 'prompting';
        commands.push({ type: 'playPrompt', legId: leg!.id });
      }
      break;

    case 'promptFinished':
      // "Press 1" repeats until the ring timeout ends the round.
      if (leg!.status === 'prompting' && !s.outcome) commands.push({ type: 'playPrompt', legId: leg!.id });
      break;

    case 'digit':
      // Any digit but 1 is ignored; a 1 asks the database for the lead (first: the borrower waits
      // on it, not on the prompt being stopped).
      if (leg!.status === 'prompting' && input.digit === '1' && !s.outcome) {
        leg!.status = 'claiming';
        leg!.claimPending = true;
        commands.push({ type: 'claim', legId: leg!.id }, { type: 'stopPrompt', legId: leg!.id });
      }
      break;

    case 'claimResult':
      leg!.claimPending = false;
      if (input.won) {
        s.winnerLegId = leg!.id;
        s.outcome = { kind: 'taken', winnerLegId: leg!.id };
        commands.push({ type: 'recordOutcome', outcome: s.outcome });
        if (leg!.status === 'ended') {
          // The winner hung up while the claim was in flight: the lead is theirs, the call is over.
          commands.push(...releaseOthers(s, leg!.id));
        } else {
          leg!.status = 'won';
          s.borrower = 'dialing';
          commands.push({ type: 'playConnecting', legId: leg!.id }, { type: 'dialBorrower', legId: leg!.id }, ...releaseOthers(s, leg!.id));
        }
      } else {
        if (leg!.status === 'claiming') {
          leg!.status = 'leaving';
          commands.push({ type: 'playTakenThenHangup', legId: leg!.id });
        }
        if (!s.outcome && !claimInFlight(s)) {
          // Nobody here won, yet the lead is gone (assigned by hand meanwhile): end the round.
          s.outcome = { kind: 'taken_elsewhere' };
          commands.push({ type: 'recordOutcome', outcome: s.outcome }, ...releaseOthers(s, null));
        }
      }
      break;

    case 'ringTimeout':
      s.timedOut = true;
      if (!s.outcome && !claimInFlight(s)) {
        s.outcome = { kind: 'no_answer' };
        commands.push({ type: 'recordOutcome', outcome: s.outcome });
        for (const l of s.legs.filter(alive)) {
          commands.push({ type: 'hangupLeg', legId: l.id, reason: l.answered ? 'normal' : 'no_answer' });
        }
      }
      break;

    case 'legEnded': {
      const was = leg!.status;
      leg!.status = 'ended';
      if (was === 'won') {
        if (s.borrower === 'dialing' || s.borrower === 'up') commands.push({ type: 'hangupBorrower' });
      } else if (!s.outcome && !s.legs.some(alive) && !claimInFlight(s)) {
        // Everybody hung up or was unreachable: no need to wait for the timeout.
        s.outcome = { kind: 'no_answer' };
        commands.push({ type: 'recordOutcome', outcome: s.outcome });
      }
      break;
    }

    case 'borrowerAnswered':
      if (s.borrower !== 'dialing') break;
      s.borrower = 'up';
      s.borrowerAnswered = true;
      if (s.winnerLegId && s.legs.find((l) => l.id === s.winnerLegId)?.status === 'won') {
        commands.push({ type: 'bridgeWithBorrower', legId: s.winnerLegId });
      } else {
        commands.push({ type: 'hangupBorrower' });
      }
      break;

    case 'borrowerEnded': {
      if (s.borrower === 'none' || s.borrower === 'ended') break;
      s.borrower = 'ended';
      const winner = s.legs.find((l) => l.id === s.winnerLegId);
      if (winner && winner.status === 'won') commands.push({ type: 'hangupLeg', legId: winner.id, reason: 'normal' });
      break;
    }

    case 'handedOver': {
      const winner = s.legs.find((l) => l.id === s.winnerLegId);
      if (winner?.status === 'won') winner.status = 'ended';
      if (s.borrower === 'up') s.borrower = 'ended';
      break;
    }

    case 'abort':
      // Telephony dropped calls under us (e.g. Asterisk shutting down) but can still be commanded.
      if (!s.outcome) {
        s.outcome = { kind: 'fatal', detail: input.detail };
        commands.push({ type: 'recordOutcome', outcome: s.outcome });
        for (const l of s.legs.filter(alive)) commands.push({ type: 'hangupLeg', legId: l.id, reason: 'normal' });
      }
      break;

    case 'linkLost':
      // Asterisk is gone or unreachable: nothing can be commanded. Channels are reconciled later.
      if (!s.outcome) {
        s.outcome = { kind: 'fatal', detail: input.detail };
        commands.push({ type: 'recordOutcome', outcome: s.outcome });
      }
      s.legs.forEach((l) => (l.status = 'ended'));
      s.borrower = s.borrower === 'none' ? 'none' : 'ended';
      break;

    default: {
      const unreachable: never = input;
      throw new Error(`unknown input ${JSON.stringify(unreachable)}`);
    }
  }

  if (s.outcome && !s.legs.some(alive) && (s.borrower === 'none' || s.borrower === 'ended')) {
    s.finished = true;
    commands.push({ type: 'finish' });
  }
  return { state: s, commands };
}

/**
 * Ends every leg but the winner's: ringing ones are cancelled, answered ones hear "taken" first.
 * The cancels come first: the runner waits for Asterisk's answer to each prompt's stop and "taken"
 * playback, and with several agents answered, phones listed after them rang on for a second under
 * load (docs/benchmarks.md, "Ring All: the cancels before the answered legs' messages").
 */
function releaseOthers(s: RingAllState, winnerLegId: string | null): RingAllCommand[] {
  const others = s.legs.filter((l) => l.id !== winnerLegId && alive(l));
  const commands: RingAllCommand[] = others.filter((l) => l.status === 'ringing').map((l) => ({ type: 'hangupLeg', legId: l.id, reason: 'answered_elsewhere' }));
  for (const l of others.filter((o) => o.status === 'prompting')) {
    l.status = 'leaving';
    commands.push({ type: 'stopPrompt', legId: l.id }, { type: 'playTakenThenHangup', legId: l.id });
  }
  // 'claiming' legs learn they lost from their own claim result; 'leaving' ones are on their way.
  return commands;
}
