// The router's link-up duty (hang up what no call owns) against the two moments it must hold back:
// the application closing (the calls are being left to the next process) and a failed adoption
// (the connected calls would look unowned). The ARI link is a stand-in: the race it plays — a
// reconnect landing while the application closes — cannot be timed against a real Asterisk.
import type { AriLink } from './ari/ari-link';
import { StasisRouter } from './stasis-router';

function fakeLink(channelIds: string[]) {
  const up: (() => Promise<void> | void)[] = [];
  const hungUp: string[] = [];
  let listed: () => void = () => undefined;
  let hold: Promise<void> = Promise.resolve();
  const link = {
    app: 'leadline-test',
    on: () => () => undefined,
    onDown: () => () => undefined,
    onUp: (l: () => Promise<void>) => up.push(l),
    asterisk: {
      application: async () => {
        listed();
        await hold;
        return { channel_ids: channelIds, bridge_ids: [] };
      },
    },
    channels: { hangup: async (id: string) => void hungUp.push(id) },
  };
  return {
    link: link as unknown as AriLink,
    hungUp,
    comesUp: () => Promise.all(up.map((l) => l())),
    /** The next application listing waits for `release`; `listing` resolves once it is asked. */
    holdListing(): { listing: Promise<void>; release: () => void } {
      let release: () => void = () => undefined;
      hold = new Promise((r) => (release = r));
      const listing = new Promise<void>((r) => (listed = r));
      return { listing, release };
    },
  };
}

describe('StasisRouter at link-up', () => {
  it('hangs up the channels no call owns', async () => {
    const ari = fakeLink(['orphan-1', 'orphan-2']);
    const router = new StasisRouter(ari.link);
    router.onModuleInit();
    router.claim('owned', { linkLost: () => undefined, settled: async () => undefined } as never);
    await ari.comesUp();
    expect(ari.hungUp).toEqual(['orphan-1', 'orphan-2']);
  });

  it('hangs up nothing when the link comes up while the application closes', async () => {
    const ari = fakeLink(['left-call-agent', 'left-call-borrower']);
    const router = new StasisRouter(ari.link);
    router.onModuleInit();
    await router.beforeApplicationShutdown();
    await ari.comesUp();
    expect(ari.hungUp).toEqual([]);
  });

  it('stops hanging up when the application starts closing during the listing', async () => {
    const ari = fakeLink(['left-call-agent', 'left-call-borrower']);
    const router = new StasisRouter(ari.link);
    router.onModuleInit();
    const { listing, release } = ari.holdListing();
    const up = ari.comesUp();
    await listing;
    await router.beforeApplicationShutdown();
    release();
    await up;
    expect(ari.hungUp).toEqual([]);
  });

  it('hangs up nothing when taking over the connected calls failed', async () => {
    const ari = fakeLink(['kept-call-agent']);
    const router = new StasisRouter(ari.link);
    router.onModuleInit();
    router.onLinkUp(async () => {
      throw new Error('database unavailable');
    });
    await ari.comesUp();
    expect(ari.hungUp).toEqual([]);
  });
});
