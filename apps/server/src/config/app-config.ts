import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { normalizePhone } from '@leadline/domain';
import { z } from 'zod';

// Every setting Leadline reads from the environment. process.env is read here and nowhere else.
// `docs/configuration.md` is checked against this table by a unit test, so the two can't drift.
export const CONFIG_VARIABLES = {
  NODE_ENV: { description: 'development | test | production; production refuses default or missing secrets', secret: false },
  HOST: { description: 'Address the HTTP API, dashboard and socket.io listen on', secret: false },
  PORT: { description: 'HTTP port', secret: false },
  LOG_LEVEL: { description: 'pino level: fatal, error, warn, info, debug, trace', secret: false },
  LEADLINE_DATA_DIR: { description: 'Folder for the database, recordings and the bundled Asterisk scratch files', secret: false },
  DATABASE_URL: { description: 'sqlite:/path/to/file.db (default: <data dir>/leadline.db) or postgres://user:password@host:port/database', secret: true },
  ARI_URL: { description: 'Base URL of Asterisk ARI (http://host:port, no /ari suffix)', secret: false },
  ARI_USERNAME: { description: 'ARI user (ari.conf)', secret: false },
  ARI_PASSWORD: { description: 'ARI password; required. scripts/start.sh passes the bundled Asterisk one', secret: true },
  ARI_APP: { description: 'Stasis application name Leadline registers', secret: false },
  ARI_PING_INTERVAL_MS: { description: 'How often the ARI link is pinged; two missed pings count as a drop', secret: false },
  SIP_PUBLIC_HOST: { description: 'Host desk phones register to (shown to admins)', secret: false },
  SIP_PORT: { description: 'SIP UDP port of the bundled Asterisk', secret: false },
  RTP_START: { description: 'First RTP port of the bundled Asterisk', secret: false },
  RTP_END: { description: 'Last RTP port of the bundled Asterisk', secret: false },
  JWT_SECRET: { description: 'Secret signing access tokens; generated into the data dir when unset (not in production)', secret: true },
  JWT_TTL_SECONDS: { description: 'Access token lifetime', secret: false },
  LEADLINE_ADMIN_EMAIL: { description: 'Email of the first admin, created on first start with an empty database', secret: false },
  LEADLINE_ADMIN_PASSWORD: { description: 'Password of the first admin; when unset a strong one is generated and printed once', secret: true },
  ACTION_POST_RATE_LIMIT: { description: 'Action Posts allowed per campaign key per minute', secret: false },
  INBOUND_RING_TIMEOUT_SECONDS: { description: 'How long an inbound call rings agents before the fallback', secret: false },
  INBOUND_MAX_AGENTS: { description: 'How many available, licensed agents an inbound call rings at once', secret: false },
  INBOUND_FALLBACK_NUMBER: { description: 'Number an unanswered inbound call is forwarded to (through the trunk) before voicemail; unset = voicemail', secret: false },
  INBOUND_VOICEMAIL_MAX_SECONDS: { description: 'Longest voicemail message an inbound caller may leave', secret: false },
  DIAL_MODE_HOLD_EXPIRY_MINUTES: { description: 'A dial-mode lead an operator holds goes back to its queue after this many minutes without activity', secret: false },
  DIAL_MODE_HOLD_SWEEP_SECONDS: { description: 'How often every instance looks for expired dial-mode holds', secret: false },
  RECOVERY_SWEEP_SECONDS: { description: 'How often every instance looks for stuck leads and for agents left on a call that no longer exists', secret: false },
  SHUTDOWN_GRACE_SECONDS: { description: 'On SIGTERM / SIGINT the server starts no new rounds and waits up to this long for the ring-all rounds already ringing to end before it exits', secret: false },
  PUBLIC_BASE_URL: { description: 'Base URL lead vendors use to reach Action Post URLs', secret: false },
  PROMPT_BASE_URL: { description: "Base URL Asterisk fetches admins' uploaded voice prompts from: this server as Asterisk reaches it (unset = http://127.0.0.1:<PORT>, or http://<HOST>:<PORT> when HOST is a specific address)", secret: false },
  REDIS_URL: { description: 'redis://[user:password@]host:port[/db]; set it to run several server instances sharing socket.io rooms (unset = one instance, in-memory)', secret: true },
  TRUST_PROXY: { description: 'Addresses or CIDRs of the reverse proxies in front of the server, comma-separated; their X-Forwarded-For names the client (unset = trust none)', secret: false },
  CORS_ORIGINS: { description: 'Browser origins (https://host[:port]) allowed to call the API and socket.io from other pages, comma-separated (unset = none)', secret: false },
  ACTION_POST_BAD_KEY_LIMIT: { description: 'Action Posts with a missing or wrong key allowed per source address per minute', secret: false },
  SIP_SECURITY_LOG: { description: "Asterisk's security log, read to ban addresses that keep failing SIP authentication (empty = no bans)", secret: false },
  SIP_BAN_MAX_FAILURES: { description: 'Failed SIP requests from one address within SIP_BAN_FIND_SECONDS that get it banned', secret: false },
  SIP_BAN_FIND_SECONDS: { description: 'Window in which SIP failures are counted', secret: false },
  SIP_BAN_SECONDS: { description: 'How long a SIP ban lasts (an admin can lift it earlier)', secret: false },
  SIP_BAN_EXEMPT: { description: "Addresses or CIDRs never banned (the office phone subnet), comma-separated; the trunk's own addresses always are", secret: false },
  WEBHOOK_RETRY_BASE_MS: { description: 'Delay before the second attempt of a failed webhook delivery; it doubles with every failure (with jitter)', secret: false },
  WEBHOOK_RETRY_MAX_DELAY_MS: { description: 'Longest delay between two attempts of a webhook delivery', secret: false },
  WEBHOOK_RETRY_WINDOW_SECONDS: { description: 'How long a webhook delivery is retried before it is dead-lettered', secret: false },
  WEBHOOK_LOG_RETENTION_DAYS: { description: 'How long delivered and dead-lettered webhook deliveries stay in the delivery log', secret: false },
  RECORDING_LINK_TTL_SECONDS: { description: 'How long the signed recording links in webhooks play without a login', secret: false },
  AMI_PORT: { description: "Port of Asterisk's AMI on the ARI host, for the desk phones' check-sync NOTIFY and cancelling ringing losers (unset = no NOTIFY: phones re-read their files when they reboot; losers cancelled over ARI)", secret: false },
  AMI_USERNAME: { description: 'AMI user (manager.conf; scripts/asterisk.sh makes leadline-notify)', secret: false },
  AMI_PASSWORD: { description: 'AMI password; required with AMI_PORT. scripts/start.sh passes the bundled Asterisk one', secret: true },
  PROVISIONING_SUBNETS: { description: 'Addresses or CIDRs of the phone subnet allowed to fetch desk-phone configuration without the per-phone secret (DHCP option 66), comma-separated (unset = the secret URL only)', secret: false },
  PROVISIONING_RATE_LIMIT: { description: 'Desk-phone configuration requests allowed per source address per minute', secret: false },
  PROVISIONING_NTP_SERVER: { description: 'NTP server written into desk phones\' configuration', secret: false },
} as const;

