import { DeskPhoneCallCommand, DeskPhoneCallInput, DeskPhoneCallState, initialDeskPhoneCallState, transition } from './desk-phone-call.state-machine';

function run(inputs: DeskPhoneCallInput[]): { state: DeskPhoneCallState; commands: string[][] } {
  let state = initialDeskPhoneCallState();
  const commands: string[][] = [];
  for (const input of inputs) {
    const t = transition(state, input);
    state = t.state;
    commands.push(t.commands.map(name));
  }
  return { state, commands };
}

function name(c: DeskPhoneCallCommand): string {
  switch (c.type) {
    case 'answerAndPlay':
      return `play:${c.prompt}`;
    case 'hangupCaller':
      return `hangupCaller:${c.reason}`;
    case 'recordOutcome':
      return `outcome:${c.outcome}`;
    case 'ringback':
    case 'dialCallee':
    case 'connect':
    case 'hangupCallee':
    case 'finish':
      return c.type;
  }
}

const dial: DeskPhoneCallInput = { type: 'routed', route: { kind: 'dial' } };
const answered: DeskPhoneCallInput = { type: 'calleeAnswered' };
const callerEnded: DeskPhoneCallInput = { type: 'callerEnded' };

describe('desk-phone call state machine', () => {
  it.each<[string, DeskPhoneCallInput[], string[][], string | null]>([
    [
      'a number that answers: ringback, then connected and handed over',
      [dial, answered, { type: 'handedOver' }],
      [['ringback', 'dialCallee'], ['connect', 'outcome:connected'], ['finish']],
      'connected',
    ],
    ['a star code: the confirmation, then hung up', [{ type: 'routed', route: { kind: 'prompt', prompt: 'calls-off', outcome: 'toggled' } }, { type: 'promptFinished' }, callerEnded], [['play:calls-off', 'outcome:toggled'], ['hangupCaller:normal'], ['finish']], 'toggled'],
    ['a refused number: a prompt, never silence', [{ type: 'routed', route: { kind: 'prompt', prompt: 'number-refused', outcome: 'refused' } }, { type: 'promptFinished' }, callerEnded], [['play:number-refused', 'outcome:refused'], ['hangupCaller:normal'], ['finish']], 'refused'],
    ['the caller hangs up during the prompt', [{ type: 'routed', route: { kind: 'prompt', prompt: 'extension-busy', outcome: 'busy' } }, callerEnded], [['play:extension-busy', 'outcome:busy'], ['finish']], 'busy'],
    ['the far end is busy: the phone gets busy', [dial, { type: 'calleeEnded', reason: 'busy' }, callerEnded], [['ringback', 'dialCallee'], ['outcome:busy', 'hangupCaller:busy'], ['finish']], 'busy'],
    ['the far end does not answer', [dial, { type: 'calleeEnded', reason: 'no_answer' }, callerEnded], [['ringback', 'dialCallee'], ['outcome:no_answer', 'hangupCaller:no_answer'], ['finish']], 'no_answer'],
    ['the caller gives up while it rings', [dial, callerEnded, { type: 'calleeEnded', reason: 'no_answer' }], [['ringback', 'dialCallee'], ['outcome:abandoned', 'hangupCallee'], ['finish']], 'abandoned'],
    ['the far end answers just after the caller gave up', [dial, callerEnded, answered, { type: 'calleeEnded', reason: 'no_answer' }], [['ringback', 'dialCallee'], ['outcome:abandoned', 'hangupCallee'], ['hangupCallee'], ['finish']], 'abandoned'],
    ['the caller hangs up while routing runs', [callerEnded], [['outcome:abandoned', 'finish']], 'abandoned'],
    ['link lost while ringing', [dial, { type: 'linkLost' }], [['ringback', 'dialCallee'], ['outcome:failed', 'finish']], 'failed'],
    ['a second routing is ignored', [dial, dial], [['ringback', 'dialCallee'], []], null],
  ])('%s', (_name, inputs, expected, outcome) => {
    const { state, commands } = run(inputs);
    expect(commands).toEqual(expected);
    expect(state.outcome).toBe(outcome);
  });

  it('does nothing once finished', () => {
    const { state } = run([callerEnded]);
    expect(state.finished).toBe(true);
    expect(transition(state, dial)).toEqual({ state, commands: [] });
  });
});
