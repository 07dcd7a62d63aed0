#!/usr/bin/env bash
# Regenerates Leadline's own voice prompts into asterisk-config/sounds/ (committed; run this only
# when a text changes). Needs espeak-ng and sox (apt-get install espeak-ng sox).
#
# Output: 8 kHz, mono, 16-bit signed PCM .wav — what Asterisk's format_wav reads natively
# (slin, transcoded to ulaw/alaw per call by codec_ulaw/codec_alaw). Asterisk finds them as
# sound:leadline/<name> because scripts/asterisk.sh copies them into the scratch sounds/en/leadline.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$here/asterisk-config/sounds}"

for tool in espeak-ng sox; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "[leadline] $tool is missing: apt-get install espeak-ng sox" >&2
    exit 1
  fi
done

mkdir -p "$out"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# name|text
prompts=(
  "press-1|New lead. Press 1 to take this lead."
  "lead-taken|Sorry, this lead was taken by another agent."
  "connecting|Connecting you now."
  "no-agents|We're sorry, no one is available to take your call. Please leave a message after the tone."
  "unavailable|We're sorry, the system is unavailable. Please try again later."
  # Desk phones (docs/desk-phones.md): star codes, and why a call cannot be made.
  "logged-in|You are logged in."
  "logged-out|You are logged out."
  "calls-on|Your calls are on."
  "calls-off|Your calls are off."
  "code-unknown|That code is not recognised."
  "number-refused|Calls to this number are not allowed."
  "number-invalid|The number you dialled cannot be reached. Please check the number."
  "extension-busy|That person is on another call."
  "extension-unavailable|That person is not taking calls right now."
  "not-linked|This phone is not linked to a Leadline user."
  # A transfer that failed once the agent had already left.
  "transfer-failed|We're sorry, the transfer did not go through. Goodbye."
  # Played to a borrower before the call is bridged and recorded (docs/compliance.md).
  "disclosure|This call may be recorded for quality and compliance purposes."
)

for entry in "${prompts[@]}"; do
  name="${entry%%|*}"
  text="${entry#*|}"
  # en-us voice, a little slower than default, then: 8 kHz mono s16, normalised to -3 dBFS,
  # 150 ms of silence before and 300 ms after so the first syllable is not clipped on answer.
  espeak-ng -v en-us -s 150 -w "$tmp/$name.raw.wav" "$text"
  sox "$tmp/$name.raw.wav" -r 8000 -c 1 -b 16 -e signed-integer "$out/$name.wav" \
    norm -3 pad 0.15 0.3
  echo "[leadline] $out/$name.wav  ($(soxi -D "$out/$name.wav") s)"
done

# Music on hold: a soft, slow two-note chime (8 s, looped by Asterisk). Synthesised, no licence.
sox -n -r 8000 -c 1 -b 16 -e signed-integer "$tmp/a.wav" synth 0.6 sine 523.25 fade q 0.05 0.6 0.4 vol 0.25
sox -n -r 8000 -c 1 -b 16 -e signed-integer "$tmp/b.wav" synth 0.6 sine 659.25 fade q 0.05 0.6 0.4 vol 0.25
sox -n -r 8000 -c 1 -b 16 -e signed-integer "$tmp/s.wav" trim 0 1.4
mkdir -p "$out/moh"
sox "$tmp/a.wav" "$tmp/b.wav" "$tmp/s.wav" "$tmp/b.wav" "$tmp/a.wav" "$tmp/s.wav" "$tmp/a.wav" "$tmp/b.wav" "$tmp/s.wav" \
  "$out/moh/leadline-hold.wav"
echo "[leadline] $out/moh/leadline-hold.wav  ($(soxi -D "$out/moh/leadline-hold.wav") s)"
