import { derivePresence, nextPresence, PresenceInputs } from './presence.util';

const bools = [false, true];
const all: PresenceInputs[] = bools.flatMap((loggedIn) => bools.flatMap((callsOn) => bools.flatMap((onCall) => bools.map((inboundRinging) => ({ loggedIn, callsOn, onCall, inboundRinging })))));

describe('derivePresence', () => {
  // Every one of the 16 combinations, against the rule of PRODUCT.md §6 written independently.
  it.each(all)('%o', (i) => {
    const p = derivePresence(i);
    const available = i.loggedIn && i.callsOn && !i.onCall;
    if (!available) expect(p).toMatchObject({ state: 'unavailable', color: 'red', blink: false });
    else if (i.inboundRinging) expect(p).toEqual({ state: 'ringing', color: 'red', blink: true, reason: 'inbound_ringing' });
    else expect(p).toEqual({ state: 'available', color: 'green', blink: false, reason: 'available' });
  });

  it.each([
    [{ loggedIn: false, callsOn: true, onCall: true, inboundRinging: true }, 'logged_out'],
    [{ loggedIn: true, callsOn: false, onCall: true, inboundRinging: false }, 'calls_off'],
    [{ loggedIn: true, callsOn: true, onCall: true, inboundRinging: true }, 'on_call'],
  ])('explains red by the first missing condition: %o → %s', (i, reason) => expect(derivePresence(i).reason).toBe(reason));
});

describe('nextPresence', () => {
  const t0 = new Date('2026-01-01T10:00:00Z');
  const t1 = new Date('2026-01-01T10:05:00Z');
  const green = { loggedIn: true, callsOn: true, onCall: false, inboundRinging: false };

  it.each([
    ['first snapshot', undefined, green, true, t1],
    ['unchanged inputs', { ...derivePresence(green), since: t0 }, green, false, t0],
    ['green → ringing', { ...derivePresence(green), since: t0 }, { ...green, inboundRinging: true }, true, t1],
    ['ringing → on a call', { ...derivePresence({ ...green, inboundRinging: true }), since: t0 }, { ...green, onCall: true }, true, t1],
    ['red → red for another reason keeps since', { ...derivePresence({ ...green, callsOn: false }), since: t0 }, { ...green, loggedIn: false }, true, t0],
  ] as const)('%s', (_name, prev, inputs, changed, since) => {
    const next = nextPresence(prev, inputs, t1);
    expect(next.changed).toBe(changed);
    expect(next.snapshot.since).toEqual(since);
    expect(next.snapshot).toMatchObject(derivePresence(inputs));
  });
});
