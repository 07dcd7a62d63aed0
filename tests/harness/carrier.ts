// The test carrier placing a call into Leadline: a borrower calling one of its numbers.
import { IT_PORTS, IT_TRUNK_HOST } from './it-env';
import { SippHandle, startSipp } from './sipp';

/**
 * The carrier calls `did` (Leadline's inbound number) from `caller` over the trunk, and hangs up
 * `callMs` after the answer: a borrower calling in. `port` is the carrier's own SIP port;
 * `rtpSinkPort` points its media at a test's RTP sink (what the caller hears).
 */
export function carrierCall(opts: { caller: string; did: string; port: number; callMs: number; traceDir: string; name: string; rtpSinkPort?: number }): Promise<SippHandle> {
  return startSipp({
    scenario: 'inbound-call',
    port: opts.port,
    ip: IT_TRUNK_HOST,
    remote: `127.0.0.1:${IT_PORTS.sip}`,
    vars: { caller: opts.caller, call_ms: String(opts.callMs) },
    extraArgs: ['-m', '1', '-s', opts.did],
    traceDir: opts.traceDir,
    name: opts.name,
    rtpSinkPort: opts.rtpSinkPort,
  });
}

/** How many BYEs Asterisk sent the carrier (the borrower's side hung up by Leadline) on the call it answered to `borrower`. */
export async function byesToBorrower(carrier: SippHandle, borrower: string): Promise<number> {
  const dialog = (await carrier.receivedInvites()).find((i) => i.requestUri.includes(borrower))?.callId;
  return (await carrier.receivedRequests('BYE')).filter((m) => m.headers.get('call-id')?.[0] === dialog).length;
}
