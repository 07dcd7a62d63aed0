import { WorkPhoneType } from './lead.types';
import { normalizePhone } from './phone.util';

export type WorkPhoneCheck = { ok: true; workPhone: string | null } | { ok: false; message: string };

const HOST_PORT = /^(?:(?:\d{1,3}\.){3}\d{1,3}|[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63})*)(?::(\d{1,5}))?$/;

/** Checks and normalises a user's work phone for its type. */
export function checkWorkPhone(type: WorkPhoneType | null | undefined, workPhone: string | null | undefined): WorkPhoneCheck {
  const value = workPhone?.trim() || null;
  switch (type ?? null) {
    case null:
      return value ? { ok: false, message: 'workPhone needs a workPhoneType' } : { ok: true, workPhone: null };
    case 'sip_desk':
      // The endpoint is generated; nothing to type.
      return value ? { ok: false, message: 'must be empty for a sip_desk phone (its SIP account is generated)' } : { ok: true, workPhone: null };
    case 'external': {
      const e164 = value ? normalizePhone(value) : undefined;
      return e164 ? { ok: true, workPhone: e164 } : { ok: false, message: 'must be a valid phone number for an external work phone' };
    }
    case 'static_ip': {
      const match = value ? HOST_PORT.exec(value) : null;
      if (!match || (match[1] && (Number(match[1]) < 1 || Number(match[1]) > 65535))) {
        return { ok: false, message: 'must be host or host:port of the static-IP phone' };
      }
      return { ok: true, workPhone: value };
    }
    default:
      return { ok: false, message: `unknown work phone type ${String(type)}` };
  }
}

export interface RingablePhone {
  workPhoneType?: WorkPhoneType | null;
  workPhone?: string | null;
  sipUsername?: string | null;
}

// SIP over UDP, which static-IP phones are reached with, defaults to port 5060.
const DEFAULT_SIP_PORT = '5060';

/**
 * What identifies the physical phone behind a work phone, or null when Leadline cannot ring it:
 * a desk phone by its SIP account, a static-IP phone by its address (host:port, the port defaulted,
 * the host compared case-insensitively, names not resolved), an external phone by its number.
 * Each user of a static-IP phone has an endpoint of their own, so endpoints cannot tell it apart.
 */
export function physicalPhoneKey(phone: RingablePhone): string | null {
  const type = phone.workPhoneType ?? null;
  switch (type) {
    case 'sip_desk':
      return phone.sipUsername ? `sip:${phone.sipUsername}` : null;
    case 'static_ip': {
      const address = phone.workPhone?.trim().toLowerCase();
      if (!address || !phone.sipUsername) return null;
      const [host, port] = address.split(':');
      return `ip:${host}:${port || DEFAULT_SIP_PORT}`;
    }
    case 'external':
      return phone.workPhone ? `tel:${phone.workPhone}` : null;
    case null:
      return null;
    default: {
      const unknown: never = type;
      return unknown;
    }
  }
}

/**
 * One agent per physical phone, in the order given (callers pass agents longest idle first, so a
 * shared phone rings for the longer idle of its users). Agents with no phone key are dropped.
 */
export function onePerPhone<A>(agents: readonly A[], phoneOf: (agent: A) => RingablePhone): A[] {
  const seen = new Set<string>();
  return agents.filter((agent) => {
    const key = physicalPhoneKey(phoneOf(agent));
    if (key === null || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
