// The BLF queue against a stand-in ARI whose requests finish when the test says: the latest state
// per extension wins, one request per extension at a time, at most 4 at once.
import { LeadEvents } from '../events/lead-events';
import type { PresenceService } from '../presence/presence.service';
import type { AriLink } from '../telephony/ari/ari-link';
import { BlfStateService } from './blf-state.service';
import type { PhoneRepository } from './phone.repository';

function setup() {
  const requests: { device: string; state: string; done: () => void }[] = [];
  const ari = {
    onUp: () => () => undefined,
    deviceStates: { set: (device: string, state: string) => new Promise<void>((done) => requests.push({ device, state, done })) },
  } as unknown as AriLink;
  const phones = {} as PhoneRepository;
  const events = new LeadEvents();
  const blf = new BlfStateService(ari, events, {} as PresenceService, phones);
  blf.onApplicationBootstrap();
  const settle = () => new Promise((r) => setTimeout(r, 20));
  return { requests, events, settle };
}

describe('BlfStateService queue', () => {
  it('sends an extension one state at a time, and only the latest of those that waited', async () => {
    const { requests, events, settle } = setup();
    events.emit('presence.changed', { userId: 'user-101', orgId: 'o', extension: '101', state: 'available' });
    await settle();
    expect(requests.map((r) => r.state)).toEqual(['NOT_INUSE']);
    // Two more changes while the first request is on its way: neither is sent yet; the last wins.
    events.emit('presence.changed', { userId: 'user-101', orgId: 'o', extension: '101', state: 'ringing' });
    events.emit('presence.changed', { userId: 'user-101', orgId: 'o', extension: '101', state: 'unavailable' });
    await settle();
    expect(requests).toHaveLength(1);
    requests[0].done();
    await settle();
    expect(requests.map((r) => r.state)).toEqual(['NOT_INUSE', 'INUSE']);
  });

  it('has at most 4 requests on their way, and sends every extension', async () => {
    const { requests, events, settle } = setup();
    for (let i = 0; i < 10; i++) events.emit('presence.changed', { userId: `user-${200 + i}`, orgId: 'o', extension: String(200 + i), state: 'unavailable' });
    await settle();
    expect(requests).toHaveLength(4);
    for (let round = 0; round < 3; round++) {
      requests.forEach((r) => r.done());
      await settle();
      expect(requests.length).toBeLessThanOrEqual(4 * (round + 2));
    }
    expect(new Set(requests.map((r) => r.device)).size).toBe(10);
  });

  it('sends nothing for a user without an extension', async () => {
    const { requests, events, settle } = setup();
    events.emit('presence.changed', { userId: 'user-x', orgId: 'o', extension: null, state: 'available' });
    events.emit('presence.changed', { userId: 'user-102', orgId: 'o', extension: '102', state: 'available' });
    await settle();
    expect(requests.map((r) => r.device)).toEqual(['ext-102']);
  });
});
