// What a test phone hears, measured on the wire: a UDP socket of the test's own that a SIPp
// scenario advertises as its RTP address (startSipp({ rtpSinkPort })), so every RTP packet Asterisk
// sends that phone lands here. We decode the G.711 µ-law payload and measure its loudness: music on
// hold, a prompt or a person talking is loud; the silence Asterisk sends an idle leg (µ-law 0xFF /
// 0x7F) is not. Why not tshark or SIPp's own RTP statistics: a capture needs privileges and a
// Debian package, and SIPp counts packets (silence included), which could not tell music from a
// silent line.
import { createSocket, Socket } from 'node:dgram';

export interface RtpPacket {
  at: number;
  payloadType: number;
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
  close(): Promise<void>;
}

/** Default loudness above which a 20 ms packet counts as "something to hear". */
export const AUDIBLE_LEVEL = 200;

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
  socket.on('message', (msg) => {
    if (msg.length < 12 || msg[0] >> 6 !== 2) return;
    const csrc = msg[0] & 0x0f;
    const extension = (msg[0] & 0x10) !== 0;
    let offset = 12 + csrc * 4;
    if (extension && msg.length >= offset + 4) offset += 4 + msg.readUInt16BE(offset + 2) * 4;
    const payloadType = msg[1] & 0x7f;
    packets.push({ at: Date.now(), payloadType, level: payloadType === 0 ? levelOf(msg.subarray(offset)) : 0 });
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
        close: () => new Promise((r) => socket.close(() => r())),
      });
    });
  });
}
