import { MemoryLightTransport, silentLogger } from '../test/memory-light-transport';
import { blink1Driver } from './blink1/blink1.driver';
import { embravaDriver } from './embrava/embrava.driver';
import { kuandoDriver } from './kuando/kuando.driver';
import { DEFAULT_FLEET_TIMING, LightFleet } from './light-fleet';
import { toHex } from './light-drivers';
import { BLUE, GREEN, OFF, RED, blinking, solid } from './light-state';

const hex = (report: { bytes: readonly number[] }) => toHex(report.bytes);
const KUANDO = [0x27bb, 0x3bcd] as const;
const EMBRAVA = [0x2c0d, 0x0001] as const;
const BLINK1 = [0x27b8, 0x01ed] as const;

describe('LightFleet', () => {
  let transport: MemoryLightTransport;
  let fleet: LightFleet;

  beforeEach(() => {
    jest.useFakeTimers();
    transport = new MemoryLightTransport();
    fleet = new LightFleet(transport, [kuandoDriver, embravaDriver, blink1Driver], silentLogger(), DEFAULT_FLEET_TIMING);
  });
  afterEach(async () => {
    await fleet.stop();
    jest.useRealTimers();
  });

  it('drives several lights at once, each in its own protocol', async () => {
    const kuando = transport.plug('k', ...KUANDO);
    const embrava = transport.plug('e', ...EMBRAVA);
    transport.plug('mouse', 0x046d, 0xc52b);
    await fleet.start();
    fleet.show(solid(GREEN));
    await jest.advanceTimersByTimeAsync(0);
    expect(fleet.lights().map((l) => l.family).sort()).toEqual(['embrava', 'kuando']);
    expect(kuando.writes.at(-1)).toBe(hex(kuandoDriver.encode(solid(GREEN))));
    expect(embrava.writes.at(-1)).toBe(hex(embravaDriver.encode(solid(GREEN))));
  });

  it('sends the Kuando keep-alive every 10 s', async () => {
    const kuando = transport.plug('k', ...KUANDO);
    await fleet.start();
    fleet.show(solid(RED));
    await jest.advanceTimersByTimeAsync(0);
    const before = kuando.writes.length;
    await jest.advanceTimersByTimeAsync(30_000);
    const keepAlives = kuando.writes.slice(before).filter((w) => w === hex(kuandoDriver.keepAlive()!));
    expect(keepAlives).toHaveLength(3);
  });

  it('picks up a light plugged in later, and one plugged back after a pull, with the current state', async () => {
    await fleet.start();
    fleet.show(solid(RED));
    const kuando = transport.plug('k', ...KUANDO);
    await jest.advanceTimersByTimeAsync(2_000);
    expect(kuando.writes.at(-1)).toBe(hex(kuandoDriver.encode(solid(RED))));

    transport.unplug('k');
    fleet.show(solid(GREEN)); // the write fails: the light is dropped
    await jest.advanceTimersByTimeAsync(0);
    expect(fleet.lights()).toEqual([]);

    transport.plug('k', ...KUANDO);
    await jest.advanceTimersByTimeAsync(2_000);
    expect(kuando.opens).toBe(2);
    expect(kuando.writes.at(-1)).toBe(hex(kuandoDriver.encode(solid(GREEN))));
  });

  it('drops a light that disappears from enumeration', async () => {
    transport.plug('k', ...KUANDO);
    await fleet.start();
    transport.unplug('k');
    await jest.advanceTimersByTimeAsync(2_000);
    expect(fleet.lights()).toEqual([]);
  });

  it('uses hardware blink where there is one, a 500 ms timer elsewhere', async () => {
    const kuando = transport.plug('k', ...KUANDO);
    const blink1 = transport.plug('b', ...BLINK1);
    await fleet.start();
    fleet.show(blinking(RED));
    await jest.advanceTimersByTimeAsync(0);
    const k0 = kuando.writes.length;
    const b0 = blink1.writes.length;
    await jest.advanceTimersByTimeAsync(1_000);
    expect(kuando.writes.slice(k0 - 1)).toEqual([hex(kuandoDriver.encode(blinking(RED)))]);
    expect(blink1.writes.slice(b0 - 1)).toEqual([hex(blink1Driver.encode(solid(RED))), hex(blink1Driver.encode(OFF)), hex(blink1Driver.encode(solid(RED)))]);

    fleet.show(solid(BLUE));
    await jest.advanceTimersByTimeAsync(2_000);
    expect(blink1.writes.at(-1)).toBe(hex(blink1Driver.encode(solid(BLUE))));
  });

  it('lets one light go: off first, then forgotten, and not picked up again while that runs', async () => {
    const kuando = transport.plug('k', ...KUANDO);
    const embrava = transport.plug('e', ...EMBRAVA);
    await fleet.start();
    fleet.show(solid(GREEN));
    await jest.advanceTimersByTimeAsync(0);
    let forgotten = false;
    const released = fleet.release('k', async () => {
      // The next polls run meanwhile: the light must not come back.
      await jest.advanceTimersByTimeAsync(4_000);
      expect(fleet.lights().map((l) => l.id)).toEqual(['e']);
      transport.unplug('k'); // what the browser's forget() amounts to
      forgotten = true;
    });
    await released;
    expect(forgotten).toBe(true);
    expect(kuando.writes.at(-1)).toBe(hex(kuandoDriver.encode(OFF)));
    const kuandoWrites = kuando.writes.length;
    fleet.show(solid(RED));
    await jest.advanceTimersByTimeAsync(12_000);
    expect(kuando.writes).toHaveLength(kuandoWrites); // no more reports, no keep-alive
    expect(embrava.writes.at(-1)).toBe(hex(embravaDriver.encode(solid(RED))));
  });

  it('leaves every light off when stopped', async () => {
    const kuando = transport.plug('k', ...KUANDO);
    const blink1 = transport.plug('b', ...BLINK1);
    await fleet.start();
    fleet.show(solid(GREEN));
    await fleet.stop();
    expect(kuando.writes.at(-1)).toBe(hex(kuandoDriver.encode(OFF)));
    expect(blink1.writes.at(-1)).toBe(hex(blink1Driver.encode(OFF)));
    expect(fleet.lights()).toEqual([]);
  });
});
