// The SIP side of the inbound bench: the agents' desk phones (SIPp UAS from tests/sipp: one answers,
// the rest ring until cancelled, many PJSIP endpoints per SIPp port) and the carrier (one SIPp UAC
// per call, tests/sipp/inbound-call.xml, from the trunk's address). Times are SIPp's own
// (-trace_msg, µs, wall clock), read with ../ring-all/sip-log.ts.
import { join } from 'node:path';
import { SippHandle, startSipp } from '../../tests/harness/sipp';
import { readMessageLog, receivedRequests, SipEvent } from '../ring-all/sip-log';
import type { BenchContext } from '../types';

export type AgentRole = 'answer' | 'ring';

export const ANSWER_MS = 400;

export const ROLE_DESCRIPTION: Record<AgentRole, string> = {
  answer: `phone answering ${ANSWER_MS} ms after its INVITE (\`agent-silent.xml\`)`,
  ring: 'phones ringing until cancelled (`no-answer.xml`)',
};

export interface PhonePorts {
  agents: Record<AgentRole, number>;
  agentMediaBase: number;
  /** The carrier's SIP ports (on the trunk's address), used in turn. */
  carrierPorts: number[];
  carrierMediaBase: number;
  trunkHost: string;
  /** Asterisk's SIP address. */
  asterisk: string;
}

export interface AgentPhones {
  contact(role: AgentRole): string;
  /** Initial INVITEs received by all agent phones (retransmissions removed), oldest first. */
  invites(): SipEvent[];
  stop(): Promise<void>;
}

/** tests/sipp/<name>.xml (the harness would look next to its compiled self, in dist/). */
export function scenarioFile(repoRoot: string, name: string): string {
  return join(repoRoot, 'tests', 'sipp', `${name}.xml`);
}

export async function startAgentPhones(ctx: BenchContext, traceDir: string, ports: PhonePorts): Promise<AgentPhones> {
  const handles: SippHandle[] = [];
  const stop = async () => {
    await Promise.all(handles.map((h) => h.stop()));
  };
  ctx.onCleanup(stop);
  const specs: { role: AgentRole; scenario: string; vars: Record<string, string> }[] = [
    { role: 'answer', scenario: 'agent-silent', vars: { answer_ms: String(ANSWER_MS) } },
    { role: 'ring', scenario: 'no-answer', vars: {} },
  ];
  for (const [i, s] of specs.entries()) {
    handles.push(await startSipp({ scenario: scenarioFile(ctx.repoRoot, s.scenario), port: ports.agents[s.role], mediaPort: ports.agentMediaBase + 10 * i, vars: s.vars, traceDir, name: `agent-${s.role}` }));
  }
  return {
    contact: (role) => `127.0.0.1:${ports.agents[role]}`,
    invites: () =>
      handles
        .flatMap((h) => [...receivedRequests(readMessageLog(h.messageFile)).invites.values()])
        .sort((a, b) => a.at - b.at),
    stop,
  };
}

export interface CarrierCall {
  /** SIPp's exit code: 0 = answered and ended cleanly (it hangs up `callMs` after the ACK). */
  exitCode: number;
  /** Wall-clock ms the carrier sent its INVITE (first transmission). */
  inviteAt?: number;
  messageFile: string;
}

/** One call from the carrier to `did` with `caller` in From; resolves when SIPp has exited. */
export async function placeCall(opts: { repoRoot: string; ports: PhonePorts; n: number; traceDir: string; did: string; caller: string; callMs: number; timeoutMs: number }): Promise<CarrierCall> {
  const slot = opts.n % opts.ports.carrierPorts.length;
  const handle = await startSipp({
    scenario: scenarioFile(opts.repoRoot, 'inbound-call'),
    port: opts.ports.carrierPorts[slot],
    ip: opts.ports.trunkHost,
    mediaPort: opts.ports.carrierMediaBase + 10 * slot,
    remote: opts.ports.asterisk,
    vars: { caller: opts.caller, call_ms: String(opts.callMs) },
    extraArgs: ['-m', '1', '-s', opts.did],
    traceDir: opts.traceDir,
    name: `carrier-${String(opts.n).padStart(3, '0')}`,
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), opts.timeoutMs);
  });
  const result = await Promise.race([handle.exited, timeout]);
  clearTimeout(timer);
  if (result === 'timeout') await handle.stop();
  const invite = readMessageLog(handle.messageFile).find((e) => e.direction === 'sent' && e.method === 'INVITE' && !e.toTagged);
  return { exitCode: result === 'timeout' ? -1 : result, inviteAt: invite?.at, messageFile: handle.messageFile };
}
