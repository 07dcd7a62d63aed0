// The SIP phones of the bench: SIPp UAS processes (tests/sipp scenarios, started through
// tests/harness/sipp.ts), plus the borrower behind the carrier trunk. Both targets ring the same
// ones. The agents of one round each have a phone (port) of their own, since Leadline rings a phone
// shared by two agents once. The phones come in banks: the same phone serves the agent in that place
// of every round of its bank, so no SIPp process holds more than one bank's calls (20 concurrent
// rounds by default; docs/benchmarks.md "Ring All: 100 rounds at once").
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizePhone } from '@leadline/domain';
import { SippHandle, startSipp } from '../../tests/harness/sipp';
import type { BenchContext } from '../types';
import { dtmfEndOffsetMs, readDtmfLog, readMessageLog, receivedRequests, SipEvent } from './sip-log';

/** What an agent's phone does with a ring-all call. */
export type Role = 'press' | 'ring' | 'racer' | 'silent';
export type PhoneName = Role | 'borrower';

/** What phones of each role do (plural: "2 phones …"). */
export const ROLE_DESCRIPTION: Record<Role, string> = {
  press: 'answer after 150 ms and press 1 300 ms after the ACK',
  ring: 'ring until cancelled (100 + 180, never answer)',
  racer: 'answer after 200–800 ms (uniform) and press 1 300 ms after the ACK',
  silent: 'answer after 200–800 ms (uniform) and never press',
};

/** The digit pcap the pressing scenarios play (Debian's sip-tester). */
export const DTMF_PCAP = '/usr/share/sip-tester/dtmf_2833_1.pcap';

export interface PhonePorts {
  /** Local SIP port of the first agent SIPp; the others follow it, bank by bank, role by role. */
  firstAgentPort: number;
  /** Per bank, how many SIPps of each role: the most agents of that role in one round of the bank. */
  banks: Record<Role, number>[];
  borrowerHost: string;
  borrowerPort: number;
  /** First SIPp media port (-mp); each SIPp gets mediaBase + 10 * i. */
  mediaBase: number;
}

export interface Phones {
  /** The address of the `slot`-th phone of a role in a bank (0-based, slot < banks[bank][role]). */
  contact(role: Role, slot: number, bank: number): string;
  /** How many SIPp processes answer for the agents. */
  readonly agentPhones: number;
  /** Reads every log again (SIPp appends as calls go). */
  traces(): SipTraces;
  /** Wall-clock ms of SIPp's overload-watchdog warnings (over 500 ms between its 400 ms checks: an overloaded machine), by phone. */
  stalls(): { phone: string; at: number }[];
  /** Phones whose SIPp exited before the bench stopped it: when, and with what code (128 + signal). */
  exits(): { phone: string; at: number; code: number }[];
  /** Digit received by Asterisk this long after SIPp starts the DTMF pcap (its end-of-event packet). */
  readonly dtmfEndMs: number;
  readonly traceDir: string;
  stop(): Promise<void>;
}

export interface SipTraces {
  /** Initial INVITEs (no To tag, retransmissions removed) received by each phone, oldest first. */
  invites: Record<PhoneName, SipEvent[]>;
  /** First CANCEL received per Call-ID, over all phones. */
  cancels: Map<string, SipEvent>;
  /** When the pressing phones started playing the DTMF pcap, by Call-ID. */
  dtmfStart: Map<string, number>;
}

/** agent-press.xml with one line logged (SIPp's own µs timestamp) as the DTMF pcap starts. */
function timedPressScenario(repoRoot: string, traceDir: string): string {
  const xml = readFileSync(join(repoRoot, 'tests/sipp/agent-press.xml'), 'utf8');
  const marker = /<exec play_pcap_audio="[^"]*"\s*\/>/g;
  const found = xml.match(marker) ?? [];
  if (found.length !== 1) throw new Error(`tests/sipp/agent-press.xml: expected one play_pcap_audio exec, found ${found.length}`);
  const out = join(traceDir, 'agent-press-timed.xml');
  writeFileSync(out, xml.replace(marker, (exec) => `<log message="RINGALL-DTMF [call_id] [timestamp]" />\n      ${exec.replace(/play_pcap_audio="[^"]*"/, `play_pcap_audio="${DTMF_PCAP}"`)}`));
  return out;
}

