// What Asterisk wrote: the length of a recording, read from the WAV file itself.
import { readFileSync } from 'node:fs';

/** Seconds of audio in a WAV file (its data chunk's size over its byte rate). */
export function wavSeconds(file: string): number {
  const buf = readFileSync(file);
  const byteRate = buf.readUInt32LE(28);
  for (let offset = 12; offset + 8 <= buf.length; ) {
    const id = buf.toString('ascii', offset, offset + 4);
    const size = buf.readUInt32LE(offset + 4);
    if (id === 'data') return size / byteRate;
    offset += 8 + size + (size % 2);
  }
  throw new Error(`${file} has no data chunk`);
}
