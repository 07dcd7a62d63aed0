// What a presence light shows, from the presence pushes and the state of the server connection.
// Pure: events in, status out; `now` is passed in. The desk daemon and the dashboard tab both use it.
import type { Presence } from '@leadline/contracts';
import { BLUE, GREEN, LightState, OFF, RED, Rgb, blinking, solid } from './light-state';

/**
 * After this long without a live server connection the light shows "no connection" (steady blue)
 * instead of the last presence, so an agent is never shown available by a daemon or tab that can't
 * hear the server. Shorter blips keep the last presence, so a reconnect doesn't flicker the light.
 */
export const OFFLINE_GRACE_MS = 5_000;
export const NO_CONNECTION: LightState = solid(BLUE);

export interface LightStatus {
  /** The last presence received (kept through short outages). */
  presence: Presence | null;
  /**
   * Since when the light has lacked a live presence (epoch ms): set at start and on disconnect,
   * cleared only by a presence received on a live connection — a socket that connects but never
   * sends presence still counts as down.
   */
  downSince: number | null;
}

export type LightStatusEvent = { type: 'presence'; presence: Presence } | { type: 'disconnected'; at: number };

export const initialLightStatus = (now: number): LightStatus => ({ presence: null, downSince: now });

export function nextLightStatus(status: LightStatus, event: LightStatusEvent): LightStatus {
  switch (event.type) {
    case 'presence':
      return { presence: event.presence, downSince: null };
    case 'disconnected':
      return { presence: status.presence, downSince: status.downSince ?? event.at };
  }
}

function presenceColor(color: Presence['color']): Rgb {
  switch (color) {
    case 'green':
      return GREEN;
    case 'red':
      return RED;
  }
}

export function presenceLight(presence: Presence): LightState {
  const color = presenceColor(presence.color);
  return presence.blink ? blinking(color) : solid(color);
}

export function shownLight(status: LightStatus, now: number, graceMs = OFFLINE_GRACE_MS): LightState {
  if (status.downSince !== null && now - status.downSince >= graceMs) return NO_CONNECTION;
  return status.presence ? presenceLight(status.presence) : OFF;
}

/** When shownLight() will next change by itself (the grace running out), or null. */
export function nextDeadline(status: LightStatus, graceMs = OFFLINE_GRACE_MS): number | null {
  return status.downSince === null ? null : status.downSince + graceMs;
}
