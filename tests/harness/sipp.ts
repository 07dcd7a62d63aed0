// Runs SIPp (Debian's sip-tester 3.6.1) scenarios from tests/sipp as child processes and reads
// back what they received (-trace_msg), e.g. the From / P-Asserted-Identity of INVITEs.
import { spawn } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import { existsSync, mkdirSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';

import { buildDtmfPcap } from './pcap';

/** Folder of the committed scenarios. */
export const SIPP_SCENARIO_DIR = path.resolve(__dirname, '..', 'sipp');

export interface SippOptions {
  /** A file name in tests/sipp (e.g. "agent-press.xml" or "agent-press") or an absolute path. */
  scenario: string;
  /** Local SIP port (-p). UAS scenarios listen on it. */
  port: number;
  /**
   * Local RTP base port (-mp). SIPp binds mediaPort and mediaPort + 2; SDP offers
   * [auto_media_port] = mediaPort + 4 * (call - 1), which can climb thousands of ports above it, so
   * keep the base low. Default 30000 + (port % 2499) * 4 (30000-39996), so SIPps on neighbouring
   * SIP ports never collide.
   */
  mediaPort?: number;
  /** Local address for SIP and media (-i, -mi). Default 127.0.0.1. */
  ip?: string;
  /**
   * Scenario globals, passed as `-set name value` (see each scenario's header comment).
   * Special: `dtmf_pcap` (a pcap path) replaces the scenario's play_pcap_audio file; SIPp 3.6.1
   * cannot take that path from a variable, so the harness runs a rewritten copy of the scenario.
   */
  vars?: Record<string, string>;
  /** DTMF digits to send instead of the scenario's "1" (e.g. "21"); builds a pcap (see pcap.ts). */
  dtmf?: string;
  /**
   * Advertise this local UDP port as the phone's RTP address in the scenario's SDP (instead of
   * [auto_media_port]): a test's RtpSink there receives what Asterisk sends the phone (rtp.ts).
   */
  rtpSinkPort?: number;
  /** host:port to send to: makes SIPp a UAC (e.g. phone-register.xml). Omit for UAS scenarios. */
  remote?: string;
  /** More SIPp arguments, e.g. ['-m', '1', '-s', 'phone-1', '-au', 'phone-1', '-ap', 'secret']. */
  extraArgs?: string[];
  /** Where the message log, error log, screen dump and scenario copies go (created if needed). */
  traceDir: string;
  /** Name used for the files in traceDir. Default: "<scenario>-<port>". */
  name?: string;
  /** How long to wait for SIPp to bind its SIP port. Default 5000 ms. */
  readyTimeoutMs?: number;
  /** SIPp binary. Default "sipp" (PATH). */
  sippBin?: string;
}

export interface SipMessage {
  direction: 'received' | 'sent';
  /** First line: request line or status line. */
  startLine: string;
  /** Request method, or undefined for a response. */
  method?: string;
  /** Request URI, or undefined for a response. */
  requestUri?: string;
  /** Status code, or undefined for a request. */
  status?: number;
  /** Header values by lower-case full name (compact forms expanded); repeated headers in order. */
  headers: Map<string, string[]>;
  body: string;
  raw: string;
}

export interface ReceivedInvite {
  from: string;
  pai?: string;
  to: string;
  callId: string;
  requestUri: string;
}

export interface SippHandle {
  readonly pid: number;
  readonly port: number;
  readonly mediaPort: number;
  /** The -trace_msg log file. */
  readonly messageFile: string;
  /** Resolves with SIPp's exit code (128 + signal number when killed by a signal). Never rejects. */
  readonly exited: Promise<number>;
  /**
   * Waits for SIPp to end and throws unless it exited 0 (every call of the scenario succeeded). The
   * error says how it ended (code or signal), with its stderr, its error log and the last SIP
   * messages it sent and received: enough to tell a scenario's failure from SIPp's own crash.
   */
  cleanExit(): Promise<void>;
  /** SIGTERM (SIGKILL after 3 s); resolves with the exit code. Safe to call more than once. */
  stop(): Promise<number>;
  /** The -trace_msg log so far. */
  messages(): Promise<string>;
  /** Every SIP message in the log, in order (retransmissions included). */
  parsedMessages(): Promise<SipMessage[]>;
  /** Received requests (retransmissions removed), optionally only one method. */
  receivedRequests(method?: string): Promise<SipMessage[]>;
  /** Initial INVITEs received (no To tag; retransmissions removed), oldest first. */
  receivedInvites(): Promise<ReceivedInvite[]>;
  /** What SIPp wrote to stderr so far (last 16 kB). */
  stderr(): string;
}

const running = new Set<SippHandle>();

/** Stops every SIPp started by this process (for afterAll hooks). */
export async function stopAllSipp(): Promise<void> {
  await Promise.all([...running].map((h) => h.stop()));
}

function resolveScenario(scenario: string): string {
  if (path.isAbsolute(scenario)) return scenario;
  const file = scenario.endsWith('.xml') ? scenario : `${scenario}.xml`;
  return path.join(SIPP_SCENARIO_DIR, file);
}

function xmlAttr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** Socket inodes bound to a local UDP port (IPv4 and IPv6), from /proc/net/udp{,6}. */
function udpInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const file of ['/proc/net/udp', '/proc/net/udp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10) continue;
      const local = cols[1] ?? '';
      if (local.endsWith(`:${hexPort}`)) inodes.add(cols[9] ?? '');
    }
  }
  return inodes;
}