export type ConfigVariable = keyof typeof CONFIG_VARIABLES;

const port = z.coerce.number().int().min(1).max(65535);

/** A comma-separated list of IPv4/IPv6 addresses or CIDR ranges ('' = none). */
const addressList = z
  .string()
  .default('')
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
  .refine((list) => list.every(isAddressOrCidr), 'must be IP addresses or CIDR ranges (10.0.0.0/24, 2001:db8::/32), comma-separated');

/** Browser origins: scheme://host[:port], nothing else. */
const originList = z
  .string()
  .default('')
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
  .refine((list) => list.every((o) => /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/.test(o)), 'must be origins like https://crm.example.com (scheme, host, optional port; no path), comma-separated');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LEADLINE_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.string().optional(),
  ARI_URL: z.string().url().default('http://127.0.0.1:8088'),
  ARI_USERNAME: z.string().min(1).default('leadline'),
  ARI_PASSWORD: z.string({ required_error: 'is required (the bundled Asterisk one is in <data dir>/asterisk/ari-password; scripts/start.sh passes it)' }).min(12, 'must be at least 12 characters'),
  ARI_APP: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only').default('leadline'),
  ARI_PING_INTERVAL_MS: z.coerce.number().int().min(200).default(5000),
  SIP_PUBLIC_HOST: z.string().min(1).default('127.0.0.1'),
  SIP_PORT: port.default(5060),
  RTP_START: port.default(10000),
  RTP_END: port.default(10999),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_TTL_SECONDS: z.coerce.number().int().min(60).default(12 * 3600),
  LEADLINE_ADMIN_EMAIL: z.string().email().default('admin@leadline.local'),
  LEADLINE_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  ACTION_POST_RATE_LIMIT: z.coerce.number().int().min(1).default(600),
  PUBLIC_BASE_URL: z.string().url().optional(),
  PROMPT_BASE_URL: z.string().url().optional(),
  INBOUND_RING_TIMEOUT_SECONDS: z.coerce.number().int().min(5).max(300).default(25),
  INBOUND_MAX_AGENTS: z.coerce.number().int().min(1).max(100).default(10),
  INBOUND_VOICEMAIL_MAX_SECONDS: z.coerce.number().int().min(10).max(600).default(120),
  INBOUND_FALLBACK_NUMBER: z.string().optional(),
  DIAL_MODE_HOLD_EXPIRY_MINUTES: z.coerce.number().int().min(1).max(1440).default(5),
  DIAL_MODE_HOLD_SWEEP_SECONDS: z.coerce.number().int().min(1).max(600).default(15),
  RECOVERY_SWEEP_SECONDS: z.coerce.number().int().min(1).max(600).default(60),
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(600).default(45),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL')
    .optional(),
  TRUST_PROXY: addressList,
  CORS_ORIGINS: originList,
  ACTION_POST_BAD_KEY_LIMIT: z.coerce.number().int().min(1).default(10),
  SIP_SECURITY_LOG: z.string().optional(),
  SIP_BAN_MAX_FAILURES: z.coerce.number().int().min(2).default(10),
  SIP_BAN_FIND_SECONDS: z.coerce.number().int().min(10).default(600),
  SIP_BAN_SECONDS: z.coerce.number().int().min(10).default(3600),
  SIP_BAN_EXEMPT: addressList,
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(100).default(10_000),
  WEBHOOK_RETRY_MAX_DELAY_MS: z.coerce.number().int().min(100).default(3_600_000),
  WEBHOOK_RETRY_WINDOW_SECONDS: z.coerce.number().int().min(1).max(30 * 86_400).default(86_400),
  WEBHOOK_LOG_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  RECORDING_LINK_TTL_SECONDS: z.coerce.number().int().min(60).max(90 * 86_400).default(7 * 86_400),
  AMI_PORT: port.optional(),
  AMI_USERNAME: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, . - and _ only').default('leadline-notify'),
  AMI_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  PROVISIONING_SUBNETS: addressList,
  PROVISIONING_RATE_LIMIT: z.coerce.number().int().min(1).default(60),
  PROVISIONING_NTP_SERVER: z.string().regex(/^[A-Za-z0-9.:-]+$/, 'must be a host name or address').default('pool.ntp.org'),
});

