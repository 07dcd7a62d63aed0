import { SlidingLogStorage } from './action-post-limits';

describe('SlidingLogStorage (the @nestjs/throttler in-memory rules at O(1) per hit)', () => {
  const TTL = 60_000;
  let now: number;
  let storage: SlidingLogStorage;

  beforeEach(() => {
    now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    storage = new SlidingLogStorage();
  });

  afterEach(() => jest.restoreAllMocks());

  const hit = (key = 'a', limit = 3, blockDuration = TTL) => storage.increment(key, TTL, limit, blockDuration, 'default');

  it('lets `limit` hits through, blocks the next one for blockDuration, then starts afresh', async () => {
    for (let i = 1; i <= 3; i++) expect(await hit()).toMatchObject({ totalHits: i, isBlocked: false });
    expect(await hit()).toMatchObject({ isBlocked: true, timeToBlockExpire: 60 });
    now += 30_000;
    expect(await hit()).toMatchObject({ isBlocked: true, timeToBlockExpire: 30 });
    now += 30_000;
    expect(await hit()).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('is a sliding window: hits older than the ttl stop counting', async () => {
    await hit();
    now += 40_000;
    await hit();
    await hit();
    now += 20_001; // the first hit has expired
    expect(await hit()).toMatchObject({ totalHits: 3, isBlocked: false });
  });

  it('counts each key on its own', async () => {
    for (let i = 0; i < 3; i++) await hit('a');
    expect(await hit('a')).toMatchObject({ isBlocked: true });
    expect(await hit('b')).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('without a block duration refuses past the limit until the oldest hit expires', async () => {
    for (let i = 0; i < 3; i++) await hit('a', 3, 0);
    expect(await hit('a', 3, 0)).toMatchObject({ isBlocked: true, totalHits: 4, timeToBlockExpire: 60 });
    now += TTL + 1;
    expect(await hit('a', 3, 0)).toMatchObject({ isBlocked: false, totalHits: 1 });
  });

  it('stays cheap and exact with a huge limit', async () => {
    const t0 = Date.now();
    for (let i = 0; i < 100_000; i++) {
      now = t0 + i; // one hit a millisecond
      await hit('busy', 1e9);
    }
    now = t0 + 100_000;
    expect(await hit('busy', 1e9)).toMatchObject({ totalHits: 60_000, isBlocked: false });
  });

  it('forgets idle keys (posts to made-up campaign ids do not pile up)', async () => {
    for (let i = 0; i < 50; i++) await hit(`k${i}`);
    expect(storage.size).toBe(50);
    now += 2 * TTL;
    await hit('fresh');
    expect(storage.size).toBe(1);
  });
});
