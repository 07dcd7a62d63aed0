import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { AriLink } from './ari/ari-link';
import { AriHttpError } from './ari/ari-http.client';
import { DynamicConfigField } from './ari/ari-resources';

export const SIP_REALM = 'leadline';
const ENDPOINT_PREFIX = 'agent';
/** Endpoints Leadline provisions (the trunk and anything hand-made are left alone). */
const ENDPOINT_PATTERN = /^agent\d{6}$/;

/** Whether a PJSIP endpoint is a desk phone Leadline provisioned. */
export function isDeskPhoneEndpoint(endpoint: string): boolean {
  return ENDPOINT_PATTERN.test(endpoint);
}

export interface DeskPhone {
  sipUsername: string;
  /** md5(username:realm:password); null for a static-IP phone (no registration). */
  md5Cred: string | null;
  /** host[:port] of a static-IP phone. */
  staticContact: string | null;
  /** Shown as the caller name when the phone calls out. */
  displayName: string;
}

export interface SipCredentials {
  username: string;
  password: string;
  md5Cred: string;
}

export function newSipUsername(): string {
  return `${ENDPOINT_PREFIX}${randomInt(100000, 1000000)}`;
}

export function newSipCredentials(username: string): SipCredentials {
  const password = randomBytes(18).toString('base64url');
  return { username, password, md5Cred: createHash('md5').update(`${username}:${SIP_REALM}:${password}`).digest('hex') };
}

const f = (attribute: string, value: string): DynamicConfigField => ({ attribute, value });

/**
 * Whether an endpoint as Asterisk reports it holds every field we would send. Asterisk answers in
 * its own spelling: booleans as true/false, codec lists as (ulaw|alaw); `disallow` is not reported.
 */
export function endpointHolds(current: DynamicConfigField[], wanted: DynamicConfigField[]): boolean {
  const have = new Map(current.map((c) => [c.attribute, c.value]));
  const spelled = (attribute: string, value: string): string => {
    if (value === 'yes') return 'true';
    if (value === 'no') return 'false';
    if (attribute === 'allow') return `(${value.split(',').join('|')})`;
    return value;
  };
  return wanted.every((w) => w.attribute === 'disallow' || have.get(w.attribute) === spelled(w.attribute, w.value));
}

/**
 * Creates agents' PJSIP auth/aor/endpoint objects in the running Asterisk through ARI's dynamic
 * configuration (sorcery maps them to astdb), so a new desk phone works without a reload.
 * The database is the source of truth: every time the ARI link comes up, all phones are re-sent.
 */
@Injectable()
export class DeskPhoneProvisioner implements OnApplicationBootstrap {
  private readonly logger = new Logger(DeskPhoneProvisioner.name);
  private source: () => Promise<DeskPhone[]> = async () => [];

  constructor(private readonly ari: AriLink) {}

  /** The users module tells us how to read every desk phone from the database. */
  useSource(source: () => Promise<DeskPhone[]>): void {
    this.source = source;
  }

  onApplicationBootstrap(): void {
    this.ari.onUp(() => this.resync());
  }

