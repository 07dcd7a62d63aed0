import type { Role } from '@leadline/domain';

// Who may hear a recorded call leg, and which stored names we are willing to ask Asterisk for.

/** Asterisk stored recording names Leadline creates: letters, digits, dot, dash, underscore. */
export const RECORDING_NAME_PATTERN = /^[A-Za-z0-9._-]+$/;

/**
 * A stored name safe to put in an ARI URL. Dot-only names are refused too: "." and ".." match the
 * pattern, and URL parsing would resolve them as path segments (/recordings/stored/../file).
 */
export function isSafeRecordingName(name: string): boolean {
  return name.length <= 200 && RECORDING_NAME_PATTERN.test(name) && !/^\.+$/.test(name);
}

/**
 * Managers and admins hear every leg of their org; an agent only the legs they were on. The leg
 * is already known to be in the viewer's org.
 */
export function mayHearRecording(input: { viewer: { id: string; role: Role }; legUserId: string | null }): boolean {
  const { viewer, legUserId } = input;
  switch (viewer.role) {
    case 'admin':
    case 'manager':
      return true;
    case 'agent':
      return legUserId !== null && legUserId === viewer.id;
    default: {
      const unreachable: never = viewer.role;
      return unreachable;
    }
  }
}
