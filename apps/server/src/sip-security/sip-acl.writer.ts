import { Injectable } from '@nestjs/common';
import { AriHttpError } from '../telephony/ari/ari-http.client';
import { AriLink } from '../telephony/ari/ari-link';

const ACL_PREFIX = 'leadline-ban-';
const aclId = (address: string) => `${ACL_PREFIX}${address.replace(/:/g, '_')}`;

/**
 * Writes SIP bans into the running Asterisk as res_pjsip_acl objects (sorcery.conf maps them to
 * the memory wizard), one "deny <address>" each: res_pjsip_acl answers every request from there
 * 403 before any endpoint lookup or authentication. Also reads the trunk's source addresses.
 */
@Injectable()
export class SipAclWriter {
  constructor(private readonly ari: AriLink) {}

  async deny(address: string): Promise<void> {
    const prefix = address.includes(':') ? 128 : 32;
    try {
      await this.ari.asterisk.putConfig('res_pjsip', 'acl', aclId(address), [{ attribute: 'deny', value: `${address}/${prefix}` }]);
    } catch (err) {
      // An ACL has no text form, so Asterisk cannot echo the object it just stored and answers
      // 500 "Allocation failed"; a GET then tells whether it exists (404 = it does not).
      if (!(err instanceof AriHttpError && err.status === 500)) throw err;
      if (!(await this.exists(address))) throw err;
    }
  }

  async allow(address: string): Promise<void> {
    await this.ari.asterisk.deleteConfig('res_pjsip', 'acl', aclId(address));
  }

  async exists(address: string): Promise<boolean> {
    try {
      await this.ari.asterisk.getConfig('res_pjsip', 'acl', aclId(address));
      return true;
    } catch (err) {
      if (err instanceof AriHttpError && err.isNotFound) return false;
      // Same as above: a stored ACL cannot be echoed.
      if (err instanceof AriHttpError && err.status === 500) return true;
      throw err;
    }
  }

  /** The addresses the trunk's identify object matches (trunk-identify in pjsip.conf), e.g. 203.0.113.5/255.255.255.255. */
  async trunkSources(): Promise<string[]> {
    const fields = await this.ari.asterisk.getConfig('res_pjsip', 'identify', 'trunk-identify');
    return fields
      .filter((f) => f.attribute === 'match')
      .flatMap((f) => f.value.split(','))
      .map((s) => s.trim())
      .filter(Boolean);
  }
}
