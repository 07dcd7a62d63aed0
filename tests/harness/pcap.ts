// RTP pcap helpers for SIPp's play_pcap_audio (DTMF as RFC 4733 / 2833 events).
//
// Asterisk tells DTMF events apart by RTP timestamp (and sequence): replaying a second shipped
// dtmf_2833_N.pcap in the same call reuses the first one's sequence numbers and timestamps, so
// Asterisk takes it for a repeat of the first event and reports nothing (re-checked on Asterisk
// 22.10.1: digit 2 then the shipped digit-1 pcap gives one ChannelDtmfReceived). shiftRtpPcap() rewrites
// them; buildDtmfPcap() strings several digits into one pcap, each with fresh seq/timestamps and
// its own place in time, so one play_pcap_audio sends them all.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** Where Debian's sip-tester keeps its one-digit RFC 2833 pcaps. */
export const SIPP_PCAP_DIR = '/usr/share/sip-tester';

/** Path of Debian's pcap that sends one RFC 2833 digit: '0'..'9', '*' or '#'. */
export function dtmfPcap(digit: string): string {
  let name: string;
  if (/^[0-9]$/.test(digit)) name = digit;
  else if (digit === '*') name = 'star';
  else if (digit === '#') name = 'pound';
  else throw new Error(`dtmfPcap: unsupported DTMF digit ${JSON.stringify(digit)}`);
  return `${SIPP_PCAP_DIR}/dtmf_2833_${name}.pcap`;
}

export interface RtpShift {
  /** Added to every RTP sequence number (mod 2^16). */
  seqOffset: number;
  /** Added to every RTP timestamp (mod 2^32). */
  tsOffset: number;
  /** Added to every packet's capture time, in microseconds (SIPp replays by capture time). */
  timeOffsetUs?: number;
  /** Replace the RTP SSRC. */
  ssrc?: number;
}

interface PcapPacket {
  tsSec: number;
  tsFrac: number; // microseconds, or nanoseconds when the file is nanosecond-resolution
  data: Buffer;
  origLen: number;
}

interface PcapFile {
  littleEndian: boolean;
  nano: boolean;
  header: Buffer; // the 24-byte global header, kept as read
  linkType: number;
  packets: PcapPacket[];
}

const MAGIC_US = 0xa1b2c3d4;
const MAGIC_NS = 0xa1b23c4d;

function readPcap(path: string): PcapFile {
  const buf = readFileSync(path);
  if (buf.length < 24) throw new Error(`${path}: not a pcap file (too short)`);
  let littleEndian: boolean;
  let nano: boolean;
  const le = buf.readUInt32LE(0);
  const be = buf.readUInt32BE(0);
  if (le === MAGIC_US || le === MAGIC_NS) {
    littleEndian = true;
    nano = le === MAGIC_NS;
  } else if (be === MAGIC_US || be === MAGIC_NS) {
    littleEndian = false;
    nano = be === MAGIC_NS;
  } else {
    throw new Error(`${path}: not a libpcap file (pcapng is not supported)`);
  }
  const u32 = (off: number): number => (littleEndian ? buf.readUInt32LE(off) : buf.readUInt32BE(off));
  const linkType = u32(20) & 0x0fffffff;
  const packets: PcapPacket[] = [];
  let off = 24;
  while (off + 16 <= buf.length) {
    const tsSec = u32(off);
    const tsFrac = u32(off + 4);
    const inclLen = u32(off + 8);
    const origLen = u32(off + 12);
    off += 16;
    if (off + inclLen > buf.length) throw new Error(`${path}: truncated packet record`);
    packets.push({ tsSec, tsFrac, data: Buffer.from(buf.subarray(off, off + inclLen)), origLen });
    off += inclLen;
  }
  return { littleEndian, nano, header: Buffer.from(buf.subarray(0, 24)), linkType, packets };
}

function writePcap(path: string, file: PcapFile): void {
  const parts: Buffer[] = [file.header];
  for (const p of file.packets) {
    const rec = Buffer.alloc(16);
    const w = (v: number, off: number): void => {
      if (file.littleEndian) rec.writeUInt32LE(v >>> 0, off);
      else rec.writeUInt32BE(v >>> 0, off);
    };
    w(p.tsSec, 0);
    w(p.tsFrac, 4);
    w(p.data.length, 8);
    w(Math.max(p.origLen, p.data.length), 12);
    parts.push(rec, p.data);
  }
  writeFileSync(path, Buffer.concat(parts));
}

