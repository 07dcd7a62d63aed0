// The desk daemon's configuration, read once at start from (highest first) the command line, the
// environment and the optional JSON file, validated and typed. Nothing else reads process.env.
import { LIGHT_FAMILIES, LightFamily } from '@leadline/busylight';
import * as os from 'node:os';
import * as path from 'node:path';
import { z } from 'zod';

export type DeskCommand = 'run' | 'list' | 'test' | 'help';
export type DeviceChoice = 'auto' | LightFamily;
export type TransportChoice = { kind: 'hid' } | { kind: 'file'; path: string };

export interface DeskConfig {
  command: DeskCommand;
  /** Required for `run`. */
  server?: string;
  /** Required for `run`. A secret: never logged. */
  token?: string;
  device: DeviceChoice;
  transport: TransportChoice;
  /** Simulated lights for the file transport: families or vid:pid pairs, comma-separated. */
  simDevices: string;
  logLevel: string;
  /** Log to this file (appended) instead of stderr: for a startup task or launchd agent. */
  logFile?: string;
  /** Where the optional JSON file was looked for. */
  configFile: string;
}

export const USAGE = `Usage: leadline-desk --server URL --token DEVICE_TOKEN [options]
       leadline-desk --list | --test [--device …] [--transport …]

Shows your Leadline presence on USB BusyLights: green available, red not available,
blinking red an inbound call ringing, steady blue no connection to the server (> 5 s).

Options (environment variable / config file key in brackets):
  --server URL          Leadline server, e.g. https://leadline.example.com   [LEADLINE_SERVER / server]
  --token TOKEN         device token from the dashboard (POST /api/me/devices) [LEADLINE_DEVICE_TOKEN / token]
  --device NAME         auto (default) | ${LIGHT_FAMILIES.join(' | ')}        [LEADLINE_DEVICE / device]
  --transport T         hid (default) | file:/path/log.jsonl (record reports instead of USB)
                                                                     [LEADLINE_DESK_TRANSPORT / transport]
  --sim-devices LIST    lights the file transport simulates: kuando,embrava or 27bb:3bcd (default kuando)
                                                                     [LEADLINE_DESK_SIM_DEVICES / simDevices]
  --config FILE         JSON config file (default: Linux ~/.config/leadline/desk.json,
                        macOS ~/Library/Application Support/leadline/desk.json,
                        Windows %APPDATA%\leadline\desk.json)            [LEADLINE_DESK_CONFIG]
  --log-level LEVEL     pino level: fatal … trace, silent (default info)   [LOG_LEVEL / logLevel]
  --log-file FILE       append the log to FILE instead of stderr   [LEADLINE_DESK_LOG_FILE / logFile]
  --list                list the supported lights found, then exit
  --test                cycle the lights green, red, blinking red, then off, then exit
  -h, --help            this help
`;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const fileSchema = z
  .object({
    server: z.string().optional(),
    token: z.string().optional(),
    device: z.string().optional(),
    transport: z.string().optional(),
    simDevices: z.string().optional(),
    logLevel: z.string().optional(),
    logFile: z.string().optional(),
  })
  .strict();

type Settings = z.infer<typeof fileSchema>;

const FLAGS: Record<string, keyof Settings | 'config'> = {
  '--server': 'server',
  '--token': 'token',
  '--device': 'device',
  '--transport': 'transport',
  '--sim-devices': 'simDevices',
  '--log-level': 'logLevel',
  '--log-file': 'logFile',
  '--config': 'config',
};

export interface ConfigSources {
  argv: readonly string[];
  env: Record<string, string | undefined>;
  /** Returns the file's text, or undefined when it does not exist. */
  readFile(file: string): string | undefined;
  homedir?: string;
  /** process.platform: where the default config file is. */
  platform?: NodeJS.Platform;
}

export type ConfigResult = { ok: true; config: DeskConfig } | { ok: false; errors: string[] };

