/**
 * The oldest Asterisk Leadline runs its calls against: 22.10.1 closes ARI holes that older 22.x
 * (and every 16.x, end of life since 2023) still have — a live_dangerously bypass and code
 * execution through REST over the event websocket. 20.x is not supported (nothing tests it).
 */
export const MIN_ASTERISK_VERSION = '22.10.1';

export interface AsteriskVersion {
  major: number;
  minor: number;
  patch: number;
  /** As Asterisk reported it, e.g. "22.10.1+dfsg+~cs6.17.60671434-1" (Debian's build). */
  raw: string;
}

/** Reads "22.10.1", "22.10.1-rc1", "22.10.1+dfsg+…-1" or "certified-22.8-cert1"; null when it is none of those. */
export function parseAsteriskVersion(raw: string): AsteriskVersion | null {
  const m = /^(?:certified[-/])?(\d+)\.(\d+)(?:\.(\d+))?/.exec(raw.trim());
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0), raw: raw.trim() };
}

export type AsteriskVersionVerdict = { ok: true; version: AsteriskVersion } | { ok: false; reason: string };

/** Whether Leadline may run calls against the Asterisk that reported `raw` (ARI's system.version). */
export function checkAsteriskVersion(raw: string | null | undefined, minimum = MIN_ASTERISK_VERSION): AsteriskVersionVerdict {
  const version = raw ? parseAsteriskVersion(raw) : null;
  if (!version) return { ok: false, reason: `Asterisk reported a version Leadline cannot read (${JSON.stringify(raw ?? null)}); it needs ${minimum} or newer` };
  const min = parseAsteriskVersion(minimum)!;
  const diff = version.major - min.major || version.minor - min.minor || version.patch - min.patch;
  if (diff < 0) return { ok: false, reason: `Asterisk ${version.raw} is older than ${minimum}, the oldest Leadline runs calls against (ARI security fixes); upgrade it (docs/asterisk.md)` };
  return { ok: true, version };
}
