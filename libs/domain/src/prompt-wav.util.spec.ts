import { checkPromptWav, PROMPT_WAV_MAX_BYTES } from './prompt-wav.util';

/** A WAV file: the fmt fields given, `seconds` of 16-bit samples (or `dataBytes` claimed). */
function wav(o: { format?: number; channels?: number; rate?: number; bits?: number; seconds?: number; claimBytes?: number; riff?: string; noFmt?: boolean; extra?: boolean } = {}): Uint8Array {
  const { format = 1, channels = 1, rate = 8000, bits = 16, seconds = 3 } = o;
  const data = Buffer.alloc(Math.round(seconds * rate * channels * (bits / 8)));
  const fmt = Buffer.alloc(24);
  fmt.write('fmt ', 0, 'ascii');
  fmt.writeUInt32LE(16, 4);
  fmt.writeUInt16LE(format, 8);
  fmt.writeUInt16LE(channels, 10);
  fmt.writeUInt32LE(rate, 12);
  fmt.writeUInt32LE((rate * channels * bits) / 8, 16);
  fmt.writeUInt16LE((channels * bits) / 8, 20);
  fmt.writeUInt16LE(bits, 22);
  const list = Buffer.from('LIST\x04\x00\x00\x00INFO', 'latin1');
  const dataHeader = Buffer.alloc(8);
  dataHeader.write('data', 0, 'ascii');
  dataHeader.writeUInt32LE(o.claimBytes ?? data.length, 4);
  const head = Buffer.alloc(12);
  head.write(o.riff ?? 'RIFF', 0, 'ascii');
  head.write('WAVE', 8, 'ascii');
  const body = Buffer.concat([head, ...(o.extra ? [list] : []), ...(o.noFmt ? [] : [fmt]), dataHeader, data]);
  body.writeUInt32LE(body.length - 8, 4);
  return new Uint8Array(body);
}

describe('checkPromptWav', () => {
  it.each([
    ['8 kHz mono 16-bit PCM, 3 s', wav(), 3],
    ['with a LIST chunk before fmt', wav({ extra: true, seconds: 4.5 }), 4.5],
    ['WAVE_FORMAT_EXTENSIBLE', wav({ format: 0xfffe, seconds: 1 }), 1],
    ['30 s, the longest', wav({ seconds: 30 }), 30],
  ])('accepts %s', (_, file, seconds) => {
    expect(checkPromptWav(file)).toEqual({ ok: true, seconds });
  });

  it.each([
    ['an MP3 / text / anything else', new Uint8Array(Buffer.from('ID3\x03 not a wav at all')), /not a WAV file/],
    ['an empty file', new Uint8Array(0), /not a WAV file/],
    ['RIFX (big-endian)', wav({ riff: 'RIFX' }), /not a WAV file/],
    ['44.1 kHz', wav({ rate: 44100, seconds: 2 }), /44100 Hz, not 8000 Hz/],
    ['stereo', wav({ channels: 2 }), /2 channels, not 1/],
    ['8-bit', wav({ bits: 8 }), /8-bit, not 16-bit/],
    ['µ-law', wav({ format: 7, bits: 8 }), /compressed \(WAV format 7\)/],
    ['no fmt chunk', wav({ noFmt: true }), /no format chunk/],
    ['a cut-off download', wav({ claimBytes: 48000 * 2 }), /cut short/],
    ['half a second', wav({ seconds: 0.5 }), /lasts 0\.5 s; it must last 1 to 30 s/],
    ['31 s', wav({ seconds: 31 }), /lasts 31\.0 s/],
    ['over 1 MB', new Uint8Array(PROMPT_WAV_MAX_BYTES + 1), /larger than 1048576 bytes/],
  ])('refuses %s, saying why', (_, file, message) => {
    const check = checkPromptWav(file);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.message).toMatch(message);
  });
});
