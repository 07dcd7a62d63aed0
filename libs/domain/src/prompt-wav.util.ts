// What an uploaded voice prompt must be for Asterisk to play it as is: a RIFF/WAVE file of 16-bit
// signed PCM, mono, 8 kHz — the format of our own prompts (scripts/gen-prompts.sh), read natively
// by Asterisk's format_wav. Checked, not converted: the server holds no audio tools.

export const PROMPT_WAV_MAX_BYTES = 1024 * 1024;
export const PROMPT_MIN_SECONDS = 1;
export const PROMPT_MAX_SECONDS = 30;

export type PromptWavCheck = { ok: true; seconds: number } | { ok: false; message: string };

const HOW = 'export it as WAV, 8 kHz, mono, 16-bit PCM (e.g. sox in.wav -r 8000 -c 1 -b 16 -e signed-integer out.wav)';

export function checkPromptWav(bytes: Uint8Array): PromptWavCheck {
  const refuse = (why: string): PromptWavCheck => ({ ok: false, message: `${why}: ${HOW}` });
  if (bytes.length > PROMPT_WAV_MAX_BYTES) return { ok: false, message: `the file is larger than ${PROMPT_WAV_MAX_BYTES} bytes` };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') return refuse('not a WAV file (no RIFF/WAVE header)');
  let format: { audioFormat: number; channels: number; rate: number; bits: number } | null = null;
  for (let at = 12; at + 8 <= bytes.length; ) {
    const id = tag(at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length) return refuse('the WAV format chunk is cut short');
      format = { audioFormat: view.getUint16(body, true), channels: view.getUint16(body + 2, true), rate: view.getUint32(body + 4, true), bits: view.getUint16(body + 14, true) };
    } else if (id === 'data') {
      if (!format) return refuse('the WAV file has no format chunk before its audio');
      // WAVE_FORMAT_EXTENSIBLE (0xFFFE) with 16-bit PCM is fine too; anything compressed is not.
      if (format.audioFormat !== 1 && format.audioFormat !== 0xfffe) return refuse(`the audio is compressed (WAV format ${format.audioFormat}), not PCM`);
      if (format.bits !== 16) return refuse(`the audio is ${format.bits}-bit, not 16-bit`);
      if (format.channels !== 1) return refuse(`the audio has ${format.channels} channels, not 1 (mono)`);
      if (format.rate !== 8000) return refuse(`the audio is sampled at ${format.rate} Hz, not 8000 Hz`);
      if (body + size > bytes.length) return refuse('the WAV audio is cut short (the file is incomplete)');
      const seconds = size / (8000 * 2);
      if (seconds < PROMPT_MIN_SECONDS || seconds > PROMPT_MAX_SECONDS) return { ok: false, message: `the prompt lasts ${seconds.toFixed(1)} s; it must last ${PROMPT_MIN_SECONDS} to ${PROMPT_MAX_SECONDS} s` };
      return { ok: true, seconds };
    }
    at = body + size + (size % 2);
  }
  return refuse('the WAV file has no audio (no data chunk)');
}
