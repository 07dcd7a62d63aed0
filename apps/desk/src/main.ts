#!/usr/bin/env node
// leadline-desk: drives the USB BusyLights on an agent's PC from their Leadline presence.
// See hardware/README.md for the supported lights, udev rules and the systemd user unit.
import { readFileSync } from 'node:fs';
import { ConfigResult, USAGE, loadDeskConfig } from './desk-config';
import { createTransport, driversFor, listLights, testLights } from './desk-commands';
import { LightFleet, PresenceLights } from '@leadline/busylight';
import { createDeskLogger } from './desk-logger';
import { SocketPresenceSource } from './presence-source';

function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

const out = (line: string) => void process.stdout.write(`${line}\n`);

async function main(argv: string[]): Promise<number> {
  const result: ConfigResult = loadDeskConfig({ argv, env: process.env, readFile: readIfExists });
  if (!result.ok) {
    process.stderr.write(`leadline-desk: ${result.errors.join('\nleadline-desk: ')}\n\n${USAGE}`);
    return 2;
  }
  const config = result.config;
  if (config.command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const log = createDeskLogger(config.logLevel, config.logFile);
  const transport = createTransport(config);
  const drivers = driversFor(config.device);
  switch (config.command) {
    case 'list':
      return listLights(transport, drivers, out);
    case 'test':
      return testLights(transport, drivers, log.child({ context: 'LightFleet' }), out);
    case 'run':
      break;
  }

  const fleet = new LightFleet(transport, drivers, log.child({ context: 'LightFleet' }));
  const source = new SocketPresenceSource(config.server!, config.token!, log.child({ context: 'PresenceSource' }));
  const daemon = new PresenceLights(source, fleet, log.child({ context: 'PresenceLights' }));
  log.info({ server: config.server, device: config.device, transport: transport.description }, 'starting');
  const stopRequested = new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await daemon.start();

  const signal = await stopRequested;
  log.info({ signal }, 'stopping: turning the lights off');
  // A second signal, a stop that hangs, or anything keeping the event loop alive must not hang systemd.
  process.once('SIGTERM', () => process.exit(1));
  process.once('SIGINT', () => process.exit(1));
  const stuck = setTimeout(() => {
    log.error('lights did not stop in 5 s; exiting anyway');
    process.exit(1);
  }, 5_000).unref();
  await daemon.stop();
  clearTimeout(stuck);
  setTimeout(() => process.exit(0), 3_000).unref();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`leadline-desk: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
