// BLF keys on desk phones mirror presence (PRODUCT.md §6): the device state Leadline keeps in
// Asterisk for each user's extension, which a phone's dialog subscription follows. Pure.
import type { PresenceState } from './presence.util';

export type BlfDeviceState = 'NOT_INUSE' | 'INUSE' | 'RINGING';

/**
 * Green (available) is idle; red (logged out, calls off, on a call) is in use — a phone lights the
 * key red, as the BusyLight is; blinking red (an inbound call ringing them) is ringing.
 */
export function blfDeviceState(state: PresenceState): BlfDeviceState {
  switch (state) {
    case 'available':
      return 'NOT_INUSE';
    case 'unavailable':
      return 'INUSE';
    case 'ringing':
      return 'RINGING';
  }
}

/** The custom device (Stasis:<name>) the hint of an extension watches (asterisk-config/extensions.conf). */
export const blfDeviceName = (extension: string): string => `ext-${extension}`;