/** The schema itself, read by the documentation checks (config-reference.ts) for each default. */
export const CONFIG_SCHEMA = schema;

/** SQLite (the default: one file, in-process) or PostgreSQL (when one machine is outgrown). */
export type DatabaseConfig = { kind: 'sqlite'; path: string } | { kind: 'postgresql'; url: string };

export interface AppConfigValues {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  logLevel: string;
  dataDir: string;
  database: DatabaseConfig;
  ari: { url: string; username: string; password: string; app: string; pingIntervalMs: number };
  sip: { publicHost: string; port: number; rtpStart: number; rtpEnd: number };
  auth: { jwtSecret: string; jwtTtlSeconds: number; adminEmail: string; adminPassword?: string };
  actionPost: { ratePerMinute: number; badKeyPerMinute: number; publicBaseUrl: string };
  inbound: { ringTimeoutSeconds: number; maxAgents: number; voicemailMaxSeconds: number; fallbackNumber: string | null };
  dialMode: { holdExpiryMinutes: number; holdSweepSeconds: number };
  /** Stuck leads and leftover agent reservations (every instance, Redis or not). */
  recovery: { sweepSeconds: number };
  /** Graceful stop (SIGTERM / SIGINT): how long running ring-all rounds may take to end. */
  shutdown: { graceSeconds: number };
  /** null: one instance, socket.io rooms in memory. */
  /** Where Asterisk fetches uploaded voice prompts; null: this server's own listening address. */
  prompts: { baseUrl: string | null };
  redis: { url: string | null };
  /** HTTP edge: which proxies to believe about the client's address, which other origins browsers may call from. */
  http: { trustProxy: string[]; corsOrigins: string[] };
  /** SIP brute-force bans fed by Asterisk's security log (securityLog null: off). */
  sipBans: { securityLog: string | null; maxFailures: number; findSeconds: number; banSeconds: number; exempt: string[] };
  webhooks: { retry: { baseMs: number; maxDelayMs: number; windowMs: number }; logRetentionDays: number; recordingLinkTtlSeconds: number };
  /** Desk-phone configuration files (docs/desk-phones.md): who may fetch them without the secret, how often. */
  provisioning: { subnets: string[]; ratePerMinute: number; ntpServer: string };
  /** Asterisk's AMI, for the check-sync NOTIFY and the losers' cancels (AmiClient); null: not configured. */
  ami: { host: string; port: number; username: string; password: string } | null;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** The validated configuration; the one DI token for settings. */
export class AppConfig implements AppConfigValues {
  env!: AppConfigValues['env'];
  host!: string;
  port!: number;
  logLevel!: string;
  dataDir!: string;
  database!: DatabaseConfig;
  ari!: AppConfigValues['ari'];
  sip!: AppConfigValues['sip'];
  auth!: AppConfigValues['auth'];
  actionPost!: AppConfigValues['actionPost'];
  inbound!: AppConfigValues['inbound'];
  dialMode!: AppConfigValues['dialMode'];
  prompts!: AppConfigValues['prompts'];
  recovery!: AppConfigValues['recovery'];
  shutdown!: AppConfigValues['shutdown'];
  redis!: AppConfigValues['redis'];
  http!: AppConfigValues['http'];
  sipBans!: AppConfigValues['sipBans'];
  webhooks!: AppConfigValues['webhooks'];
  provisioning!: AppConfigValues['provisioning'];
  ami!: AppConfigValues['ami'];

