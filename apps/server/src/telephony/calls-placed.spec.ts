import { CallsPlaced } from './calls-placed';

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
});