/** Offset of the IP header inside a link-layer frame, or -1 when the frame is not IP. */
function ipOffset(linkType: number, data: Buffer): number {
  switch (linkType) {
    case 1: {
      // Ethernet, possibly 802.1Q-tagged
      let off = 12;
      let etherType = data.readUInt16BE(off);
      while ((etherType === 0x8100 || etherType === 0x88a8) && off + 6 <= data.length) {
        off += 4;
        etherType = data.readUInt16BE(off);
      }
      return etherType === 0x0800 || etherType === 0x86dd ? off + 2 : -1;
    }
    case 113: // Linux cooked capture (SLL)
      return 16;
    case 276: // Linux cooked capture v2 (SLL2)
      return 20;
    case 0: // BSD loopback
    case 108:
      return 4;
    case 12: // raw IP
    case 101:
    case 228:
    case 229:
      return 0;
    default:
      return -1;
  }
}

interface UdpLocation {
  ipOff: number;
  v6: boolean;
  udpOff: number;
  udpLen: number;
}

function locateUdp(linkType: number, data: Buffer): UdpLocation | undefined {
  const ipOff = ipOffset(linkType, data);
  if (ipOff < 0 || ipOff >= data.length) return undefined;
  const version = data[ipOff] >> 4;
  if (version === 4) {
    const ihl = (data[ipOff] & 0x0f) * 4;
    if (data[ipOff + 9] !== 17) return undefined;
    const udpOff = ipOff + ihl;
    if (udpOff + 8 > data.length) return undefined;
    return { ipOff, v6: false, udpOff, udpLen: data.readUInt16BE(udpOff + 4) };
  }
  if (version === 6) {
    if (data[ipOff + 6] !== 17) return undefined; // no extension headers expected in RTP captures
    const udpOff = ipOff + 40;
    if (udpOff + 8 > data.length) return undefined;
    return { ipOff, v6: true, udpOff, udpLen: data.readUInt16BE(udpOff + 4) };
  }
  return undefined;
}

function onesComplementSum(buf: Buffer, start: number, end: number, initial: number): number {
  let sum = initial;
  for (let i = start; i + 1 < end; i += 2) sum += buf.readUInt16BE(i);
  if ((end - start) % 2 === 1) sum += buf[end - 1] << 8;
  return sum;
}

function fixUdpChecksum(data: Buffer, loc: UdpLocation): void {
  data.writeUInt16BE(0, loc.udpOff + 6);
  const end = Math.min(loc.udpOff + loc.udpLen, data.length);
  if (!loc.v6) return; // IPv4: 0 = "no checksum" is valid
  // IPv6 requires a checksum: pseudo-header (src, dst, length, next header) + UDP.
  let sum = onesComplementSum(data, loc.ipOff + 8, loc.ipOff + 40, 0);
  sum += loc.udpLen + 17;
  sum = onesComplementSum(data, loc.udpOff, end, sum);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  const csum = ~sum & 0xffff;
  data.writeUInt16BE(csum === 0 ? 0xffff : csum, loc.udpOff + 6);
}

function shiftPackets(file: PcapFile, shift: RtpShift): void {
  const timeUnit = file.nano ? 1_000_000_000 : 1_000_000;
  const fracOffset = (shift.timeOffsetUs ?? 0) * (file.nano ? 1000 : 1);
  for (const p of file.packets) {
    if (fracOffset !== 0) {
      const total = p.tsSec * timeUnit + p.tsFrac + fracOffset;
      p.tsSec = Math.floor(total / timeUnit);
      p.tsFrac = total - p.tsSec * timeUnit;
    }
    const loc = locateUdp(file.linkType, p.data);
    if (!loc) continue;
    const rtp = loc.udpOff + 8;
    if (rtp + 12 > p.data.length || p.data[rtp] >> 6 !== 2) continue; // not RTP v2
    p.data.writeUInt16BE((p.data.readUInt16BE(rtp + 2) + shift.seqOffset) & 0xffff, rtp + 2);
    p.data.writeUInt32BE((p.data.readUInt32BE(rtp + 4) + shift.tsOffset) >>> 0, rtp + 4);
    if (shift.ssrc !== undefined) p.data.writeUInt32BE(shift.ssrc >>> 0, rtp + 8);
    fixUdpChecksum(p.data, loc);
  }
}

