// The configuration files Leadline serves to desk phones, one template per vendor, written with the
// parameter names of each vendor's provisioning guide (Yealink "Auto Provisioning Guide" for
// T4x/T5x; Poly "UC Software Administrator Guide" for VVX; Grandstream "GXP/GRP Administration
// Guide" P-values). Pure: everything a file says comes in through PhoneProfile.
import { VOICEMAIL_CODE } from './desk-phone-dial.util';
import type { PhoneVendor, ProvisioningFile } from './provisioning-file.util';

export interface PhoneAccount {
  /** The SIP user and digest user name (Leadline's endpoint id, e.g. agent123456). */
  username: string;
  password: string;
  /** The user's name, shown on the phone and sent as caller name. */
  displayName: string;
  extension: string;
}

export interface PhoneProfile {
  mac: string;
  sip: { host: string; port: number };
  /** null: the phone has no user (yet); its file disables line 1 so it registers nowhere. */
  account: PhoneAccount | null;
  timeZone: { standardOffsetMinutes: number; daylightSaving: boolean };
  ntpServer: string;
  /** Colleagues on BLF keys (their presence lights the key), in key order. */
  blf: { extension: string; label: string }[];
}

/** How many BLF keys a file fills (the line keys of a T46 / VVX 450 beyond the account's own). */
export const MAX_BLF_KEYS = 10;

/**
 * What desk phones may dial without waiting for a timeout (the org's dial plan, PRODUCT.md and
 * docs/desk-phones.md): N11 codes (911 first), star codes, 10-digit and 1 + 10-digit numbers.
 * Extensions (3-6 digits) and `+` numbers are sent after the phone's inter-digit timeout or the
 * Send key.
 */
const DIAL_NOW = ['[2-9]11', '[2-9]xx[2-9]xxxxxx', '1[2-9]xx[2-9]xxxxxx'] as const;

export interface RenderedFile {
  contentType: string;
  body: string;
}

/**
 * The file `file` for a phone of `vendor`. The caller has checked fileFitsVendor; a Poly master
 * file and a Yealink common file say nothing of any account, so they are the same for every phone.
 */
export function renderProvisioningFile(vendor: PhoneVendor, file: ProvisioningFile, profile: PhoneProfile | null): RenderedFile {
  if (file.kind === 'common') return file.vendor === 'yealink' ? yealinkCommon() : polyMaster();
  if (!profile) throw new Error('a phone file needs the phone');
  switch (vendor) {
    case 'yealink':
      return yealinkPhone(profile);
    case 'poly':
      return file.part === 'poly-settings' ? polySettings(profile) : polyMaster();
    case 'grandstream':
      return grandstream(profile);
  }
}

const TEXT = 'text/plain; charset=utf-8';
const XML = 'application/xml; charset=utf-8';

/** A key=value value: one line, no leading/trailing blanks. */
const line = (value: string) => value.replace(/[\r\n]+/g, ' ').trim();
const xml = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/[\r\n]+/g, ' ');

/** BLF keys only for a phone that has an account to subscribe with. */
const blfKeys = (p: PhoneProfile) => (p.account ? p.blf.slice(0, MAX_BLF_KEYS) : []);

/** -300 → "-5", 330 → "+5:30" (Yealink's local_time.time_zone spelling). */
function hoursOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const h = Math.floor(abs / 60);
  const m = abs % 60;
  return `${sign}${h}${m ? `:${String(m).padStart(2, '0')}` : ''}`;
}

// Yealink T4x/T5x: the common file every Yealink asks for first, then <mac>.cfg. Key = value lines
// under the mandatory "#!version:1.0.0.1" header.
function yealinkCommon(): RenderedFile {
  return { contentType: TEXT, body: ['#!version:1.0.0.1', '## Leadline: settings for every Yealink phone; the account is in <mac>.cfg', 'local_time.time_format = 0', ''].join('\n') };
}

