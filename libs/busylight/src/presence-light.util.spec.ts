import type { Presence } from '@leadline/contracts';
import { BLUE, GREEN, OFF, RED, blinking, solid } from './light-state';
import { LightStatus, OFFLINE_GRACE_MS, initialLightStatus, nextDeadline, nextLightStatus, presenceLight, shownLight } from './presence-light.util';

const aPresence = (overrides: Partial<Presence> = {}): Presence => ({
  userId: 'u1',
  state: 'available',
  color: 'green',
  blink: false,
  reason: 'available',
  since: '2026-01-01T00:00:00.000Z',
  ...overrides,
});
const available = aPresence();
const callsOff = aPresence({ state: 'unavailable', color: 'red', reason: 'calls_off' });
const ringing = aPresence({ state: 'ringing', color: 'red', blink: true, reason: 'inbound_ringing' });

describe('presenceLight', () => {
  it.each([
    ['available', available, solid(GREEN)],
    ['calls off', callsOff, solid(RED)],
    ['ringing', ringing, blinking(RED)],
  ])('%s', (_name, presence, light) => expect(presenceLight(presence)).toEqual(light));
});

describe('shownLight', () => {
  const T = 1_000_000;
  it.each<[string, LightStatus, number, unknown]>([
    ['just started, nothing heard yet', initialLightStatus(T), T, OFF],
    ['never connected for the grace period', initialLightStatus(T), T + OFFLINE_GRACE_MS, solid(BLUE)],
    ['live and available', { presence: available, downSince: null }, T, solid(GREEN)],
    ['live and ringing', { presence: ringing, downSince: null }, T, blinking(RED)],
    ['connection lost 4.9 s ago: keeps the last presence', { presence: available, downSince: T - 4_900 }, T, solid(GREEN)],
    ['connection lost 5 s ago: no more green', { presence: available, downSince: T - 5_000 }, T, solid(BLUE)],
    ['connection lost long ago while red', { presence: callsOff, downSince: T - 60_000 }, T, solid(BLUE)],
  ])('%s', (_name, status, now, light) => expect(shownLight(status, now)).toEqual(light));
});

describe('nextLightStatus', () => {
  it('a presence makes the status live', () => {
    expect(nextLightStatus(initialLightStatus(5), { type: 'presence', presence: available })).toEqual({ presence: available, downSince: null });
  });

  it('a disconnect keeps the presence and starts the clock once', () => {
    const down = nextLightStatus({ presence: available, downSince: null }, { type: 'disconnected', at: 10 });
    expect(down).toEqual({ presence: available, downSince: 10 });
    expect(nextLightStatus(down, { type: 'disconnected', at: 20 })).toEqual({ presence: available, downSince: 10 });
    expect(nextDeadline(down)).toBe(10 + OFFLINE_GRACE_MS);
    expect(nextDeadline({ presence: available, downSince: null })).toBeNull();
  });
});
