import { ConversationCommand, ConversationInput, ConversationState, initialConversationState, resumedConversationState, transition } from './conversation.state-machine';

// A = the agent's channel, B = the borrower's, T = a transfer target's, M = a manager's.
const start = () => initialConversationState([{ id: 'A', role: 'agent', userId: 'alice' }, { id: 'B', role: 'outside', userId: null }]);

function run(inputs: ConversationInput[], from: ConversationState = start()): { state: ConversationState; commands: string[][] } {
  let state = from;
  const commands: string[][] = [];
  for (const input of inputs) {
    const t = transition(state, input);
    state = t.state;
    commands.push(t.commands.map(name));
  }
  return { state, commands };
}

function name(c: ConversationCommand): string {
  switch (c.type) {
    case 'startMoh':
    case 'stopMoh':
    case 'joinBridge':
    case 'hangup':
    case 'apologiseAndHangup':
    case 'takenOver':
      return `${c.type}:${c.partyId}`;
    case 'transferProgress':
      return `progress:${c.partyId}:${c.state}`;
    case 'dialTransfer':
    case 'cancelTransfer':
      return `${c.type}:${c.legId}`;
    case 'transferred':
      return `transferred:${c.from}>${c.to}`;
    case 'finish':
      return 'finish';
  }
}

const ended = (partyId: string): ConversationInput => ({ type: 'partyEnded', partyId });
const hold = (partyId: string): ConversationInput => ({ type: 'hold', partyId });
const resume = (partyId: string): ConversationInput => ({ type: 'resume', partyId });
const barge = (id: string): ConversationInput => ({ type: 'bargeIn', party: { id, role: 'agent', userId: `mgr-${id}` } });
const blind = (via: 'phone' | 'dashboard' = 'phone'): ConversationInput => ({ type: 'transfer', from: 'A', via, target: { kind: 'user', userId: 'bob' }, legId: 'T' });

