import { CALLS_PLACED_WAIT_MAX_MS, CallsPlaced } from './calls-placed';

const settledNow = async (p: Promise<void>): Promise<boolean> => {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe('CallsPlaced', () => {
  it('resolves once every channel of the group is placed or will not ring, whatever the order', async () => {
    const placed = new CallsPlaced(['a', 'b', 'c']);
    placed.settle('b');
    placed.settle('b'); // a second word about one channel counts once
    placed.settle('elsewhere'); // not in the group
    expect(await settledNow(placed.all)).toBe(false);
    placed.settle('c');
    expect(await settledNow(placed.all)).toBe(false);
    placed.settle('a');
    expect(await settledNow(placed.all)).toBe(true);
  });

  it('an empty group is placed at once', async () => {
    expect(await settledNow(new CallsPlaced([]).all)).toBe(true);
  });

  it('a refused originate settles its channel: it will not ring', async () => {
    const placed = new CallsPlaced(['a', 'b']);
    placed.settle('a');
    const refused = placed.originated('b', Promise.reject(new Error('Allocation failed')));
    await expect(refused).rejects.toThrow('Allocation failed'); // handed back for the caller's own handling
    expect(await settledNow(placed.all)).toBe(true);
  });

  it("settled() waits for Asterisk's answers to the originates as well as for the calls", async () => {
    const placed = new CallsPlaced(['a']);
    let answer!: () => void;
    void placed.originated('a', new Promise<void>((resolve) => (answer = resolve)));
    placed.settle('a'); // the Dial event can come before the originate's answer
    const settled = placed.settled();
    expect(await settledNow(settled)).toBe(false);
    answer();
    expect(await settledNow(settled)).toBe(true);
  });

  it(`settled() gives up ${CALLS_PLACED_WAIT_MAX_MS} ms after it was asked`, async () => {
    jest.useFakeTimers();
    try {
      const placed = new CallsPlaced(['a']);
      void placed.originated('a', Promise.resolve());
      let done = false;
      void placed.settled().then(() => (done = true));
      await jest.advanceTimersByTimeAsync(CALLS_PLACED_WAIT_MAX_MS - 1);
      expect(done).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      expect(done).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });
});
