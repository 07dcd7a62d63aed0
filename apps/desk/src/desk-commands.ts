// `leadline-desk --list` and `--test`, and the pieces main.ts wires together.
import { DEFAULT_FLEET_TIMING, GREEN, LIGHT_DRIVERS, LightDriver, LightFleet, LightTransport, OFF, RED, blinking, matchLight, solid, vidPid } from '@leadline/busylight';
import { NodeHidTransport, RecordingTransport, parseSimulatedDevices } from '@leadline/busylight/node';
import type { Logger } from 'pino';
import type { DeskConfig, DeviceChoice } from './desk-config';

export function driversFor(choice: DeviceChoice): LightDriver[] {
  return LIGHT_DRIVERS.filter((d) => choice === 'auto' || d.family === choice);
}

export function createTransport(config: Pick<DeskConfig, 'transport' | 'simDevices'>): LightTransport {
  switch (config.transport.kind) {
    case 'hid':
      return new NodeHidTransport();
    case 'file':
      return new RecordingTransport(config.transport.path, parseSimulatedDevices(config.simDevices));
  }
}

type Out = (line: string) => void;

/** Prints the supported lights found. Exit code 0 even when there are none (a normal case). */
export async function listLights(transport: LightTransport, drivers: readonly LightDriver[], out: Out): Promise<number> {
  const found = await transport.enumerate();
  const lights = found.flatMap((d) => {
    const match = matchLight(d.vendorId, d.productId, drivers);
    return match ? [{ d, ...match }] : [];
  });
  if (lights.length === 0) out(`no supported lights found (${transport.description})`);
  for (const { d, driver, model } of lights) {
    const notes = [driver.hardwareBlink ? 'hardware blink' : 'timer blink', driver.keepAliveMs ? `keep-alive ${driver.keepAliveMs / 1000} s` : null].filter(Boolean).join(', ');
    out(`${driver.family}\t${model.model}\t${vidPid(d.vendorId, d.productId)}\t${d.id}\t(${notes})`);
  }
  return 0;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Cycles every light green → red → blinking red → off. Exit code 1 when no light was found. */
export async function testLights(transport: LightTransport, drivers: readonly LightDriver[], log: Logger, out: Out, stepMs = 2_000): Promise<number> {
  const fleet = new LightFleet(transport, drivers, log, DEFAULT_FLEET_TIMING);
  await fleet.start();
  const lights = fleet.lights();
  if (lights.length === 0) {
    await fleet.stop();
    out(`no supported lights found (${transport.description})`);
    return 1;
  }
  out(`testing ${lights.map((l) => `${l.model} (${l.id})`).join(', ')}`);
  for (const [label, state, ms] of [
    ['green', solid(GREEN), stepMs],
    ['red', solid(RED), stepMs],
    ['blinking red', blinking(RED), stepMs * 2],
  ] as const) {
    out(label);
    fleet.show(state);
    await sleep(ms);
  }
  out('off');
  fleet.show(OFF);
  await fleet.stop();
  return 0;
}
