import { waitAtMost } from './wait-at-most';

describe('waitAtMost', () => {
  it('returns as soon as the work is done, long before the time is up', async () => {
    const started = Date.now();
    await waitAtMost(new Promise((resolve) => setTimeout(resolve, 20)), 5000);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('returns when the time is up if the work is not done', async () => {
    let done = false;
    const work = new Promise<void>((resolve) => setTimeout(() => resolve((done = true) && undefined), 3000));
    await waitAtMost(work, 30);
    expect(done).toBe(false);
    await work;
  });

  it('passes on a rejection that comes first', async () => {
    await expect(waitAtMost(Promise.reject(new Error('boom')), 1000)).rejects.toThrow('boom');
  });
});
