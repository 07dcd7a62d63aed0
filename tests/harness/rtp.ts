// What a test phone hears, measured on the wire: a UDP socket of the test's own that a SIPp
// scenario advertises as its RTP address (startSipp({ rtpSinkPort })), so every RTP packet Asterisk
// sends that phone lands here. We decode the G.711 µ-law payload and measure its loudness: music on
// hold, a prompt or a person talking is loud; the silence Asterisk sends an idle leg (µ-law 0xFF /
// 0x7F) is not. Why not tshark or SIPp's own RTP statistics: a capture needs privileges and a
// Debian package, and SIPp counts packets (silence included), which could not tell music from a
// silent line.
import { createSocket, Socket } from 'node:dgram';

export interface RtpPacket {
  /** When the test process read it (ms epoch): late and bunched when that process was busy. */
  at: number;
  payloadType: number;
  /** The sender's RTP timestamp (8000 per second for PCMU) and stream: Asterisk's own clock. */
  timestamp: number;
  ssrc: number;
  /** Mean absolute amplitude of the decoded 16-bit samples (0 = digital silence, ~8000 = loud). */
  level: number;
}

export interface RtpSink {
  readonly port: number;
  /** Every RTP packet received so far. */
  readonly packets: RtpPacket[];
  /** Packets since `from` (ms epoch) louder than `minLevel`. */
  audibleSince(from: number, minLevel?: number): number;
  /** Packets since `from`, loud or not. */
  countSince(from: number): number;
  /**
   * The phone talks: a loud 440 Hz tone, one 20 ms PCMU packet every 20 ms for `ms`, sent from
   * this socket to where Asterisk's RTP for this phone comes from (Asterisk's rtp_symmetric locks
   * onto the address the phone sends from, so it must be the sink's own). Waits for Asterisk's
   * first packet to learn the address.
   */
  talk(ms: number): Promise<void>;
  close(): Promise<void>;
}

/** Default loudness above which a 20 ms packet counts as "something to hear". */
export const AUDIBLE_LEVEL = 200;

/**
 * How long the sender played from the first to the last of `packets` (ms), by its RTP timestamps,
 * not by when they arrived: a test process that was busy for a second reads a second of packets at
 * once. All must be one PCMU stream (one SSRC), such as one prompt.
 */
export function rtpSpanMs(packets: readonly RtpPacket[]): number {
  if (packets.length === 0) return 0;
  const first = packets[0];
  const last = packets[packets.length - 1];
  const streams = new Set(packets.map((p) => p.ssrc));
  if (streams.size !== 1) throw new Error(`rtpSpanMs: ${streams.size} RTP streams (SSRCs), expected one`);
  return ((last.timestamp - first.timestamp) >>> 0) / 8;
}

/** G.711 µ-law byte → 16-bit linear sample (ITU-T G.711). */
export function ulawToLinear(byte: number): number {
  const u = ~byte & 0xff;
  const sign = u & 0x80;
  const exponent = (u >> 4) & 0x07;
  const mantissa = u & 0x0f;
  const magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
  return sign ? -magnitude : magnitude;
}

function levelOf(payload: Buffer): number {
  if (!payload.length) return 0;
  let sum = 0;
  for (const b of payload) sum += Math.abs(ulawToLinear(b));
  return sum / payload.length;
}

/**
 * Listens on `host`:`port` for RTP (PCMU, payload type 0; other payload types are kept at level 0).
 * `host` is the media address of the SIPp that advertises the sink (the carrier's is IT_TRUNK_HOST).
 */
export function startRtpSink(port: number, host = '127.0.0.1'): Promise<RtpSink> {
  const socket: Socket = createSocket('udp4');
  const packets: RtpPacket[] = [];
  let remote: { address: string; port: number } | null = null;
  const stream = rtpStream();
  socket.on('message', (msg, rinfo) => {
    remote = { address: rinfo.address, port: rinfo.port };
    if (msg.length < 12 || msg[0] >> 6 !== 2) return;
    const csrc = msg[0] & 0x0f;
    const extension = (msg[0] & 0x10) !== 0;
    let offset = 12 + csrc * 4;
    if (extension && msg.length >= offset + 4) offset += 4 + msg.readUInt16BE(offset + 2) * 4;
    const payloadType = msg[1] & 0x7f;
    packets.push({ at: Date.now(), payloadType, timestamp: msg.readUInt32BE(4), ssrc: msg.readUInt32BE(8), level: payloadType === 0 ? levelOf(msg.subarray(offset)) : 0 });
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      resolve({
        port,
        packets,
        audibleSince: (from, minLevel = AUDIBLE_LEVEL) => packets.filter((p) => p.at >= from && p.level > minLevel).length,
        countSince: (from) => packets.filter((p) => p.at >= from).length,
        talk: (ms) => talk(socket, stream, () => remote, ms),
        close: () => new Promise((r) => socket.close(() => r())),
      });
    });
  });
}

/** 16-bit linear sample → G.711 µ-law byte (ITU-T G.711). */
export function linearToUlaw(sample: number): number {
  const BIAS = 0x84;
  const sign = sample < 0 ? 0x80 : 0;
  const magnitude = Math.min(Math.abs(sample), 32635) + BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (magnitude & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (magnitude >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

/**
 * One RTP stream per phone, as a real phone sends it: the same SSRC throughout, sequence numbers
 * that follow on, timestamps that follow the wall clock across pauses, and the marker bit at the
 * start of each talkspurt (a new SSRC or a jump without the marker makes Asterisk drop audio for a
 * while).
 */
function rtpStream(): { packet(payload: Buffer, first: boolean): Buffer } {
  const ssrc = Math.floor(Math.random() * 0xffffffff);
  const t0 = Date.now();
  const ts0 = Math.floor(Math.random() * 0x7fffffff);
  let seq = Math.floor(Math.random() * 0xffff);
  let lastTs = -1;
  return {
    packet(payload, first) {
      // 8 samples a millisecond, on 20 ms boundaries, never going back.
      let ts = Math.floor(((Date.now() - t0) * 8) / 160) * 160;
      if (ts <= lastTs) ts = lastTs + 160;
      lastTs = ts;
      const header = Buffer.alloc(12);
      header[0] = 0x80;
      header[1] = first ? 0x80 : 0; // marker + PCMU (0)
      header.writeUInt16BE(seq++ & 0xffff, 2);
      header.writeUInt32BE((ts0 + ts) % 0x100000000, 4);
      header.writeUInt32BE(ssrc >>> 0, 8);
      return Buffer.concat([header, payload]);
    },
  };
}

async function talk(socket: Socket, stream: ReturnType<typeof rtpStream>, remote: () => { address: string; port: number } | null, ms: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!remote() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const to = remote();
  if (!to) throw new Error('no RTP from Asterisk yet: nowhere to talk to');
  const started = Date.now();
  for (let n = 0; Date.now() - started < ms; n++) {
    const payload = Buffer.alloc(160);
    for (let i = 0; i < 160; i++) payload[i] = linearToUlaw(Math.round(12000 * Math.sin((2 * Math.PI * 440 * (n * 160 + i)) / 8000)));
    socket.send(stream.packet(payload, n === 0), to.port, to.address);
    // Paced against the clock, so a late timer does not stretch the talk.
    const next = started + (n + 1) * 20;
    await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
  }
}
