import { initialRingAllState, RingAllCommand, RingAllInput, RingAllState, transition } from './ring-all.state-machine';

function run(inputs: RingAllInput[], legs = 3): { state: RingAllState; commands: RingAllCommand[][] } {
  let state = initialRingAllState(Array.from({ length: legs }, (_, i) => ({ id: `L${i + 1}`, agentId: `A${i + 1}` })));
  const commands: RingAllCommand[][] = [];
  for (const input of inputs) {
    const t = transition(state, input);
    state = t.state;
    commands.push(t.commands);
  }
  return { state, commands };
}

const types = (cs: RingAllCommand[]) => cs.map((c) => ('legId' in c ? `${c.type}:${c.legId}` : c.type));

describe('ring-all state machine', () => {
  it('plays the prompt on answer and claims on 1, ignoring other digits', () => {
    const { commands } = run([
      { type: 'legAnswered', legId: 'L1' },
      { type: 'digit', legId: 'L1', digit: '2' },
      { type: 'digit', legId: 'L1', digit: '1' },
    ]);
    expect(types(commands[0])).toEqual(['playPrompt:L1']);
    expect(commands[1]).toEqual([]);
    expect(types(commands[2])).toEqual(['claim:L1', 'stopPrompt:L1']);
  });

  it('repeats the prompt while nobody has pressed', () => {
    const { commands } = run([{ type: 'legAnswered', legId: 'L1' }, { type: 'promptFinished', legId: 'L1' }]);
    expect(types(commands[1])).toEqual(['playPrompt:L1']);
  });

  it('on a won claim: connects the winner, dials the borrower, cancels ringing legs and tells answered ones', () => {
    const { state, commands } = run([
      { type: 'legAnswered', legId: 'L1' },
      { type: 'legAnswered', legId: 'L2' },
      { type: 'digit', legId: 'L1', digit: '1' },
      { type: 'claimResult', legId: 'L1', won: true },
    ]);
    expect(types(commands[3])).toEqual(['recordOutcome', 'playConnecting:L1', 'dialBorrower:L1', 'hangupLeg:L3', 'stopPrompt:L2', 'playTakenThenHangup:L2']);
    expect(commands[3].find((c) => c.type === 'hangupLeg')).toEqual({ type: 'hangupLeg', legId: 'L3', reason: 'answered_elsewhere' });
    expect(state.winnerLegId).toBe('L1');
  });

  it('cancels every ringing phone before telling the answered ones, whatever their order', () => {
    const { commands } = run(
      [
        { type: 'legAnswered', legId: 'L1' },
        { type: 'legAnswered', legId: 'L2' },
        { type: 'legAnswered', legId: 'L4' },
        { type: 'digit', legId: 'L4', digit: '1' },
        { type: 'claimResult', legId: 'L4', won: true },
      ],
      5,
    );
    expect(types(commands[4])).toEqual(['recordOutcome', 'playConnecting:L4', 'dialBorrower:L4', 'hangupLeg:L3', 'hangupLeg:L5', 'stopPrompt:L1', 'playTakenThenHangup:L1', 'stopPrompt:L2', 'playTakenThenHangup:L2']);
  });

  it('the presser hangs up and every other phone declines while the claim is in flight: the round waits for the database', () => {
    const { state, commands } = run([
      { type: 'legAnswered', legId: 'L1' },
      { type: 'digit', legId: 'L1', digit: '1' },
      { type: 'legEnded', legId: 'L2' },
      { type: 'legEnded', legId: 'L3' },
      { type: 'legEnded', legId: 'L1' },
      { type: 'ringTimeout' },
      { type: 'claimResult', legId: 'L1', won: true },
    ]);
    // Not "no answer" at L1's end nor at the timeout: that files the lead as "No agents answered"
    // while the database may be giving it to L1 (the claim, guarded by "distributing", then loses).
    expect(commands.slice(2, 6).flat()).toEqual([]);
    expect(state.outcome).toEqual({ kind: 'taken', winnerLegId: 'L1' });
    expect(types(commands[6])).toEqual(['recordOutcome', 'finish']);
  });

  it('two presses in flight: the database picks one, the loser hears "taken"', () => {
    const { state, commands } = run([
      { type: 'legAnswered', legId: 'L1' },
      { type: 'legAnswered', legId: 'L2' },
      { type: 'digit', legId: 'L1', digit: '1' },
      { type: 'digit', legId: 'L2', digit: '1' },
      { type: 'claimResult', legId: 'L2', won: true },
      { type: 'claimResult', legId: 'L1', won: false },
    ]);
    expect(types(commands[3])).toEqual(['claim:L2', 'stopPrompt:L2']);
    expect(types(commands[4])).toContain('dialBorrower:L2');
    expect(types(commands[4])).not.toContain('playTakenThenHangup:L1');
    expect(types(commands[5])).toEqual(['playTakenThenHangup:L1']);
    expect(state.outcome).toEqual({ kind: 'taken', winnerLegId: 'L2' });
  });

  it('an agent hanging up during the prompt does not end the round', () => {
    const { state, commands } = run([
      { type: 'legAnswered', legId: 'L1' },
      { type: 'legEnded', legId: 'L1' },
      { type: 'legAnswered', legId: 'L2' },
    ]);
    expect(commands[1]).toEqual([]);
    expect(types(commands[2])).toEqual(['playPrompt:L2']);
    expect(state.outcome).toBeNull();
  });

  it('ends as no_answer at the timeout, hanging up every live leg', () => {
    const { state, commands } = run([{ type: 'legAnswered', legId: 'L1' }, { type: 'ringTimeout' }]);
    expect(commands[1]).toEqual([
      { type: 'recordOutcome', outcome: { kind: 'no_answer' } },
      { type: 'hangupLeg', legId: 'L1', reason: 'normal' },
      { type: 'hangupLeg', legId: 'L2', reason: 'no_answer' },
      { type: 'hangupLeg', legId: 'L3', reason: 'no_answer' },
    ]);
    expect(state.finished).toBe(false);
    const ended = [1, 2, 3].reduce((s, i) => transition(s, { type: 'legEnded', legId: `L${i}` }).state, state);
    expect(ended.finished).toBe(true);
  });

  it('ends as no_answer at once when every leg is gone before the timeout', () => {
    const { state, commands } = run([{ type: 'legEnded', legId: 'L1' }, { type: 'legEnded', legId: 'L2' }], 2);
    expect(types(commands[1])).toEqual(['recordOutcome', 'finish']);
    expect(state.outcome).toEqual({ kind: 'no_answer' });
  });

  it('waits for a claim in flight at the timeout instead of failing the lead', () => {
    const { state, commands } = run([
      { type: 'legAnswered', legId: 'L1' },
      { type: 'digit', legId: 'L1', digit: '1' },
      { type: 'ringTimeout' },
      { type: 'claimResult', legId: 'L1', won: true },
    ]);
    expect(commands[2]).toEqual([]);
    expect(state.outcome).toEqual({ kind: 'taken', winnerLegId: 'L1' });
  });

  it('bridges when the borrower answers and hangs up the agent when the borrower leaves', () => {
    const { state, commands } = run(
      [
        { type: 'legAnswered', legId: 'L1' },
        { type: 'digit', legId: 'L1', digit: '1' },
        { type: 'claimResult', legId: 'L1', won: true },
        { type: 'borrowerAnswered' },
        { type: 'borrowerEnded' },
        { type: 'legEnded', legId: 'L1' },
      ],
      1,
    );
    expect(types(commands[3])).toEqual(['bridgeWithBorrower:L1']);
    expect(types(commands[4])).toEqual(['hangupLeg:L1']);
    expect(types(commands[5])).toEqual(['finish']);
    expect(state.borrowerAnswered).toBe(true);
  });

  it('once the bridged winner and borrower are handed over, the round is done with them', () => {
    const { state, commands } = run(
      [
        { type: 'legAnswered', legId: 'L1' },
        { type: 'digit', legId: 'L1', digit: '1' },
        { type: 'claimResult', legId: 'L1', won: true },
        { type: 'borrowerAnswered' },
        { type: 'handedOver' },
        // Their ends now reach the connected call, never the round: a stray one changes nothing.
        { type: 'borrowerEnded' },
      ],
      1,
    );
    expect(types(commands[4])).toEqual(['finish']);
    expect(types(commands[5])).toEqual([]);
    expect(state).toMatchObject({ finished: true, outcome: { kind: 'taken', winnerLegId: 'L1' } });
  });

  it('a hand-over waits for the legs the round still ends (losers hearing "taken")', () => {
    const { commands } = run(
      [
        { type: 'legAnswered', legId: 'L1' },
        { type: 'legAnswered', legId: 'L2' },
        { type: 'digit', legId: 'L1', digit: '1' },
        { type: 'claimResult', legId: 'L1', won: true },
        { type: 'borrowerAnswered' },
        { type: 'handedOver' },
        { type: 'legEnded', legId: 'L2' },
      ],
      2,
    );
    expect(types(commands[5])).toEqual([]);
    expect(types(commands[6])).toEqual(['finish']);
  });

  it('a busy borrower leaves the lead with the agent and ends the agent leg', () => {
    const { state, commands } = run(
      [
        { type: 'legAnswered', legId: 'L1' },
        { type: 'digit', legId: 'L1', digit: '1' },
        { type: 'claimResult', legId: 'L1', won: true },
        { type: 'borrowerEnded' },
      ],
      1,
    );
    expect(types(commands[3])).toEqual(['hangupLeg:L1']);
    expect(state.outcome).toEqual({ kind: 'taken', winnerLegId: 'L1' });
    expect(state.borrowerAnswered).toBe(false);
  });

  it('a lead assigned by hand meanwhile ends the round without an exception', () => {
    const { state, commands } = run([
      { type: 'legAnswered', legId: 'L1' },
      { type: 'digit', legId: 'L1', digit: '1' },
      { type: 'claimResult', legId: 'L1', won: false },
    ]);
    expect(state.outcome).toEqual({ kind: 'taken_elsewhere' });
    expect(types(commands[2])).toEqual(['playTakenThenHangup:L1', 'recordOutcome', 'hangupLeg:L2', 'hangupLeg:L3']);
  });

  it('a lost link ends the round as fatal and finishes', () => {
    const { state, commands } = run([{ type: 'legAnswered', legId: 'L1' }, { type: 'linkLost', detail: 'ws closed' }]);
    expect(types(commands[1])).toEqual(['recordOutcome', 'finish']);
    expect(state.outcome).toEqual({ kind: 'fatal', detail: 'ws closed' });
  });

  it('an abort before any outcome is fatal and hangs up every live leg; after an outcome it is ignored', () => {
    const { state, commands } = run([{ type: 'legAnswered', legId: 'L1' }, { type: 'legEnded', legId: 'L2' }, { type: 'abort', detail: 'asterisk stopping' }]);
    expect(commands[2]).toEqual([
      { type: 'recordOutcome', outcome: { kind: 'fatal', detail: 'asterisk stopping' } },
      { type: 'hangupLeg', legId: 'L1', reason: 'normal' },
      { type: 'hangupLeg', legId: 'L3', reason: 'normal' },
    ]);
    expect(transition(state, { type: 'abort', detail: 'again' }).commands).toEqual([]);
  });

  it('ignores inputs for unknown legs and after the finish', () => {
    const { commands } = run([{ type: 'digit', legId: 'nope', digit: '1' }]);
    expect(commands[0]).toEqual([]);
  });
});