export function loadDeskConfig(sources: ConfigSources): ConfigResult {
  const errors: string[] = [];
  const cli: Settings & { config?: string } = {};
  let command: DeskCommand = 'run';
  const args = [...sources.argv];
  while (args.length) {
    const arg = args.shift()!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '-h' || flag === '--help') command = 'help';
    else if (flag === '--list') command = command === 'help' ? command : 'list';
    else if (flag === '--test') command = command === 'help' ? command : 'test';
    else if (flag in FLAGS) {
      const value = inline ?? args.shift();
      if (value === undefined || value === '') errors.push(`${flag} needs a value`);
      else cli[FLAGS[flag]!] = value;
    } else errors.push(`unknown argument ${arg}`);
  }

  const env = sources.env;
  const explicitFile = cli.config ?? env.LEADLINE_DESK_CONFIG;
  const configFile = explicitFile ?? defaultConfigFile(sources.platform ?? process.platform, env, sources.homedir ?? os.homedir());
  let file: Settings = {};
  const text = sources.readFile(configFile);
  if (text === undefined) {
    if (explicitFile) errors.push(`config file ${configFile} not found`);
  } else {
    try {
      const parsed = fileSchema.safeParse(JSON.parse(text));
      if (parsed.success) file = parsed.data;
      else errors.push(...parsed.error.issues.map((i) => `${configFile}: ${i.path.join('.') || 'file'}: ${i.message}`));
    } catch (err) {
      errors.push(`${configFile}: not JSON (${err instanceof Error ? err.message : String(err)})`);
    }
  }

  const pick = (key: keyof Settings, envName: string): string | undefined => cli[key] ?? (env[envName] || undefined) ?? file[key];
  const server = pick('server', 'LEADLINE_SERVER');
  const token = pick('token', 'LEADLINE_DEVICE_TOKEN');
  const device = (pick('device', 'LEADLINE_DEVICE') ?? 'auto').toLowerCase();
  const transportSpec = pick('transport', 'LEADLINE_DESK_TRANSPORT') ?? 'hid';
  const simDevices = pick('simDevices', 'LEADLINE_DESK_SIM_DEVICES') ?? 'kuando';
  const logLevel = pick('logLevel', 'LOG_LEVEL') ?? 'info';
  const logFile = pick('logFile', 'LEADLINE_DESK_LOG_FILE');

  if (device !== 'auto' && !(LIGHT_FAMILIES as readonly string[]).includes(device)) errors.push(`--device must be auto or one of ${LIGHT_FAMILIES.join(', ')}`);
  let transport: TransportChoice = { kind: 'hid' };
  if (transportSpec.startsWith('file:') && transportSpec.length > 'file:'.length) transport = { kind: 'file', path: path.resolve(transportSpec.slice('file:'.length)) };
  else if (transportSpec !== 'hid') errors.push('--transport must be hid or file:/path/to/log.jsonl');
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) errors.push(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);
  if (command === 'run') {
    if (!server) errors.push('--server (or LEADLINE_SERVER) is required');
    else if (!/^https?:\/\/[^/]+/i.test(server)) errors.push('--server must be an http:// or https:// URL');
    if (!token) errors.push('--token (or LEADLINE_DEVICE_TOKEN) is required');
  }

  if (errors.length) return { ok: false, errors };
  return { ok: true, config: { command, server, token, device: device as DeviceChoice, transport, simDevices, logLevel, ...(logFile ? { logFile: path.resolve(logFile) } : {}), configFile } };
}

/** Each desktop's usual place for a user's settings. */
export function defaultConfigFile(platform: NodeJS.Platform, env: Record<string, string | undefined>, home: string): string {
  if (platform === 'win32') return path.win32.join(env.APPDATA || path.win32.join(home, 'AppData', 'Roaming'), 'leadline', 'desk.json');
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', 'leadline', 'desk.json');
  return path.posix.join(env.XDG_CONFIG_HOME || path.posix.join(home, '.config'), 'leadline', 'desk.json');
}