function yealinkPhone(p: PhoneProfile): RenderedFile {
  const a = p.account;
  const out = ['#!version:1.0.0.1', `## Leadline: phone ${p.mac}`];
  if (a) {
    out.push(
      'account.1.enable = 1',
      `account.1.label = ${line(`${a.extension} ${a.displayName}`)}`,
      `account.1.display_name = ${line(a.displayName)}`,
      `account.1.auth_name = ${a.username}`,
      `account.1.user_name = ${a.username}`,
      `account.1.password = ${line(a.password)}`,
      `account.1.sip_server.1.address = ${p.sip.host}`,
      `account.1.sip_server.1.port = ${p.sip.port}`,
      // 0 = UDP
      'account.1.sip_server.1.transport_type = 0',
      'account.1.sip_server.1.expires = 300',
      // the Message key dials the voicemail access number
      `voice_mail.number.1 = ${VOICEMAIL_CODE}`,
    );
  } else {
    out.push('account.1.enable = 0', 'account.1.label = Not assigned', 'account.1.user_name = %NULL%', 'account.1.auth_name = %NULL%', 'account.1.password = %NULL%', 'account.1.sip_server.1.address = %NULL%');
  }
  out.push(
    `local_time.time_zone = ${hoursOffset(p.timeZone.standardOffsetMinutes)}`,
    // 2 = automatic daylight saving time, 0 = none
    `local_time.summer_time = ${p.timeZone.daylightSaving ? 2 : 0}`,
    `local_time.ntp_server1 = ${p.ntpServer}`,
    ...DIAL_NOW.map((rule, i) => `dialplan.dialnow.rule.${i + 1} = ${rule}`),
  );
  // Line key 1 is the account; 2… are BLF keys (type 16) watching colleagues' extensions on line 1.
  blfKeys(p).forEach((k, i) => out.push(`linekey.${i + 2}.type = 16`, `linekey.${i + 2}.line = 1`, `linekey.${i + 2}.value = ${k.extension}`, `linekey.${i + 2}.label = ${line(k.label)}`));
  out.push('');
  return { contentType: TEXT, body: out.join('\n') };
}

// Poly VVX: the master configuration file (000000000000.cfg, or the phone's own <mac>.cfg) only
// lists the files to load; [PHONE_MAC_ADDRESS] is the phone's own MAC, substituted by the phone.
function polyMaster(): RenderedFile {
  return {
    contentType: XML,
    body: ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>', '<!-- Leadline: the account and settings are in <mac>-leadline.cfg -->', '<APPLICATION APP_FILE_PATH="" CONFIG_FILES="[PHONE_MAC_ADDRESS]-leadline.cfg" MISC_FILES="" LOG_FILE_DIRECTORY="" OVERRIDES_DIRECTORY="" CONTACTS_DIRECTORY="" LICENSE_DIRECTORY="" USER_PROFILES_DIRECTORY="" CALL_LISTS_DIRECTORY=""/>', ''].join('\n'),
  };
}

