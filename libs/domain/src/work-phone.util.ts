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
