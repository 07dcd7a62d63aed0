import type { User } from '../database/entities';

/** The dial string of a user's work phone, or null when Leadline cannot ring it. */
export function agentEndpoint(user: Pick<User, 'workPhoneType' | 'workPhone' | 'sipUsername'>): string | null {
  switch (user.workPhoneType) {
    case 'sip_desk':
    case 'static_ip':
      return user.sipUsername ? `PJSIP/${user.sipUsername}` : null;
    case 'external':
      return user.workPhone ? `PJSIP/${user.workPhone}@trunk` : null;
    case null:
    case undefined:
      return null;
    default: {
      const unreachable: never = user.workPhoneType;
      return unreachable;
    }
  }
}