describe('conversation state machine', () => {
  it.each<[string, ConversationInput[], string[][]]>([
    ['the borrower hangs up: the agent is hung up, then it is over', [ended('B'), ended('A')], [['hangup:A'], ['finish']]],
    ['the agent hangs up: the borrower is hung up', [ended('A'), ended('B')], [['hangup:B'], ['finish']]],
    ['hold from the phone: the borrower hears music until the agent resumes', [hold('A'), resume('A')], [['startMoh:B'], ['stopMoh:B']]],
    ['a repeated hold changes nothing', [hold('A'), hold('A')], [['startMoh:B'], []]],
    ['the agent hangs up while holding: no music for a call that ends', [hold('A'), ended('A'), ended('B')], [['startMoh:B'], ['hangup:B'], ['finish']]],
    [
      'blind transfer from the phone: music while the target rings, the target joins, the agent leaves',
      [hold('A'), blind(), { type: 'transferAnswered', legId: 'T', userId: 'bob' }, ended('A')],
      [['startMoh:B'], ['dialTransfer:T', 'progress:A:progress'], ['joinBridge:T', 'transferred:A>T', 'progress:A:answered', 'hangup:A', 'stopMoh:B'], []],
    ],
    [
      "blind transfer where the phone hangs up at once: the borrower waits for the target",
      [blind(), ended('A'), { type: 'transferAnswered', legId: 'T', userId: 'bob' }],
      [['dialTransfer:T', 'progress:A:progress', 'startMoh:B'], [], ['joinBridge:T', 'transferred:A>T', 'stopMoh:B']],
    ],
    [
      'the target does not answer: the call stays with the agent (music until they resume)',
      [hold('A'), blind(), { type: 'transferFailed', legId: 'T' }, resume('A')],
      [['startMoh:B'], ['dialTransfer:T', 'progress:A:progress'], ['progress:A:declined'], ['stopMoh:B']],
    ],
    [
      'dashboard transfer without hold: music while it rings, back to talking when it fails',
      [blind('dashboard'), { type: 'transferFailed', legId: 'T' }],
      [['dialTransfer:T', 'startMoh:B'], ['stopMoh:B']],
    ],
    [
      'the target fails after the agent hung up: an apology, then the borrower is hung up',
      [blind(), ended('A'), { type: 'transferFailed', legId: 'T' }, ended('B')],
      [['dialTransfer:T', 'progress:A:progress', 'startMoh:B'], [], ['apologiseAndHangup:B'], ['finish']],
    ],
    [
      'the borrower hangs up while the target rings: transfer cancelled, agent hung up',
      [blind(), ended('B'), ended('A'), { type: 'transferFailed', legId: 'T' }],
      [['dialTransfer:T', 'progress:A:progress', 'startMoh:B'], ['cancelTransfer:T', 'hangup:A'], ['cancelTransfer:T'], ['finish']],
    ],
    ['a second transfer while one rings is declined', [blind(), { type: 'transfer', from: 'A', via: 'phone', target: { kind: 'number', number: '+15125550100' }, legId: 'U' }], [['dialTransfer:T', 'progress:A:progress', 'startMoh:B'], ['progress:A:declined']]],
    ['a refused transfer is declined on the phone, nothing else', [{ type: 'transferRefused', from: 'A', via: 'phone' }], [['progress:A:declined']]],
    ['a refused dashboard transfer sends nothing to the phone', [{ type: 'transferRefused', from: 'A', via: 'dashboard' }], [[]]],
    ['a late answer of a given-up transfer is hung up', [{ type: 'transferAnswered', legId: 'X', userId: null }], [['cancelTransfer:X']]],
    [
      'attended transfer: the consulted colleague replaces the agent',
      [hold('A'), { type: 'partiesJoined', parties: [{ id: 'C', role: 'agent', userId: 'carol', up: true }], replacing: 'A' }, ended('A')],
      [['startMoh:B'], ['joinBridge:C', 'transferred:A>C', 'progress:A:answered', 'hangup:A', 'stopMoh:B'], []],
    ],
    [
      'a barging manager takes the call over when the agent leaves; the borrower hanging up then ends it',
      [barge('M'), ended('A'), ended('B'), ended('M')],
      [[], ['takenOver:M'], ['hangup:M'], ['finish']],
    ],
    ['the borrower hangs up on a barged call: it ends, the manager is not a party', [barge('M'), ended('B'), ended('A')], [[], ['hangup:A'], ['finish']]],
    ['a manager who stopped barging takes nothing over', [barge('M'), { type: 'bargeOut', partyId: 'M' }, ended('A')], [[], [], ['hangup:B']]],
    ['two barging managers: the first takes the call over, the second when the first leaves too', [barge('M'), barge('N'), ended('A'), ended('M')], [[], [], ['takenOver:M'], ['takenOver:N']]],
    [
      'the agent hands the call on while a manager barges: the transfer, not the manager, takes it',
      [barge('M'), blind(), ended('A'), { type: 'transferAnswered', legId: 'T', userId: 'bob' }],
      [[], ['dialTransfer:T', 'progress:A:progress', 'startMoh:B'], [], ['joinBridge:T', 'transferred:A>T', 'stopMoh:B']],
    ],
    ['barging into a call that is ending changes nothing', [ended('A'), barge('M'), ended('B')], [['hangup:B'], [], ['finish']]],
    ['joining a call that is ending is refused', [ended('B'), { type: 'partiesJoined', parties: [{ id: 'M', role: 'agent', userId: 'mgr', up: true }] }], [['hangup:A'], ['hangup:M']]],
    [
      'the consulted party moves to the held call: the agent left alone here is hung up',
      [hold('A'), { type: 'partiesLeft', partyIds: ['B'] }, ended('A')],
      [['startMoh:B'], ['hangup:A'], ['finish']],
    ],
    ['link lost: over at once', [hold('A'), { type: 'linkLost' }], [['startMoh:B'], ['finish']]],
  ])('%s', (_name, inputs, expected) => {
    expect(run(inputs).commands).toEqual(expected);
  });

  it('a call between two colleagues is not taken over by a barging manager (nobody outside waits)', () => {
    const colleagues = initialConversationState([{ id: 'A', role: 'agent', userId: 'alice' }, { id: 'B', role: 'agent', userId: 'bob' }]);
    expect(run([barge('M'), ended('B')], colleagues).commands).toEqual([[], ['hangup:A']]);
  });

  it('does nothing once finished', () => {
    const { state } = run([ended('A'), ended('B')]);
    expect(state.finished).toBe(true);
    expect(transition(state, hold('A'))).toEqual({ state, commands: [] });
  });

  it('a transfer target who answers becomes a party of the call', () => {
    const { state } = run([blind(), { type: 'transferAnswered', legId: 'T', userId: 'bob' }]);
    expect(state.parties).toContainEqual({ id: 'T', role: 'agent', userId: 'bob', up: true });
    expect(state.transfer).toBeNull();
    const toNumber = run([{ type: 'transfer', from: 'A', via: 'dashboard', target: { kind: 'number', number: '+15125550100' }, legId: 'N' }, { type: 'transferAnswered', legId: 'N', userId: null }]).state;
    expect(toNumber.parties).toContainEqual({ id: 'N', role: 'outside', userId: null, up: true });
  });
});

describe('a connected call taken over by a new server process', () => {
  // The state the old process persisted after `before`, resumed by the new one (no transfer).
  const resumed = (before: ConversationInput[]) => {
    const { parties, holding, moh, ending } = run(before).state;
    return resumedConversationState({ parties, holding, moh, ending });
  };
  const adopted = (...gone: string[]): ConversationInput => ({ type: 'adopted', gone });

  it.each<[string, ConversationInput[], ConversationInput[], string[][]]>([
    ['every channel still there: nothing to do, and it ends later as usual', [], [adopted(), ended('B')], [[], ['hangup:A']]],
    ['the borrower hung up meanwhile: the agent left alone is hung up', [], [adopted('B'), ended('A')], [['hangup:A'], ['finish']]],
    ['every channel gone: over at once', [], [adopted('A', 'B')], [['finish']]],
    ['on hold across the restart: the music stays, resume stops it', [hold('A')], [adopted(), resume('A')], [[], ['stopMoh:B']]],
    ['the holder left meanwhile: the held borrower is hung up', [hold('A')], [adopted('A')], [['hangup:B']]],
    ['a transfer that was ringing is gone: the waiting parties get their music stopped', [blind()], [adopted()], [['stopMoh:B']]],
    ['ending when the process stopped: the hang-up is sent again', [ended('B')], [adopted(), ended('A')], [['hangup:A'], ['finish']]],
  ])('%s', (_name, before, inputs, expected) => {
    expect(run(inputs, resumed(before)).commands).toEqual(expected);
  });
});