  async provision(phone: DeskPhone): Promise<void> {
    const id = phone.sipUsername;
    // Dynamic objects don't inherit pjsip.conf templates: every field is sent.
    const media = [f('callerid', `"${phone.displayName.replace(/["\\]/g, '')}" <${id}>`), f('send_pai', 'yes'), f('disallow', 'all'), f('allow', 'ulaw,alaw'), f('dtmf_mode', 'rfc4733'), f('direct_media', 'no'), f('rtp_symmetric', 'yes'), f('force_rport', 'yes'), f('rewrite_contact', 'yes')];
    if (phone.staticContact) {
      // No password: the phone is recognised by its address alone (identify_by=ip + an identify
      // object), never by a From user anyone can write; requests from elsewhere meet the same 401
      // as an unknown user (docs/security.md).
      await this.ari.asterisk.deleteConfig('res_pjsip', 'auth', id);
      await this.ari.asterisk.putConfig('res_pjsip', 'aor', id, [f('contact', `sip:${id}@${phone.staticContact}`), f('max_contacts', '1')]);
      await this.putEndpoint(id, [f('context', 'from-phones'), f('aors', id), f('identify_by', 'ip'), f('transport', 'transport-udp'), ...media]);
      await this.ari.asterisk.putConfig('res_pjsip', 'identify', id, [f('endpoint', id), f('match', phone.staticContact)]);
      return;
    }
    if (!phone.md5Cred) throw new Error(`desk phone ${id} has no credentials`);
    // A phone that was static-IP before: its address no longer stands for it.
    await this.ari.asterisk.deleteConfig('res_pjsip', 'identify', id);
    // Asterisk 22: auth_type=digest with a pre-computed password_digest (md5/md5_cred are deprecated).
    // MD5 only: it is the one digest every desk phone speaks.
    await this.ari.asterisk.putConfig('res_pjsip', 'auth', id, [f('auth_type', 'digest'), f('username', id), f('realm', SIP_REALM), f('password_digest', `MD5:${phone.md5Cred}`)]);
    await this.ari.asterisk.putConfig('res_pjsip', 'aor', id, [f('max_contacts', '1'), f('remove_existing', 'yes')]);
    // BLF: the phone's dialog subscriptions find colleagues' hints in leadline-hints (extensions.conf).
    await this.putEndpoint(id, [f('context', 'from-phones'), f('subscribe_context', 'leadline-hints'), f('aors', id), f('auth', id), f('transport', 'transport-udp'), ...media]);
  }

  /**
   * Creates the endpoint, or replaces it when its fields changed; an unchanged one is left alone.
   * Updating an endpoint in place makes Asterisk 22 re-apply every field it holds, including the
   * retired `stir_shaken` option, which logs a deprecation warning each time; so a changed endpoint
   * is deleted and created again instead (calls in progress keep their channel).
   */
  private async putEndpoint(id: string, fields: DynamicConfigField[]): Promise<void> {
    const current = await this.ari.asterisk.getConfig('res_pjsip', 'endpoint', id).catch((err: unknown) => {
      if (err instanceof AriHttpError && err.isNotFound) return null;
      throw err;
    });
    if (current && endpointHolds(current, fields)) return;
    if (current) await this.ari.asterisk.deleteConfig('res_pjsip', 'endpoint', id);
    await this.ari.asterisk.putConfig('res_pjsip', 'endpoint', id, fields);
  }

  async remove(sipUsername: string): Promise<void> {
    await this.ari.asterisk.deleteConfig('res_pjsip', 'identify', sipUsername);
    await this.ari.asterisk.deleteConfig('res_pjsip', 'endpoint', sipUsername);
    await this.ari.asterisk.deleteConfig('res_pjsip', 'aor', sipUsername);
    await this.ari.asterisk.deleteConfig('res_pjsip', 'auth', sipUsername);
  }

  /**
   * Pushes every phone from the database and removes the agent endpoints it no longer has (a user
   * deleted while Asterisk was away must not keep a working SIP account). Logs and carries on past
   * one that fails.
   */
  async resync(): Promise<void> {
    const phones = await this.source();
    const wanted = new Set(phones.map((p) => p.sipUsername));
    let removed = 0;
    for (const name of await this.ari.asterisk.endpoints('PJSIP')) {
      if (!isDeskPhoneEndpoint(name) || wanted.has(name)) continue;
      await this.remove(name);
      removed++;
    }
    if (removed) this.logger.warn(`removed ${removed} desk phone endpoint(s) that no longer exist in the database`);
    let failed = 0;
    for (const phone of phones) {
      try {
        await this.provision(phone);
      } catch (err) {
        failed++;
        this.logger.error(`could not provision desk phone ${phone.sipUsername}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    this.logger.log(`desk phones re-synced to Asterisk: ${phones.length - failed} ok, ${failed} failed`);
  }
}
