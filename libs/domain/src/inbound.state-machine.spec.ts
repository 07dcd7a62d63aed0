import { initialInboundState, InboundCommand, InboundInput, InboundState, noAgentsInbound, transition } from './inbound.state-machine';

function run(inputs: InboundInput[], legs = 2): { state: InboundState; commands: InboundCommand[][] } {
  let state = initialInboundState(Array.from({ length: legs }, (_, i) => ({ id: `L${i + 1}`, agentId: `A${i + 1}` })));
  const commands: InboundCommand[][] = [];
  for (const input of inputs) {
    const t = transition(state, input);
    state = t.state;
    commands.push(t.commands);
  }
  return { state, commands };
}
const types = (cs: InboundCommand[]) => cs.map((c) => ('legId' in c ? `${c.type}:${c.legId}` : 'agentId' in c ? `${c.type}:${c.agentId}` : c.type));

describe('inbound state machine', () => {
  it('connects the first agent to answer and cancels the others', () => {
    const { state, commands } = run([{ type: 'legAnswered', legId: 'L2' }, { type: 'legAnswered', legId: 'L1' }]);
    expect(types(commands[0])).toEqual(['stopRinging:A2', 'connect:L2', 'recordOutcome', 'hangupLeg:L1', 'stopRinging:A1']);
    expect(state.winnerLegId).toBe('L2');
    // L1 answered while its cancel was on the way: it is hung up on its own.
    expect(types(commands[1])).toEqual(['stopRinging:A1', 'hangupLeg:L1']);
  });

  it('hands the connected caller and agent over, and finishes once the other legs are cancelled', () => {
    const { state, commands } = run([{ type: 'legAnswered', legId: 'L1' }, { type: 'handedOver' }, { type: 'callerEnded' }, { type: 'legEnded', legId: 'L2' }]);
    expect(types(commands[1])).toEqual([]);
    // The caller's end belongs to the connected call now: a stray one changes nothing here.
    expect(types(commands[2])).toEqual([]);
    expect(types(commands[3])).toEqual(['stopRinging:A2', 'finish']);
    expect(state.outcome).toBe('answered');
  });

  it('goes to the fallback at the timeout and records voicemail when it ends', () => {
    const { state, commands } = run([{ type: 'ringTimeout' }, { type: 'legEnded', legId: 'L1' }, { type: 'legEnded', legId: 'L2' }, { type: 'fallbackEnded', outcome: 'voicemail' }]);
    expect(types(commands[0])).toEqual(['hangupLeg:L1', 'stopRinging:A1', 'hangupLeg:L2', 'stopRinging:A2', 'startFallback']);
    expect(types(commands[3])).toEqual(['recordOutcome', 'hangupCaller', 'finish']);
    expect(state.outcome).toBe('voicemail');
  });

  it('records a forwarded call when the fallback number took it', () => {
    const { state } = run([{ type: 'ringTimeout' }, { type: 'legEnded', legId: 'L1' }, { type: 'legEnded', legId: 'L2' }, { type: 'fallbackEnded', outcome: 'forwarded' }]);
    expect(state).toMatchObject({ outcome: 'forwarded', finished: true });
  });

  it('a caller hanging up while talking to the fallback number is a forwarded call', () => {
    const { state } = run([{ type: 'ringTimeout' }, { type: 'legEnded', legId: 'L1' }, { type: 'legEnded', legId: 'L2' }, { type: 'fallbackConnected' }, { type: 'callerEnded' }]);
    expect(state).toMatchObject({ outcome: 'forwarded', finished: true });
  });

  it('goes to the fallback at once when every agent declines', () => {
    const { commands } = run([{ type: 'legEnded', legId: 'L1' }, { type: 'legEnded', legId: 'L2' }]);
    expect(types(commands[1])).toEqual(['stopRinging:A2', 'startFallback']);
  });

  it('with nobody to ring, starts in the fallback', () => {
    expect(types(noAgentsInbound().commands)).toEqual(['startFallback']);
  });

  it('a caller hanging up while agents ring is abandoned, and the agents stop ringing', () => {
    const { state, commands } = run([{ type: 'callerEnded' }, { type: 'legEnded', legId: 'L1' }, { type: 'legEnded', legId: 'L2' }]);
    expect(types(commands[0])).toEqual(['recordOutcome', 'hangupLeg:L1', 'stopRinging:A1', 'hangupLeg:L2', 'stopRinging:A2']);
    expect(state).toMatchObject({ outcome: 'abandoned', finished: true });
  });

  it('either side hanging up ends the connected call', () => {
    const agentLeaves = run([{ type: 'legAnswered', legId: 'L1' }, { type: 'legEnded', legId: 'L2' }, { type: 'legEnded', legId: 'L1' }, { type: 'callerEnded' }]);
    expect(types(agentLeaves.commands[2])).toEqual(['hangupCaller', 'finish']);
    const callerLeaves = run([{ type: 'legAnswered', legId: 'L1' }, { type: 'legEnded', legId: 'L2' }, { type: 'callerEnded' }, { type: 'legEnded', legId: 'L1' }]);
    expect(types(callerLeaves.commands[2])).toEqual(['hangupLeg:L1']);
    expect(callerLeaves.state.finished).toBe(true);
  });

  it('a lost link ends everything as failed', () => {
    const { state, commands } = run([{ type: 'linkLost' }]);
    expect(types(commands[0])).toEqual(['recordOutcome', 'stopRinging:A1', 'stopRinging:A2', 'finish']);
    expect(state.outcome).toBe('failed');
  });
});