/** True when process `pid` owns a UDP socket bound to `port`. */
function ownsUdpPort(pid: number, port: number): boolean {
  const inodes = udpInodes(port);
  if (inodes.size === 0) return false;
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m && inodes.has(m[1] ?? '')) return true;
    } catch {
      // fd closed meanwhile
    }
  }
  return false;
}

const COMPACT: Record<string, string> = {
  f: 'from',
  t: 'to',
  i: 'call-id',
  m: 'contact',
  v: 'via',
  l: 'content-length',
  c: 'content-type',
  k: 'supported',
  s: 'subject',
  e: 'content-encoding',
};

function parseSipMessage(direction: 'received' | 'sent', raw: string): SipMessage | undefined {
  const text = raw.replace(/\r\n/g, '\n');
  const split = text.indexOf('\n\n');
  const head = split >= 0 ? text.slice(0, split) : text;
  const body = split >= 0 ? text.slice(split + 2) : '';
  const lines = head.split('\n');
  const startLine = (lines.shift() ?? '').trim();
  if (!startLine) return undefined;
  const headers = new Map<string, string[]>();
  let last: string | undefined;
  for (const line of lines) {
    if (/^[ \t]/.test(line) && last) {
      // folded continuation line
      const values = headers.get(last);
      if (values && values.length > 0) values[values.length - 1] += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    let name = line.slice(0, colon).trim().toLowerCase();
    name = COMPACT[name] ?? name;
    const value = line.slice(colon + 1).trim();
    const list = headers.get(name) ?? [];
    list.push(value);
    headers.set(name, list);
    last = name;
  }
  const status = /^SIP\/2\.0\s+(\d{3})/.exec(startLine);
  if (status) {
    return { direction, startLine, status: Number(status[1]), headers, body, raw };
  }
  const req = /^([A-Z]+)\s+(\S+)\s+SIP\/2\.0$/.exec(startLine);
  if (!req) return undefined;
  return { direction, startLine, method: req[1], requestUri: req[2], headers, body, raw };
}

/** Splits a SIPp -trace_msg log into SIP messages. */
export function parseSippMessageLog(log: string): SipMessage[] {
  const out: SipMessage[] = [];
  // Each entry: a "-----...----- <date>" line, then "UDP message received [n] bytes :" or
  // "UDP message sent (n bytes):", a blank line, and the message.
  const blocks = log.split(/^-{20,}.*$/m);
  for (const block of blocks) {
    const m = /^\s*\S+ message (received|sent)[^\n]*\n\n?([\s\S]*)$/.exec(block);
    if (!m) continue;
    const raw = (m[2] ?? '').replace(/\s+$/, '');
    const msg = parseSipMessage(m[1] === 'received' ? 'received' : 'sent', raw);
    if (msg) out.push(msg);
  }
  return out;
}

function header(msg: SipMessage, name: string): string | undefined {
  return msg.headers.get(name)?.[0];
}

function dedupeRequests(msgs: SipMessage[]): SipMessage[] {
  const seen = new Set<string>();
  const out: SipMessage[] = [];
  for (const m of msgs) {
    const key = `${header(m, 'call-id') ?? ''}|${header(m, 'cseq') ?? ''}|${m.method ?? ''}|${header(m, 'via') ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(m);
  }
  return out;
}

/** Starts SIPp and resolves once it owns its SIP port (UAS) or has bound it / finished (UAC). */
export async function startSipp(opts: SippOptions): Promise<SippHandle> {
  const ip = opts.ip ?? '127.0.0.1';
  const mediaPort = opts.mediaPort ?? 30000 + (opts.port % 2499) * 4;
  const scenarioPath = resolveScenario(opts.scenario);
  if (!existsSync(scenarioPath)) throw new Error(`SIPp scenario not found: ${scenarioPath}`);
  mkdirSync(opts.traceDir, { recursive: true });
  const name = opts.name ?? `${path.basename(scenarioPath, '.xml')}-${opts.port}`;
  const messageFile = path.join(opts.traceDir, `${name}.msg.log`);
  const errorFile = path.join(opts.traceDir, `${name}.err.log`);
  const screenFile = path.join(opts.traceDir, `${name}.screen.log`);

  const vars = { ...(opts.vars ?? {}) };
  let pcap = vars['dtmf_pcap'];
  delete vars['dtmf_pcap'];
  if (opts.dtmf !== undefined) {
    pcap = buildDtmfPcap(opts.dtmf, path.join(opts.traceDir, `${name}.dtmf.pcap`));
  }
  let scenarioToRun = scenarioPath;
  if (pcap !== undefined || opts.rtpSinkPort !== undefined) {
    let xml = readFileSync(scenarioPath, 'utf8');
    if (pcap !== undefined) {
      if (!/play_pcap_audio="[^"]*"/.test(xml)) throw new Error(`${scenarioPath} has no play_pcap_audio to replace (dtmf / dtmf_pcap given)`);
      xml = xml.replace(/play_pcap_audio="[^"]*"/g, `play_pcap_audio="${xmlAttr(pcap)}"`);
    }
    if (opts.rtpSinkPort !== undefined) {
      if (!xml.includes('[auto_media_port]')) throw new Error(`${scenarioPath} has no [auto_media_port] to point at the RTP sink`);
      xml = xml.replace(/\[auto_media_port\]/g, String(opts.rtpSinkPort));
    }
    scenarioToRun = path.join(opts.traceDir, `${name}.scenario.xml`);
    writeFileSync(scenarioToRun, xml);
  }

  const args: string[] = [];
  if (opts.remote) args.push(opts.remote);
  args.push(
    '-sf', scenarioToRun,
    '-i', ip,
    '-p', String(opts.port),
    '-mi', ip,
    '-mp', String(mediaPort),
    '-nostdin',
    '-trace_msg', '-message_file', messageFile,
    '-trace_err', '-error_file', errorFile,
    '-trace_screen', '-screen_file', screenFile,
  );
  for (const [k, v] of Object.entries(vars)) args.push('-set', k, v);
  args.push(...(opts.extraArgs ?? []));

  const child = spawn(opts.sippBin ?? 'sipp', args, {
    cwd: opts.traceDir,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderrText = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderrText = (stderrText + chunk).slice(-16384);
  });

  let exitCode: number | undefined;
  const exited = new Promise<number>((resolve) => {
    child.once('error', (err) => {
      stderrText += `\n${err.message}`;
      exitCode = 127;
      resolve(127);
    });
    child.once('exit', (code, signal) => {
      exitCode = code ?? 128 + (signal ? (osConstants.signals[signal] ?? 0) : 0);
      resolve(exitCode);
    });
  });

  let stopping: Promise<number> | undefined;
  const handle: SippHandle = {
    get pid() {
      return child.pid ?? -1;
    },
    port: opts.port,
    mediaPort,
    messageFile,
    exited,
    stop() {
      if (!stopping) {
        stopping = (async () => {
          if (exitCode === undefined) {
            child.kill('SIGTERM');
            const timer = setTimeout(() => {
              if (exitCode === undefined) child.kill('SIGKILL');
            }, 3000);
            await exited;
            clearTimeout(timer);
          }
          running.delete(handle);
          return exited;
        })();
      }
      return stopping;
    },
    async cleanExit() {
      const code = await exited;
      if (code === 0) return;
      const how = code > 128 ? `was killed by signal ${code - 128}${code === 139 ? ' (SIGSEGV: SIPp crashed)' : ''}` : `exited with ${code}`;
      const last = (await handle.parsedMessages()).slice(-6).map((m) => `  ${m.direction === 'sent' ? '>>' : '<<'} ${m.startLine}  [${header(m, 'cseq') ?? ''}]`);
      let errors = '';
      try {
        errors = (await readFile(errorFile, 'utf8')).trim().slice(-1500);
      } catch {
        // no error log: SIPp reported no scenario error
      }
      throw new Error(
        [`SIPp ${name} (${path.basename(scenarioPath)}) ${how}`, `last SIP messages:`, ...last, `stderr: ${stderrText.trim().slice(-1500) || '(none)'}`, `error log: ${errors || '(none)'}`].join('\n'),
      );
    },
    async messages() {
      try {
        return await readFile(messageFile, 'utf8');
      } catch {
        return '';
      }
    },
    async parsedMessages() {
      return parseSippMessageLog(await handle.messages());
    },
    async receivedRequests(method?: string) {
      const msgs = (await handle.parsedMessages()).filter(
        (m) => m.direction === 'received' && m.method !== undefined && (!method || m.method === method.toUpperCase()),
      );
      return dedupeRequests(msgs);
    },
    async receivedInvites() {
      const invites = (await handle.receivedRequests('INVITE')).filter((m) => !/;\s*tag=/i.test(header(m, 'to') ?? ''));
      const seen = new Set<string>();
      const out: ReceivedInvite[] = [];
      for (const m of invites) {
        const callId = header(m, 'call-id') ?? '';
        if (seen.has(callId)) continue;
        seen.add(callId);
        const pai = header(m, 'p-asserted-identity');
        out.push({
          from: header(m, 'from') ?? '',
          ...(pai !== undefined ? { pai } : {}),
          to: header(m, 'to') ?? '',
          callId,
          requestUri: m.requestUri ?? '',
        });
      }
      return out;
    },
    stderr() {
      return stderrText;
    },
  };
  running.add(handle);

  const deadline = Date.now() + (opts.readyTimeoutMs ?? 5000);
  for (;;) {
    if (exitCode !== undefined) {
      if (opts.remote) return handle; // a UAC may finish before we look; `exited` has its result
      running.delete(handle);
      throw new Error(
        `SIPp (${path.basename(scenarioPath)} on ${ip}:${opts.port}) exited with ${exitCode} before listening: ${stderrText.trim().slice(-2000)}`,
      );
    }
    if (child.pid !== undefined && ownsUdpPort(child.pid, opts.port)) return handle;
    if (Date.now() > deadline) {
      await handle.stop();
      throw new Error(
        `SIPp (${path.basename(scenarioPath)}) did not bind ${ip}:${opts.port} within ${opts.readyTimeoutMs ?? 5000} ms: ${stderrText.trim().slice(-2000)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Parses a name-addr header value (`"Name" <sip:user@host>;tag=x`) into its parts. */
export function parseNameAddr(value: string): { display?: string; uri: string; user?: string; params: string } {
  const m = /^\s*(?:"((?:[^"\\]|\\.)*)"|([^<"]*?))?\s*<([^>]*)>(.*)$/.exec(value);
  let display: string | undefined;
  let uri: string;
  let params: string;
  if (m) {
    const d = (m[1] ?? m[2] ?? '').trim();
    display = d.length > 0 ? d : undefined;
    uri = m[3] ?? '';
    params = (m[4] ?? '').trim();
  } else {
    const semi = value.indexOf(';');
    uri = (semi >= 0 ? value.slice(0, semi) : value).trim();
    params = semi >= 0 ? value.slice(semi) : '';
  }
  const user = /^(?:sips?|tel):([^@;]+)@?/.exec(uri)?.[1];
  return { ...(display !== undefined ? { display } : {}), uri, ...(user !== undefined ? { user } : {}), params };
}