/**
 * Copies a libpcap file, adding offsets to every RTP packet's sequence number and timestamp
 * (and optionally to capture times / replacing the SSRC). UDP checksums are zeroed (IPv4) or
 * recomputed (IPv6). Returns the output path.
 */
export function shiftRtpPcap(input: string, output: string, shift: RtpShift): string {
  const file = readPcap(input);
  shiftPackets(file, shift);
  writePcap(output, file);
  return output;
}

export interface DtmfSequenceOptions {
  /** Silence between the end of one digit and the start of the next (default 300 ms). */
  gapMs?: number;
  /** Sequence-number step between digits (default 1000). */
  seqStep?: number;
  /** RTP timestamp step between digits, in 8 kHz samples (default 80000 = 10 s). */
  tsStep?: number;
}

/**
 * Writes one pcap that sends `digits` (e.g. "21") one after the other: digit i gets its RTP
 * sequence numbers and timestamps shifted by i steps and is placed after the previous digit plus
 * gapMs, so Asterisk reports each one. A single digit is copied unchanged. Returns `output`.
 */
export function buildDtmfPcap(digits: string, output: string, opts: DtmfSequenceOptions = {}): string {
  if (digits.length === 0) throw new Error('buildDtmfPcap: no digits');
  const gapUs = (opts.gapMs ?? 300) * 1000;
  const seqStep = opts.seqStep ?? 1000;
  const tsStep = opts.tsStep ?? 80000;
  let combined: PcapFile | undefined;
  let lastEndUs = 0;
  for (const [i, digit] of [...digits].entries()) {
    const path = dtmfPcap(digit);
    if (!existsSync(path)) throw new Error(`buildDtmfPcap: ${path} not found (is sip-tester installed?)`);
    const file = readPcap(path);
    if (file.packets.length === 0) throw new Error(`${path}: no packets`);
    const unit = file.nano ? 1000 : 1; // fractional units per microsecond
    const toUs = (p: PcapPacket): number => p.tsSec * 1_000_000 + Math.floor(p.tsFrac / unit);
    const firstUs = toUs(file.packets[0]);
    const timeOffsetUs = i === 0 ? 0 : lastEndUs + gapUs - firstUs;
    shiftPackets(file, { seqOffset: i * seqStep, tsOffset: i * tsStep, timeOffsetUs });
    lastEndUs = toUs(file.packets[file.packets.length - 1]);
    if (!combined) {
      combined = file;
    } else {
      if (file.linkType !== combined.linkType) throw new Error('buildDtmfPcap: mixed link types');
      if (file.nano !== combined.nano) throw new Error('buildDtmfPcap: mixed time resolutions');
      combined.packets.push(...file.packets);
    }
  }
  if (!combined) throw new Error('buildDtmfPcap: nothing to write');
  writePcap(output, combined);
  return output;
}

/** RTP (seq, timestamp, payload type, capture time in µs) of each packet — for tests and debugging. */
export function readRtpPackets(path: string): Array<{ seq: number; ts: number; pt: number; timeUs: number }> {
  const file = readPcap(path);
  const unit = file.nano ? 1000 : 1;
  const out: Array<{ seq: number; ts: number; pt: number; timeUs: number }> = [];
  for (const p of file.packets) {
    const loc = locateUdp(file.linkType, p.data);
    if (!loc) continue;
    const rtp = loc.udpOff + 8;
    if (rtp + 12 > p.data.length || p.data[rtp] >> 6 !== 2) continue;
    out.push({
      seq: p.data.readUInt16BE(rtp + 2),
      ts: p.data.readUInt32BE(rtp + 4),
      pt: p.data[rtp + 1] & 0x7f,
      timeUs: p.tsSec * 1_000_000 + Math.floor(p.tsFrac / unit),
    });
  }
  return out;
}
