import { initialMonitorState, MonitorCommand, MonitorInput, MonitorMode, MonitorState, transition } from './monitor.state-machine';

function run(inputs: MonitorInput[], from: MonitorState = initialMonitorState('listen')): { state: MonitorState; commands: string[][] } {
  let state = from;
  const commands: string[][] = [];
  for (const input of inputs) {
    const t = transition(state, input);
    state = t.state;
    commands.push(t.commands.map(name));
  }
  return { state, commands };
}

function name(c: MonitorCommand): string {
  switch (c.type) {
    case 'wire':
    case 'unwire':
    case 'modeChanged':
      return `${c.type}:${c.mode}`;
    case 'hangupManager':
      return c.type;
    case 'finish':
      return c.handedOver ? 'finish:handedOver' : 'finish';
  }
}

const mode = (m: MonitorMode): MonitorInput => ({ type: 'setMode', mode: m });
const answered: MonitorInput = { type: 'answered' };
const managerEnded: MonitorInput = { type: 'managerEnded' };

describe('monitor state machine', () => {
  it.each<[string, MonitorInput[], string[][]]>([
    ['the manager answers: wired in the mode asked for', [answered], [['wire:listen']]],
    ['the manager hangs up: unwired, over', [answered, managerEnded], [['wire:listen'], ['unwire:listen', 'finish']]],
    ['the manager never answers: over, nothing to unwire', [managerEnded], [['finish']]],
    ['listen → whisper → barge: unwired from one, wired in the next', [answered, mode('whisper'), mode('barge')], [['wire:listen'], ['modeChanged:whisper', 'unwire:listen', 'wire:whisper'], ['modeChanged:barge', 'unwire:whisper', 'wire:barge']]],
    ['the same mode again changes nothing', [answered, mode('listen')], [['wire:listen'], []]],
    ['a mode asked for while the phone rings is the one wired on answer', [mode('barge'), answered], [['modeChanged:barge'], ['wire:barge']]],
    ['stop: unwired and the phone hung up; its end finishes', [answered, { type: 'stop' }, managerEnded], [['wire:listen'], ['unwire:listen', 'hangupManager'], ['finish']]],
    ['the call ends: the manager is hung up once', [answered, { type: 'callEnded' }, { type: 'stop' }, managerEnded], [['wire:listen'], ['unwire:listen', 'hangupManager'], [], ['finish']]],
    ['the call ends while the phone rings: hung up', [{ type: 'callEnded' }, answered, managerEnded], [['hangupManager'], [], ['finish']]],
    ['no mode change while ending', [answered, { type: 'stop' }, mode('barge')], [['wire:listen'], ['unwire:listen', 'hangupManager'], []]],
    ['the tap is lost (the agent transferred): wired again', [answered, { type: 'wireLost' }], [['wire:listen'], ['wire:listen']]],
    ['barging, a lost tap means nothing', [mode('barge'), answered, { type: 'wireLost' }], [['modeChanged:barge'], ['wire:barge'], []]],
    ['barging, the call takes the manager over: over, the phone neither unwired nor hung up', [mode('barge'), answered, { type: 'takenOver' }, managerEnded], [['modeChanged:barge'], ['wire:barge'], ['finish:handedOver'], []]],
    ['a takeover that raced a stop: over, the hang-up already sent', [mode('barge'), answered, { type: 'stop' }, { type: 'takenOver' }], [['modeChanged:barge'], ['wire:barge'], ['unwire:barge', 'hangupManager'], ['finish:handedOver']]],
    ['a takeover while the phone still rings means nothing', [{ type: 'takenOver' }], [[]]],
    ['the link drops: over at once', [answered, { type: 'linkLost' }, managerEnded], [['wire:listen'], ['finish'], []]],
  ])('%s', (_title, inputs, expected) => {
    expect(run(inputs).commands).toEqual(expected);
  });

  it('ends in the ended phase', () => {
    expect(run([answered, { type: 'stop' }, managerEnded]).state).toEqual({ phase: 'ended', mode: 'listen', wired: null });
  });
});