export async function startPhones(ctx: BenchContext, traceDir: string, ports: PhonePorts): Promise<Phones> {
  const dtmfEndMs = dtmfEndOffsetMs(DTMF_PCAP);
  if (dtmfEndMs === undefined) throw new Error(`cannot read the end-of-event time of ${DTMF_PCAP}`);
  const pressXml = timedPressScenario(ctx.repoRoot, traceDir);
  const scenario = (name: string) => join(ctx.repoRoot, 'tests/sipp', `${name}.xml`);
  const handles: SippHandle[] = [];
  const dtmfLogs: string[] = [];
  const files = {} as Record<PhoneName, string[]>;
  const errFiles: { phone: string; file: string }[] = [];
  const behaviour: Record<Role, { scenario: string; vars: Record<string, string>; dtmfLog: boolean }> = {
    press: { scenario: pressXml, vars: { answer_ms: '150', dtmf_ms: '300' }, dtmfLog: true },
    ring: { scenario: scenario('no-answer'), vars: {}, dtmfLog: false },
    racer: { scenario: pressXml, vars: { answer_ms: '200', answer_jitter_ms: '600', dtmf_ms: '300' }, dtmfLog: true },
    silent: { scenario: scenario('agent-silent'), vars: { answer_ms: '200', answer_jitter_ms: '600' }, dtmfLog: false },
  };
  const agentSpecs = ports.banks
    .flatMap((counts, bank) =>
      (['press', 'ring', 'racer', 'silent'] as const).flatMap((role) =>
        Array.from({ length: counts[role] }, (_, slot) => ({ key: `${role}-${slot}-${bank}`, name: bank === 0 ? `${role}-${slot}` : `${role}-${slot}-b${bank}`, role: role as PhoneName, ...behaviour[role] })),
      ),
    )
    .map((a, i) => ({ ...a, port: ports.firstAgentPort + i }));
  const agentPort = new Map(agentSpecs.map((a) => [a.key, a.port]));
  const specs: { name: string; role: PhoneName; scenario: string; port: number; ip?: string; vars: Record<string, string>; dtmfLog?: boolean }[] = [
    ...agentSpecs,
    // Answers at once and hangs up 300 ms later: the round is over and every agent free again.
    { name: 'borrower', role: 'borrower', scenario: scenario('borrower-answer'), port: ports.borrowerPort, ip: ports.borrowerHost, vars: { answer_ms: '100', talk_ms: '300' } },
  ];
  const exits: { phone: string; at: number; code: number }[] = [];
  let stopping = false;
  const stop = async () => {
    stopping = true;
    await Promise.all(handles.map((h) => h.stop()));
  };
  ctx.onCleanup(stop);
  for (const [i, spec] of specs.entries()) {
    const dtmfLog = join(traceDir, `${spec.name}.dtmf.log`);
    const handle = await startSipp({
      scenario: spec.scenario,
      port: spec.port,
      ip: spec.ip,
      mediaPort: ports.mediaBase + 10 * i,
      vars: spec.vars,
      traceDir,
      name: spec.name,
      extraArgs: spec.dtmfLog ? ['-trace_logs', '-log_file', dtmfLog] : [],
    });
    handles.push(handle);
    void handle.exited.then((code) => {
      if (!stopping) exits.push({ phone: spec.name, at: Date.now(), code });
    });
    (files[spec.role] ??= []).push(handle.messageFile);
    errFiles.push({ phone: spec.name, file: join(traceDir, `${spec.name}.err.log`) });
    if (spec.dtmfLog) dtmfLogs.push(dtmfLog);
  }

  return {
    contact: (role, slot, bank) => {
      const port = agentPort.get(`${role}-${slot}-${bank}`);
      if (port === undefined) throw new Error(`no ${role} phone #${slot} in bank ${bank} (${ports.banks[bank]?.[role] ?? 0} started there)`);
      return `127.0.0.1:${port}`;
    },
    agentPhones: agentSpecs.length,
    dtmfEndMs,
    traceDir,
    stop,
    exits: () => [...exits],
    stalls() {
      const out: { phone: string; at: number }[] = [];
      for (const { phone, file } of errFiles) {
        let text = '';
        try {
          text = readFileSync(file, 'utf8');
        } catch {
          continue;
        }
        // "<date>\t<time>\t<epoch s>.<µs>: Overload warning: the minor watchdog timer 500ms has been tripped …"
        for (const m of text.matchAll(/(\d{9,})\.(\d{6}):[^\n]*watchdog/g)) out.push({ phone, at: Number(m[1]) * 1000 + Number(m[2]) / 1000 });
      }
      return out;
    },
    traces() {
      const invites = {} as Record<PhoneName, SipEvent[]>;
      const cancels = new Map<string, SipEvent>();
      for (const name of Object.keys(files) as PhoneName[]) {
        invites[name] = [];
        for (const file of files[name]) {
          const received = receivedRequests(readMessageLog(file));
          invites[name].push(...received.invites.values());
          for (const [callId, e] of received.cancels) if (!cancels.has(callId)) cancels.set(callId, e);
        }
        invites[name].sort((a, b) => a.at - b.at);
      }
      const dtmfStart = new Map<string, number>();
      for (const file of dtmfLogs) for (const [callId, at] of readDtmfLog(file)) dtmfStart.set(callId, at);
      return { invites, cancels, dtmfStart };
    },
  };
}

/** Distinct valid US mobile numbers (+1 737 NXX XXXX), each checked with the server's own normaliser. */
export class BorrowerPhones {
  private n = 0;

  next(): string {
    for (;;) {
      const i = this.n++;
      const exchange = 201 + Math.floor(i / 10_000);
      if (exchange > 999) throw new Error('BorrowerPhones ran out of numbers');
      const phone = `+1737${exchange}${String(i % 10_000).padStart(4, '0')}`;
      if (exchange % 100 !== 11 && exchange !== 555 && normalizePhone(phone) === phone) return phone;
    }
  }
}
