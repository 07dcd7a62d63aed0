// Reads what the SIPp phones saw, with SIPp's own timestamps: the -trace_msg message log (every SIP
// message, each after a "----- YYYY-MM-DD hh:mm:ss.uuuuuu" line in local time) and the
// -trace_logs file the bench's presser scenario writes a line to when it starts the DTMF pcap.
import { readFileSync } from 'node:fs';

/** One SIP message as SIPp logged it. */
export interface SipEvent {
  /** Wall-clock ms (epoch) when SIPp logged it (µs resolution). */
  at: number;
  direction: 'received' | 'sent';
  /** Request method; undefined for a response. */
  method?: string;
  /** User part of the request URI (`sip:<user>@host`), URL-decoded. */
  requestUser?: string;
  callId: string;
  /** The To header carries a tag (in-dialog request or retransmission inside the dialog). */
  toTagged: boolean;
}

const SEPARATOR = /^-{10,}\s+(\d{4})-(\d{2})-(\d{2})\s+(\d{2}):(\d{2}):(\d{2})\.(\d{1,6})\s*$/gm;

function localMs(y: string, mo: string, d: string, h: string, mi: string, s: string, frac: string): number {
  // SIPp formats its timestamps with localtime(); Date's multi-argument form is local time too.
  return new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)).getTime() + Number(frac.padEnd(6, '0')) / 1000;
}

function headerValue(lines: string[], names: string[]): string | undefined {
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    if (names.includes(line.slice(0, colon).trim().toLowerCase())) return line.slice(colon + 1).trim();
  }
  return undefined;
}

/** Parses a SIPp -trace_msg log. Messages it cannot read are skipped. */
export function parseMessageLog(text: string): SipEvent[] {
  const marks: { index: number; end: number; at: number }[] = [];
  for (const m of text.matchAll(SEPARATOR)) {
    marks.push({ index: m.index ?? 0, end: (m.index ?? 0) + m[0].length, at: localMs(m[1], m[2], m[3], m[4], m[5], m[6], m[7]) });
  }
  const events: SipEvent[] = [];
  marks.forEach((mark, i) => {
    const block = text.slice(mark.end, i + 1 < marks.length ? marks[i + 1].index : text.length).replace(/\r\n/g, '\n');
    const kind = /^\s*\S+ message (received|sent)[^\n]*\n/.exec(block);
    if (!kind) return;
    const message = block.slice(kind[0].length).replace(/^\n+/, '');
    const head = message.split('\n\n')[0] ?? '';
    const lines = head.split('\n');
    const startLine = (lines.shift() ?? '').trim();
    const callId = headerValue(lines, ['call-id', 'i']);
    if (!startLine || !callId) return;
    const to = headerValue(lines, ['to', 't']) ?? '';
    const event: SipEvent = { at: mark.at, direction: kind[1] === 'received' ? 'received' : 'sent', callId, toTagged: /;\s*tag=/i.test(to) };
    const request = /^([A-Z]+)\s+(\S+)\s+SIP\/2\.0$/.exec(startLine);
    if (request) {
      event.method = request[1];
      const user = /^sips?:([^@;>]+)@/.exec(request[2])?.[1];
      if (user !== undefined) {
        try {
          event.requestUser = decodeURIComponent(user);
        } catch {
          event.requestUser = user;
        }
      }
    }
    events.push(event);
  });
  return events;
}

export function readMessageLog(file: string): SipEvent[] {
  try {
    return parseMessageLog(readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
}

/** First receipt of each request per (Call-ID, method): SIPp also logs retransmissions. */
export interface ReceivedRequests {
  /** Initial INVITEs (no To tag), by Call-ID. */
  invites: Map<string, SipEvent>;
  /** CANCELs by Call-ID. */
  cancels: Map<string, SipEvent>;
  /** BYEs by Call-ID. */
  byes: Map<string, SipEvent>;
}

export function receivedRequests(events: SipEvent[]): ReceivedRequests {
  const out: ReceivedRequests = { invites: new Map(), cancels: new Map(), byes: new Map() };
  for (const e of events) {
    if (e.direction !== 'received' || !e.method) continue;
    const map = e.method === 'INVITE' && !e.toTagged ? out.invites : e.method === 'CANCEL' ? out.cancels : e.method === 'BYE' ? out.byes : undefined;
    if (map && !map.has(e.callId)) map.set(e.callId, e);
  }
  return out;
}

/** DTMF start times logged by the presser scenario (`RINGALL-DTMF <call-id> [timestamp]`), by Call-ID. */
export function readDtmfLog(file: string): Map<string, number> {
  const out = new Map<string, number>();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return out;
  }
  // SIPp's [timestamp] is "YYYY-MM-DD<TAB>hh:mm:ss.uuuuuu<TAB><epoch seconds>.<µs>".
  for (const m of text.matchAll(/RINGALL-DTMF (\S+)\s.*?(\d{9,})\.(\d{6})\s*$/gm)) {
    if (!out.has(m[1])) out.set(m[1], Number(m[2]) * 1000 + Number(m[3]) / 1000);
  }
  return out;
}

/**
 * Milliseconds from the first packet of an RFC 4733 DTMF pcap to its first end-of-event packet:
 * Asterisk reports ChannelDtmfReceived when the digit ends, so the digit counts as received that
 * long after SIPp starts playing the pcap. Undefined when the file cannot be read.
 */
export function dtmfEndOffsetMs(pcapFile: string): number | undefined {
  let buf: Buffer;
  try {
    buf = readFileSync(pcapFile);
  } catch {
    return undefined;
  }
  if (buf.length < 24) return undefined;
  const magicLe = buf.readUInt32LE(0);
  const littleEndian = magicLe === 0xa1b2c3d4 || magicLe === 0xa1b23c4d;
  const magic = littleEndian ? magicLe : buf.readUInt32BE(0);
  if (magic !== 0xa1b2c3d4 && magic !== 0xa1b23c4d) return undefined;
  const fracPerSec = magic === 0xa1b23c4d ? 1e9 : 1e6;
  const u32 = (off: number) => (littleEndian ? buf.readUInt32LE(off) : buf.readUInt32BE(off));
  const linkType = u32(20) & 0x0fffffff;
  const linkHeader: Record<number, number> = { 1: 14, 113: 16, 276: 20, 0: 4, 108: 4, 12: 0, 101: 0 };
  const ipOffset = linkHeader[linkType];
  if (ipOffset === undefined) return undefined;
  let first: number | undefined;
  for (let off = 24; off + 16 <= buf.length; ) {
    const t = u32(off) * 1000 + (u32(off + 4) / fracPerSec) * 1000;
    const len = u32(off + 8);
    const data = buf.subarray(off + 16, off + 16 + len);
    off += 16 + len;
    first ??= t;
    if (data.length < ipOffset + 20 || data[ipOffset] >> 4 !== 4 || data[ipOffset + 9] !== 17) continue;
    const rtp = ipOffset + (data[ipOffset] & 0x0f) * 4 + 8;
    // RTP v2 with a 4-byte telephone-event payload whose E bit is set.
    if (data.length >= rtp + 16 && data[rtp] >> 6 === 2 && (data[rtp + 13] & 0x80) !== 0) return t - first;
  }
  return undefined;
}