function polySettings(p: PhoneProfile): RenderedFile {
  const a = p.account;
  const attrs: [string, string][] = a
    ? [
        ['reg.1.address', a.username],
        ['reg.1.auth.userId', a.username],
        ['reg.1.auth.password', a.password],
        ['reg.1.displayName', a.displayName],
        ['reg.1.label', `${a.extension} ${a.displayName}`],
        ['reg.1.server.1.address', p.sip.host],
        ['reg.1.server.1.port', String(p.sip.port)],
        ['reg.1.server.1.transport', 'UDPOnly'],
        ['reg.1.server.1.expires', '300'],
        // the Messages key calls the voicemail access number
        ['msg.mwi.1.callBackMode', 'contact'],
        ['msg.mwi.1.callBack', VOICEMAIL_CODE],
      ]
    : [
        ['reg.1.address', ''],
        ['reg.1.label', 'Not assigned'],
      ];
  attrs.push(
    ['tcpIpApp.sntp.address', p.ntpServer],
    ['tcpIpApp.sntp.address.overrideDHCP', '1'],
    ['tcpIpApp.sntp.gmtOffset', String(p.timeZone.standardOffsetMinutes * 60)],
    ['tcpIpApp.sntp.gmtOffset.overrideDHCP', '1'],
    ['tcpIpApp.sntp.daylightSavings.enable', p.timeZone.daylightSaving ? '1' : '0'],
    ['dialplan.digitmap', [...DIAL_NOW, '*xx', '[1-9]xxT', '[1-9]xxxT', '[1-9]xxxxT', '[1-9]xxxxxT'].join('|')],
    // A check-sync NOTIFY re-reads the files and restarts only when something changed.
    ['voIpProt.SIP.specialEvent.checkSync.alwaysReboot', '0'],
  );
  // BLF: the busy lamp field list, on the line keys after the registration's.
  blfKeys(p).forEach((k, i) => attrs.push([`attendant.resourceList.${i + 1}.address`, k.extension], [`attendant.resourceList.${i + 1}.label`, k.label], [`attendant.resourceList.${i + 1}.type`, 'normal']));
  const body = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>', `<!-- Leadline: phone ${p.mac} -->`, '<polycomConfig', ...attrs.map(([k, v]) => `  ${k}="${xml(v)}"`), '/>', ''].join('\n');
  return { contentType: XML, body };
}

// Grandstream GXP/GRP: cfg<mac>.xml, XML version 1 of the P-value configuration. BLF keys are the
// phone's multi-purpose keys (GXP2130/2160; a model with fewer keys ignores the P-values it lacks).
function grandstream(p: PhoneProfile): RenderedFile {
  const a = p.account;
  const values: [number, string][] = a
    ? [
        [271, '1'], // account 1 active
        [270, `${a.extension} ${a.displayName}`], // account name
        [47, `${p.sip.host}:${p.sip.port}`], // SIP server
        [35, a.username], // SIP user ID
        [36, a.username], // authenticate ID
        [34, a.password], // authenticate password
        [3, a.displayName], // display name
        [130, '0'], // SIP transport: UDP
        [33, VOICEMAIL_CODE], // voice mail access number (the Message key)
      ]
    : [
        [271, '0'],
        [270, 'Not assigned'],
      ];
  values.push(
    [30, p.ntpServer], // NTP server
    [64, String(p.timeZone.standardOffsetMinutes + 720)], // time zone: minutes east of UTC + 720
    [75, p.timeZone.daylightSaving ? '1' : '0'], // daylight saving time
    [290, `{ ${[...DIAL_NOW, '\\*xx', '[1-9]xx+', '\\+x+'].join(' | ')} }`], // dial plan
  );
  blfKeys(p).forEach((k, i) => {
    const key = grandstreamMpk(i + 1);
    values.push([key.mode, '1'], [key.account, '0'], [key.name, k.label], [key.value, k.extension]); // BLF on account 1
  });
  const body = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gs_provision version="1">',
    `  <mac>${p.mac}</mac>`,
    '  <config version="1">',
    ...values.map(([n, v]) => `    <P${n}>${xml(v)}</P${n}>`),
    '  </config>',
    '</gs_provision>',
    '',
  ].join('\n');
  return { contentType: XML, body };
}

/**
 * The P-values of physical multi-purpose key `n` (GXP2130/2160 administration guide): MPK 1-7 have
 * their mode at P323… and account / name / value in threes from P301; MPK 8-18 in fours from P353.
 * Key mode 1 is BLF, account 0 is account 1.
 */
function grandstreamMpk(n: number): { mode: number; account: number; name: number; value: number } {
  if (n >= 1 && n <= 7) {
    const base = 301 + (n - 1) * 3;
    return { mode: 322 + n, account: base, name: base + 1, value: base + 2 };
  }
  if (n >= 8 && n <= 18) {
    const mode = 353 + (n - 8) * 4;
    return { mode, account: mode + 1, name: mode + 2, value: mode + 3 };
  }
  throw new Error(`a Grandstream phone has no multi-purpose key ${n}`);
}
