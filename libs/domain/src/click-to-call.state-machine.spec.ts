import { ClickToCallCommand, ClickToCallInput, ClickToCallState, clickToCallDialRefusal, clickToCallRefusal, initialClickToCallState, transition } from './click-to-call.state-machine';
import { DEFAULT_DIALLING_POLICY } from './dialling-policy.util';

function run(inputs: ClickToCallInput[]): { state: ClickToCallState; commands: string[][] } {
  let state = initialClickToCallState();
  const commands: string[][] = [];
  for (const input of inputs) {
    const t = transition(state, input);
    state = t.state;
    commands.push(t.commands.map(name));
  }
  return { state, commands };
}
const name = (c: ClickToCallCommand) => (c.type === 'recordOutcome' ? `recordOutcome:${c.outcome}` : c.type);

const agentAnswered: ClickToCallInput = { type: 'agentAnswered' };
const agentEnded: ClickToCallInput = { type: 'agentEnded' };
const borrowerAnswered: ClickToCallInput = { type: 'borrowerAnswered' };
const borrowerEnded: ClickToCallInput = { type: 'borrowerEnded' };

describe('click-to-call state machine', () => {
  it.each<[string, ClickToCallInput[], string[][], string]>([
    [
      'agent answers, borrower answers, borrower hangs up',
      [agentAnswered, borrowerAnswered, borrowerEnded, agentEnded],
      [['ringback', 'dialBorrower'], ['connect', 'recordOutcome:connected'], ['hangupAgent'], ['finish']],
      'connected',
    ],
    ['agent hangs up a connected call', [agentAnswered, borrowerAnswered, agentEnded, borrowerEnded], [['ringback', 'dialBorrower'], ['connect', 'recordOutcome:connected'], ['hangupBorrower'], ['finish']], 'connected'],
    ['agent does not answer', [agentEnded], [['recordOutcome:agent_no_answer', 'finish']], 'agent_no_answer'],
    ["agent's phone cannot be rung", [{ type: 'agentEnded', failed: true }], [['recordOutcome:failed', 'finish']], 'failed'],
    ['borrower busy or not answering', [agentAnswered, borrowerEnded, agentEnded], [['ringback', 'dialBorrower'], ['recordOutcome:borrower_no_answer', 'hangupAgent'], ['finish']], 'borrower_no_answer'],
    ['borrower cannot be dialled', [agentAnswered, { type: 'borrowerEnded', failed: true }, agentEnded], [['ringback', 'dialBorrower'], ['recordOutcome:failed', 'hangupAgent'], ['finish']], 'failed'],
    ['agent gives up while the borrower rings', [agentAnswered, agentEnded, borrowerEnded], [['ringback', 'dialBorrower'], ['recordOutcome:agent_hung_up', 'hangupBorrower'], ['finish']], 'agent_hung_up'],
    // The answer crossed our cancel: hang up again (a second hangup of a gone channel is harmless).
    ['borrower answers just after the agent gave up', [agentAnswered, agentEnded, borrowerAnswered, borrowerEnded], [['ringback', 'dialBorrower'], ['recordOutcome:agent_hung_up', 'hangupBorrower'], ['hangupBorrower'], ['finish']], 'agent_hung_up'],
    ['the bridge fails: both hung up', [agentAnswered, borrowerAnswered, { type: 'abort', detail: 'bridge' }, borrowerEnded, agentEnded], [['ringback', 'dialBorrower'], ['connect', 'recordOutcome:connected'], ['hangupAgent', 'hangupBorrower'], ['hangupAgent'], ['finish']], 'connected'],
    ['aborted while the agent rings, then the agent answers', [{ type: 'abort', detail: 'x' }, agentAnswered, agentEnded], [['recordOutcome:failed', 'hangupAgent'], ['hangupAgent'], ['finish']], 'failed'],
    ['link lost mid-call ends it at once', [agentAnswered, borrowerAnswered, { type: 'linkLost', detail: 'gone' }], [['ringback', 'dialBorrower'], ['connect', 'recordOutcome:connected'], ['finish']], 'connected'],
    ['link lost while ringing is a failure', [{ type: 'linkLost', detail: 'gone' }], [['recordOutcome:failed', 'finish']], 'failed'],
    ['connected and handed over to the connected call: finished here', [agentAnswered, borrowerAnswered, { type: 'handedOver' }, agentEnded], [['ringback', 'dialBorrower'], ['connect', 'recordOutcome:connected'], ['finish'], []], 'connected'],
    ['a hand-over before both are up changes nothing', [agentAnswered, { type: 'handedOver' }], [['ringback', 'dialBorrower'], []], null as unknown as string],
    ['repeated events are ignored', [agentAnswered, agentAnswered, borrowerAnswered, borrowerAnswered], [['ringback', 'dialBorrower'], [], ['connect', 'recordOutcome:connected'], []], 'connected'],
  ])('%s', (_name, inputs, expected, outcome) => {
    const { state, commands } = run(inputs);
    expect(commands).toEqual(expected);
    expect(state.outcome).toBe(outcome);
  });

  it('does nothing once finished', () => {
    const { state } = run([agentEnded]);
    expect(state.finished).toBe(true);
    expect(transition(state, agentAnswered)).toEqual({ state, commands: [] });
  });

  it('keeps the detail of a failure for the log', () => {
    expect(transition(initialClickToCallState(), { type: 'linkLost', detail: 'ping failed' }).commands[0]).toEqual({ type: 'recordOutcome', outcome: 'failed', detail: 'ping failed' });
  });
});

describe('clickToCallRefusal', () => {
  const ok = { loggedIn: true, callsOn: true, onCall: false, reachable: true };
  it.each([
    ['available', ok, null],
    ['no work phone', { ...ok, reachable: false }, 'no work phone'],
    ['logged out', { ...ok, loggedIn: false }, 'logged out'],
    ['calls off', { ...ok, callsOn: false }, 'calls are turned off'],
    ['on a call', { ...ok, onCall: true }, 'already on a call'],
  ])('%s', (_name, agent, message) => {
    const refusal = clickToCallRefusal(agent);
    if (message === null) expect(refusal).toBeNull();
    else expect(refusal).toContain(message);
  });
});

describe('clickToCallDialRefusal', () => {
  const open = { allowInternational: true, allowPremium: true, allowN11: true };
  it.each<[string, typeof open, RegExp | null]>([
    ['+15125550142', DEFAULT_DIALLING_POLICY, null],
    ['(800) 555-0199', DEFAULT_DIALLING_POLICY, null],
    ['+442079460000', DEFAULT_DIALLING_POLICY, /outside the US and Canada/],
    ['+442079460000', open, null],
    ['1-900-555-0123', DEFAULT_DIALLING_POLICY, /premium-rate/],
    ['411', DEFAULT_DIALLING_POLICY, /N11/],
    ['411', open, null],
    ['911', DEFAULT_DIALLING_POLICY, /desk phone/],
    ['911', open, /desk phone/],
    ['not a number', DEFAULT_DIALLING_POLICY, /not a phone number/],
  ])('%s', (phone, policy, refusal) => {
    const answer = clickToCallDialRefusal(phone, policy);
    if (refusal) expect(answer).toMatch(refusal);
    else expect(answer).toBeNull();
  });
});
