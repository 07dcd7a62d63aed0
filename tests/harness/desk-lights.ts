// Reading what a desk daemon sent to its simulated lights (the recording transport's JSON lines),
// and an agent with a device token to run one against: shared by the end-to-end suites of the
// daemon from the repository's build and of the installed leadline-desk package.
import { LightDriver, LightState, toHex } from '@leadline/busylight';
import { RecordedEvent, readRecording } from '@leadline/busylight/node';
import { createUser, loginAs } from '../factories';
import { eventually, TestServer } from './server';

type Write = Extract<RecordedEvent, { event: 'write' }>;

/** The simulated lights of a recording: device id (`sim-0`, …) → its driver. */
export type SimulatedLights = Record<string, LightDriver>;

export const writesOf = async (log: string, device: string): Promise<Write[]> =>
  (await readRecording(log)).filter((e): e is Write => e.event === 'write' && e.device === device);

/** The last report a light was sent, keep-alives aside. */
export async function lastShown(log: string, device: string, driver: LightDriver): Promise<{ hex: string; t: number } | undefined> {
  const keepAlive = driver.keepAlive();
  const writes = (await writesOf(log, device)).filter((w) => !keepAlive || w.hex !== toHex(keepAlive.bytes));
  const last = writes[writes.length - 1];
  return last && { hex: last.hex, t: Date.parse(last.t) };
}

/** True when every light's last report (keep-alives aside) is `state` in its own protocol. */
export async function allShow(log: string, lights: SimulatedLights, state: LightState): Promise<boolean> {
  for (const [device, driver] of Object.entries(lights)) {
    if ((await lastShown(log, device, driver))?.hex !== toHex(driver.encode(state).bytes)) return false;
  }
  return true;
}

/** Waits until every light shows `state`; on time-out the error carries the daemon's output. */
export function waitForLights(log: string, lights: SimulatedLights, state: LightState, output: () => string, ms = 10_000): Promise<boolean> {
  return eventually(() => allShow(log, lights, state), ms, 100).catch((err: unknown) => {
    throw new Error(`${String(err)}\n--- daemon output ---\n${output().slice(-4_000)}`);
  });
}

/** A new agent (logged out) with a bearer token and a desk daemon device token. */
export async function anAgentWithDeviceToken(server: TestServer): Promise<{ token: string; deviceToken: string }> {
  const admin = await server.login();
  const agent = await createUser(server, admin, { role: 'agent' });
  const token = await loginAs(server, agent);
  const device = await server.request('POST', '/api/me/devices', { token, body: { name: 'Desk PC BusyLight' } });
  if (device.status !== 201) throw new Error(`POST /api/me/devices: ${device.status} ${JSON.stringify(device.body)}`);
  return { token, deviceToken: device.body.token as string };
}
