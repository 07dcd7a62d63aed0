// Desk-phone provisioning: which file a phone asks for, whose it is, which vendor asks. Pure.

export type PhoneVendor = 'yealink' | 'poly' | 'grandstream';
export const PHONE_VENDORS: readonly PhoneVendor[] = ['yealink', 'poly', 'grandstream'];

/**
 * What a request names. `mac`: the phone's own file (its MAC, 12 lower-case hex digits);
 * `common`: the file every phone of the vendor asks for first.
 *   Yealink T4x/T5x: y000000000000.cfg (common), <mac>.cfg
 *   Poly VVX: 000000000000.cfg (master, common), <mac>.cfg (its own master), <mac>-leadline.cfg (settings)
 *   Grandstream GXP/GRP: cfg<mac>.xml
 */
export type ProvisioningFile =
  | { kind: 'common'; vendor: 'yealink' | 'poly' }
  | { kind: 'mac'; mac: string; part: 'cfg' | 'poly-settings' | 'grandstream' };

/** 00:15:65:AB:cd:EF, 00-15-65-ab-cd-ef, 001565abcdef → 001565abcdef; anything else → null. */
export function normalizeMac(value: string): string | null {
  const hex = value.trim().toLowerCase().replace(/[:.-]/g, '');
  if (!/^[0-9a-f]{12}$/.test(hex) || hex === '000000000000' || hex === 'ffffffffffff') return null;
  return hex;
}

/** The file a phone asks for, or null when it is none Leadline serves (a firmware, a ringtone …). */
export function parseProvisioningFile(name: string): ProvisioningFile | null {
  const file = name.toLowerCase();
  if (file === 'y000000000000.cfg') return { kind: 'common', vendor: 'yealink' };
  if (file === '000000000000.cfg') return { kind: 'common', vendor: 'poly' };
  let m = /^([0-9a-f]{12})\.cfg$/.exec(file);
  if (m) return macFile(m[1], 'cfg');
  m = /^([0-9a-f]{12})-leadline\.cfg$/.exec(file);
  if (m) return macFile(m[1], 'poly-settings');
  m = /^cfg([0-9a-f]{12})(?:\.xml)?$/.exec(file);
  if (m) return macFile(m[1], 'grandstream');
  return null;
}

function macFile(hex: string, part: 'cfg' | 'poly-settings' | 'grandstream'): ProvisioningFile | null {
  const mac = normalizeMac(hex);
  return mac ? { kind: 'mac', mac, part } : null;
}

/**
 * The vendor a request comes from, by its User-Agent ("Yealink SIP-T46S 66.86.0.15 00:15:65:…",
 * "FileTransport PolycomVVX-VVX_450-UA/6.3.1.8427", "Grandstream Model HW GXP2170 SW 1.0.11.3 …"),
 * else by the file name alone; null when neither tells.
 */
export function vendorOf(userAgent: string | undefined, file: ProvisioningFile): PhoneVendor | null {
  const ua = (userAgent ?? '').toLowerCase();
  if (ua.includes('yealink')) return 'yealink';
  if (ua.includes('polycom') || ua.includes('poly ')) return 'poly';
  if (ua.includes('grandstream')) return 'grandstream';
  if (file.kind === 'common') return file.vendor;
  if (file.part === 'grandstream') return 'grandstream';
  if (file.part === 'poly-settings') return 'poly';
  return null;
}

/** Whether a vendor's phone asks for this file (a Yealink never gets a Grandstream file). */
export function fileFitsVendor(file: ProvisioningFile, vendor: PhoneVendor): boolean {
  if (file.kind === 'common') return file.vendor === vendor;
  switch (file.part) {
    case 'cfg':
      return vendor === 'yealink' || vendor === 'poly';
    case 'poly-settings':
      return vendor === 'poly';
    case 'grandstream':
      return vendor === 'grandstream';
  }
}

/**
 * The office's time zone as desk phones take it: a fixed standard offset (minutes east of UTC)
 * plus whether the zone keeps daylight saving time (the phones apply their own DST rules then).
 * Standard time is the smaller of the January and July offsets (DST only ever adds).
 */
export function phoneTimeZone(zone: string, year: number): { standardOffsetMinutes: number; daylightSaving: boolean } {
  const jan = offsetMinutes(zone, Date.UTC(year, 0, 1, 12));
  const jul = offsetMinutes(zone, Date.UTC(year, 6, 1, 12));
  return { standardOffsetMinutes: Math.min(jan, jul), daylightSaving: jan !== jul };
}

function offsetMinutes(zone: string, at: number): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(new Date(at));
  const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}
