// The desk daemon end to end: the real server, the compiled daemon as a child process (npm run build
// first), and the recording transport standing in for USB — two simulated lights (a Kuando, which
// needs keep-alives, and a Luxafor), a server outage and restart on the same port, and an unplug.
import { GREEN, LightState, OFF, RED, BLUE, kuandoDriver, luxaforDriver, solid, toHex } from '@leadline/busylight';
import { readRecording } from '@leadline/busylight/node';
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { allShow, anAgentWithDeviceToken, lastShown, SimulatedLights, waitForLights } from '../harness/desk-lights';
import { IT_DIR } from '../harness/it-env';
import { eventually, startServer, TestServer } from '../harness/server';

const MAIN = path.join(__dirname, '..', '..', 'dist', 'apps', 'desk', 'src', 'main.js');
const KUANDO = 'sim-0';
const LUXAFOR = 'sim-1';
const LIGHTS: SimulatedLights = { [KUANDO]: kuandoDriver, [LUXAFOR]: luxaforDriver };
const KEEPALIVE = toHex(kuandoDriver.keepAlive()!.bytes);
const expected = (state: LightState) => ({ [KUANDO]: toHex(kuandoDriver.encode(state).bytes), [LUXAFOR]: toHex(luxaforDriver.encode(state).bytes) });

describe('desk daemon (real server, compiled daemon, recording transport)', () => {
  let server: TestServer;
  let dir: string;
  let log: string;
  let daemon: ChildProcess | undefined;
  let daemonOutput = '';

  beforeAll(() => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first (npm test does)`);
    dir = mkdtempSync(path.join(IT_DIR, 'desk-'));
    log = path.join(dir, 'lights.jsonl');
  });

  afterAll(async () => {
    daemon?.kill('SIGKILL');
    await server?.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  const events = () => readRecording(log);
  const shown = (device: string) => lastShown(log, device, LIGHTS[device]!);
  const waitFor = (state: LightState, ms = 10_000) => waitForLights(log, LIGHTS, state, () => daemonOutput, ms);

  it('follows presence, survives a server restart and an unplug, and leaves the lights off on SIGTERM', async () => {
    server = await startServer();
    const { token: agent, deviceToken } = await anAgentWithDeviceToken(server);

    // Configured through the environment, as the systemd unit does; the token never goes on a command line.
    daemon = spawn(process.execPath, [MAIN], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        LEADLINE_SERVER: server.url,
        LEADLINE_DEVICE_TOKEN: deviceToken,
        LEADLINE_DESK_TRANSPORT: `file:${log}`,
        LEADLINE_DESK_SIM_DEVICES: 'kuando,luxafor',
        LOG_LEVEL: 'debug',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    daemon.stdout!.on('data', (d: Buffer) => (daemonOutput += d.toString()));
    daemon.stderr!.on('data', (d: Buffer) => (daemonOutput += d.toString()));
    const exited = new Promise<number | null>((resolve) => daemon!.once('exit', (code) => resolve(code)));

    // Logged out: red at once, on both lights.
    await waitFor(solid(RED));
    expect(daemonOutput).not.toContain(deviceToken);

    await server.request('PATCH', '/api/me/session', { token: agent, body: { loggedIn: true, callsOn: true } });
    await waitFor(solid(GREEN));
    await server.request('PATCH', '/api/me/session', { token: agent, body: { callsOn: false } });
    await waitFor(solid(RED));
    await server.request('PATCH', '/api/me/session', { token: agent, body: { callsOn: true } });
    await waitFor(solid(GREEN));

    // The server goes away: within the 5 s grace (plus a poll's slack) the light stops showing green.
    const port = new URL(server.url).port;
    const dataDir = server.config.dataDir;
    const closedAt = Date.now();
    await server.close();
    await waitFor(solid(BLUE), 9_000);
    const blueAfter = (await shown(KUANDO))!.t - closedAt;
    expect(blueAfter).toBeGreaterThanOrEqual(4_500);
    expect(blueAfter).toBeLessThan(8_000);

    // A new server on the same data and port: the daemon reconnects and shows the stored state.
    server = await startServer({ LEADLINE_DATA_DIR: dataDir, PORT: port });
    await waitFor(solid(GREEN), 20_000);

    // Unplug the Kuando: the Luxafor alone follows a change; plugged back, the Kuando gets the current state.
    writeFileSync(`${log}.unplugged`, `${KUANDO}\n`);
    await eventually(async () => (await events()).some((e) => e.event === 'close' && e.device === KUANDO), 5_000, 100);
    await server.request('PATCH', '/api/me/session', { token: agent, body: { callsOn: false } });
    await eventually(async () => (await shown(LUXAFOR))?.hex === expected(solid(RED))[LUXAFOR], 5_000, 100);
    expect((await shown(KUANDO))?.hex).toBe(expected(solid(GREEN))[KUANDO]);
    const replugged = (await events()).length;
    rmSync(`${log}.unplugged`);
    await waitFor(solid(RED), 5_000);
    const opens = (await events()).filter((e) => e.event === 'open' && e.device === KUANDO);
    expect(opens).toHaveLength(2);

    // The Kuando is kept alive while attached (every 10 s), the plugged-back one too.
    await eventually(async () => (await events()).slice(replugged).some((e) => e.event === 'write' && e.device === KUANDO && e.hex === KEEPALIVE), 12_000, 200);

    // SIGTERM: lights off, clean exit.
    daemon.kill('SIGTERM');
    expect(await exited).toBe(0);
    daemon = undefined;
    expect(await allShow(log, LIGHTS, OFF)).toBe(true);
  }, 120_000);
});
