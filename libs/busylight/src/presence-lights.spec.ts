import type { Presence } from '@leadline/contracts';
import { MemoryLightTransport, silentLogger } from '../test/memory-light-transport';
import { kuandoDriver } from './kuando/kuando.driver';
import { LightFleet } from './light-fleet';
import { toHex } from './light-drivers';
import { BLUE, GREEN, OFF, RED, blinking, describeLightState, solid } from './light-state';
import { luxaforDriver } from './luxafor/luxafor.driver';
import { PresenceEvents, PresenceLights, PresenceSource } from './presence-lights';
import { systemTimers } from './timers';

const kuando = (state: Parameters<typeof kuandoDriver.encode>[0]) => toHex(kuandoDriver.encode(state).bytes);
const luxafor = (state: Parameters<typeof luxaforDriver.encode>[0]) => toHex(luxaforDriver.encode(state).bytes);

const aPresence = (overrides: Partial<Presence> = {}): Presence => ({
  userId: 'agent-1',
  state: 'available',
  color: 'green',
  blink: false,
  reason: 'available',
  since: new Date(0).toISOString(),
  ...overrides,
});
const AVAILABLE = aPresence();
const CALLS_OFF = aPresence({ state: 'unavailable', color: 'red', reason: 'calls_off' });
const RINGING = aPresence({ state: 'ringing', color: 'red', blink: true, reason: 'inbound_ringing' });

/** Stands in for the socket: the test says when the server connects, pushes, or goes away. */
class FakePresenceSource implements PresenceSource {
  events?: PresenceEvents;
  stopped = false;
  start(events: PresenceEvents) {
    this.events = events;
  }
  stop() {
    this.stopped = true;
  }
  /** The server answers a (re)connect with the current presence at once. */
  connect(presence: Presence) {
    this.events!.connected();
    this.events!.presence(presence);
  }
}

describe('PresenceLights', () => {
  let transport: MemoryLightTransport;
  let source: FakePresenceSource;
  let lights: PresenceLights;

  beforeEach(async () => {
    jest.useFakeTimers();
    transport = new MemoryLightTransport();
    source = new FakePresenceSource();
    lights = new PresenceLights(source, new LightFleet(transport, [kuandoDriver, luxaforDriver], silentLogger()), silentLogger());
  });
  afterEach(async () => {
    await lights.stop();
    jest.useRealTimers();
  });

  const settle = () => jest.advanceTimersByTimeAsync(0);

  it('turns presence pushes into reports for every light', async () => {
    const k = transport.plug('k', 0x27bb, 0x3bcd);
    const l = transport.plug('l', 0x04d8, 0xf372);
    await lights.start();
    await settle();
    expect(k.writes.at(-1)).toBe(kuando(OFF));

    source.connect(AVAILABLE);
    await settle();
    expect(k.writes.at(-1)).toBe(kuando(solid(GREEN)));
    expect(l.writes.at(-1)).toBe(luxafor(solid(GREEN)));

    source.events!.presence(CALLS_OFF);
    await settle();
    expect(k.writes.at(-1)).toBe(kuando(solid(RED)));

    // Ringing blinks with the lights' own flash: one report, not a stream.
    source.events!.presence(RINGING);
    await settle();
    const before = k.writes.length;
    await jest.advanceTimersByTimeAsync(3_000);
    expect(k.writes.slice(before - 1)).toEqual([kuando(blinking(RED))]);
    expect(l.writes.at(-1)).toBe(luxafor(blinking(RED)));
  });

  it('stops showing green 5 s after losing the server, and shows the fresh state on reconnect', async () => {
    const k = transport.plug('k', 0x27bb, 0x3bcd);
    await lights.start();
    source.connect(AVAILABLE);
    await settle();

    source.events!.disconnected('transport close');
    await jest.advanceTimersByTimeAsync(4_900);
    expect(k.writes.filter((w) => w !== toHex(kuandoDriver.keepAlive()!.bytes)).at(-1)).toBe(kuando(solid(GREEN)));
    await jest.advanceTimersByTimeAsync(100);
    expect(k.writes.at(-1)).toBe(kuando(solid(BLUE)));

    // Reconnected, but no presence yet: still "no connection", never the stale green.
    source.events!.connected();
    await settle();
    expect(k.writes.at(-1)).toBe(kuando(solid(BLUE)));
    source.events!.presence(CALLS_OFF);
    await settle();
    expect(k.writes.at(-1)).toBe(kuando(solid(RED)));
  });

  it('shows "no connection" when the server is never reached', async () => {
    const k = transport.plug('k', 0x27bb, 0x3bcd);
    await lights.start();
    source.events!.disconnected('connect_error');
    await jest.advanceTimersByTimeAsync(5_000);
    expect(k.writes.at(-1)).toBe(kuando(solid(BLUE)));
  });

  it('re-sends the current state to a light plugged back in', async () => {
    const k = transport.plug('k', 0x27bb, 0x3bcd);
    await lights.start();
    source.connect(AVAILABLE);
    await settle();

    transport.unplug('k');
    source.events!.presence(CALLS_OFF); // the write fails while it is out
    await jest.advanceTimersByTimeAsync(2_000);
    transport.plug('k', 0x27bb, 0x3bcd);
    await jest.advanceTimersByTimeAsync(2_000);
    expect(k.opens).toBe(2);
    expect(k.writes.at(-1)).toBe(kuando(solid(RED)));
  });

  it('leaves the lights off and closes the link when stopped', async () => {
    const k = transport.plug('k', 0x27bb, 0x3bcd);
    await lights.start();
    source.connect(AVAILABLE);
    await settle();
    await lights.stop();
    expect(source.stopped).toBe(true);
    expect(k.writes.at(-1)).toBe(kuando(OFF));
  });

  it('tells its host every state it shows (the dashboard card), and off when stopped', async () => {
    const shown: string[] = [];
    const timers = { ...systemTimers };
    const reporting = new PresenceLights(source, new LightFleet(new MemoryLightTransport(), [kuandoDriver], silentLogger(), undefined, timers), silentLogger(), {
      timers,
      graceMs: 1_000,
      onShow: (state) => shown.push(describeLightState(state)),
    });
    await reporting.start();
    source.connect(AVAILABLE);
    source.events!.presence(RINGING);
    source.events!.presence(RINGING); // the same again: nothing new to show
    source.events!.disconnected('transport close');
    await jest.advanceTimersByTimeAsync(1_000);
    await reporting.stop();
    expect(shown).toEqual(['off', 'solid #00ff00', 'blink #ff0000', 'solid #0000ff', 'off']);
  });
});