  constructor(values: AppConfigValues) {
    Object.assign(this, values);
  }

  static fromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
    return new AppConfig(parseConfig(env));
  }
}

function databaseFrom(url: string | undefined, dataDir: string): DatabaseConfig {
  if (!url) return { kind: 'sqlite', path: join(dataDir, 'leadline.db') };
  const sqlite = /^sqlite:(?:\/\/)?(.+)$/.exec(url);
  if (sqlite) return { kind: 'sqlite', path: isAbsolute(sqlite[1]) ? sqlite[1] : resolve(sqlite[1]) };
  if (/^postgres(?:ql)?:\/\//.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      // The URL itself may hold a password: never echo it.
      throw new ConfigError(['DATABASE_URL: is not a valid postgres:// URL']);
    }
    if (!parsed.hostname || parsed.pathname.replace(/^\//, '') === '') throw new ConfigError(['DATABASE_URL: a postgres:// URL needs a host and a database name (postgres://user:password@host:5432/leadline)']);
    return { kind: 'postgresql', url };
  }
  throw new ConfigError([`DATABASE_URL: use sqlite:/path/file.db or postgres://… (got scheme "${url.split(':')[0]}")`]);
}

// Outside production a missing JWT secret is generated once and kept in the data dir, so tokens
// survive restarts without anyone having to invent a secret.
function jwtSecretFor(value: string | undefined, dataDir: string, production: boolean): string {
  if (value) return value;
  if (production) throw new ConfigError(['JWT_SECRET: is required when NODE_ENV=production']);
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export function parseConfig(env: NodeJS.ProcessEnv): AppConfigValues {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const v = parsed.data;
  const production = v.NODE_ENV === 'production';
  const problems: string[] = [];
  if (v.RTP_END < v.RTP_START) problems.push('RTP_END: must not be below RTP_START');
  if (v.WEBHOOK_RETRY_MAX_DELAY_MS < v.WEBHOOK_RETRY_BASE_MS) problems.push('WEBHOOK_RETRY_MAX_DELAY_MS: must not be below WEBHOOK_RETRY_BASE_MS');
  // Several instances check each other's tokens: a secret generated per data dir would not do.
  if (v.REDIS_URL && !v.JWT_SECRET) problems.push('JWT_SECRET: is required with REDIS_URL (every instance must sign tokens with the same secret)');
  const fallbackNumber = v.INBOUND_FALLBACK_NUMBER ? normalizePhone(v.INBOUND_FALLBACK_NUMBER) : null;
  if (v.INBOUND_FALLBACK_NUMBER && !fallbackNumber) problems.push('INBOUND_FALLBACK_NUMBER: is not a valid phone number');
  if (v.AMI_PORT && !v.AMI_PASSWORD) problems.push('AMI_PASSWORD: is required with AMI_PORT (the bundled one is in <data dir>/ami-password; scripts/start.sh passes it)');
  if (problems.length) throw new ConfigError(problems);
  const dataDir = resolve(v.LEADLINE_DATA_DIR);
  return {
    env: v.NODE_ENV,
    host: v.HOST,
    port: v.PORT,
    logLevel: v.LOG_LEVEL,
    dataDir,
    database: databaseFrom(v.DATABASE_URL, dataDir),
    ari: { url: v.ARI_URL.replace(/\/+$/, ''), username: v.ARI_USERNAME, password: v.ARI_PASSWORD, app: v.ARI_APP, pingIntervalMs: v.ARI_PING_INTERVAL_MS },
    sip: { publicHost: v.SIP_PUBLIC_HOST, port: v.SIP_PORT, rtpStart: v.RTP_START, rtpEnd: v.RTP_END },
    auth: {
      jwtSecret: jwtSecretFor(v.JWT_SECRET, dataDir, production),
      jwtTtlSeconds: v.JWT_TTL_SECONDS,
      adminEmail: v.LEADLINE_ADMIN_EMAIL,
      adminPassword: v.LEADLINE_ADMIN_PASSWORD,
    },
    inbound: { ringTimeoutSeconds: v.INBOUND_RING_TIMEOUT_SECONDS, maxAgents: v.INBOUND_MAX_AGENTS, voicemailMaxSeconds: v.INBOUND_VOICEMAIL_MAX_SECONDS, fallbackNumber: fallbackNumber ?? null },
    dialMode: { holdExpiryMinutes: v.DIAL_MODE_HOLD_EXPIRY_MINUTES, holdSweepSeconds: v.DIAL_MODE_HOLD_SWEEP_SECONDS },
    recovery: { sweepSeconds: v.RECOVERY_SWEEP_SECONDS },
    shutdown: { graceSeconds: v.SHUTDOWN_GRACE_SECONDS },
    actionPost: { ratePerMinute: v.ACTION_POST_RATE_LIMIT, badKeyPerMinute: v.ACTION_POST_BAD_KEY_LIMIT, publicBaseUrl: (v.PUBLIC_BASE_URL ?? `http://${v.HOST}:${v.PORT}`).replace(/\/+$/, '') },
    // Unset: where this server listens, as seen from the same host (the port is only known once listening).
    prompts: { baseUrl: v.PROMPT_BASE_URL ? v.PROMPT_BASE_URL.replace(/\/+$/, '') : null },
    redis: { url: v.REDIS_URL || null },
    http: { trustProxy: v.TRUST_PROXY, corsOrigins: v.CORS_ORIGINS },
    sipBans: {
      // Unset: the bundled Asterisk's log in the data dir (scripts/asterisk.sh); '' turns bans off.
      securityLog: v.SIP_SECURITY_LOG === undefined ? join(dataDir, 'asterisk', 'log', 'security') : v.SIP_SECURITY_LOG.trim() ? resolve(v.SIP_SECURITY_LOG.trim()) : null,
      maxFailures: v.SIP_BAN_MAX_FAILURES,
      findSeconds: v.SIP_BAN_FIND_SECONDS,
      banSeconds: v.SIP_BAN_SECONDS,
      exempt: v.SIP_BAN_EXEMPT,
    },
    webhooks: {
      retry: { baseMs: v.WEBHOOK_RETRY_BASE_MS, maxDelayMs: v.WEBHOOK_RETRY_MAX_DELAY_MS, windowMs: v.WEBHOOK_RETRY_WINDOW_SECONDS * 1000 },
      logRetentionDays: v.WEBHOOK_LOG_RETENTION_DAYS,
      recordingLinkTtlSeconds: v.RECORDING_LINK_TTL_SECONDS,
    },
    provisioning: { subnets: v.PROVISIONING_SUBNETS, ratePerMinute: v.PROVISIONING_RATE_LIMIT, ntpServer: v.PROVISIONING_NTP_SERVER },
    // AMI runs on the ARI host (the same Asterisk).
    ami: v.AMI_PORT && v.AMI_PASSWORD ? { host: new URL(v.ARI_URL).hostname, port: v.AMI_PORT, username: v.AMI_USERNAME, password: v.AMI_PASSWORD } : null,
  };
}

function isAddressOrCidr(value: string): boolean {
  const [address, bits, ...rest] = value.split('/');
  const family = isIP(address);
  if (!family || rest.length) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}
