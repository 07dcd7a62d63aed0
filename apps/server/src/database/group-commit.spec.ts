import { GroupCommit, Settled } from './group-commit';

const nextTurn = () => new Promise((r) => setImmediate(r));

describe('GroupCommit', () => {
  it('writes what is submitted in one turn as one batch, in order, and gives each caller its own result', async () => {
    const batches: number[][] = [];
    const gc = new GroupCommit<number, string>(async (items) => {
      batches.push(items);
      return items.map((i) => ({ ok: true, value: `v${i}` }));
    });
    const results = await Promise.all([1, 2, 3].map((i) => gc.submit(i)));
    expect(results).toEqual(['v1', 'v2', 'v3']);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it("fails only the item whose write failed", async () => {
    const gc = new GroupCommit<number, number>(async (items) => items.map((i): Settled<number> => (i === 2 ? { ok: false, error: new Error('two') } : { ok: true, value: i })));
    const results = await Promise.allSettled([1, 2, 3].map((i) => gc.submit(i)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('two'));
  });

  it('fails every item of a batch whose write failed as a whole, and goes on with the next batch', async () => {
    let calls = 0;
    const gc = new GroupCommit<number, number>(async (items) => {
      if (calls++ === 0) throw new Error('commit failed');
      return items.map((i) => ({ ok: true, value: i }));
    });
    const first = await Promise.allSettled([gc.submit(1), gc.submit(2)]);
    expect(first.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await expect(gc.submit(3)).resolves.toBe(3);
  });

  it('puts what arrives while a batch is being written into the next batch', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const gc = new GroupCommit<number, number>(async (items) => {
      batches.push(items);
      if (batches.length === 1) await gate;
      return items.map((i) => ({ ok: true, value: i }));
    });
    const a = gc.submit(1);
    await nextTurn(); // batch [1] is now being written
    const later = [gc.submit(2), gc.submit(3)];
    await nextTurn();
    expect(gc.pending).toBe(2);
    release();
    await expect(Promise.all([a, ...later])).resolves.toEqual([1, 2, 3]);
    expect(batches).toEqual([[1], [2, 3]]);
  });

  it('caps the batch size', async () => {
    const sizes: number[] = [];
    const gc = new GroupCommit<number, number>(async (items) => {
      sizes.push(items.length);
      return items.map((i) => ({ ok: true, value: i }));
    }, 2);
    await Promise.all([1, 2, 3, 4, 5].map((i) => gc.submit(i)));
    expect(sizes).toEqual([2, 2, 1]);
  });

  it('rejects every item when the writer answers with the wrong number of results', async () => {
    const gc = new GroupCommit<number, number>(async () => [{ ok: true, value: 1 }]);
    const results = await Promise.allSettled([gc.submit(1), gc.submit(2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });

  it('writes up to maxInFlight batches at once, the later ones with what arrived meanwhile', async () => {
    const batches: number[][] = [];
    let open = 0;
    let maxOpen = 0;
    const gates: (() => void)[] = [];
    const gc = new GroupCommit<number, number>(
      async (items) => {
        batches.push(items);
        maxOpen = Math.max(maxOpen, ++open);
        await new Promise<void>((r) => gates.push(r));
        open--;
        return items.map((i) => ({ ok: true, value: i }));
      },
      500,
      2,
    );
    const first = gc.submit(1);
    await nextTurn(); // [1] is being written
    const second = [gc.submit(2), gc.submit(3)];
    await nextTurn(); // [2, 3] too: two in flight
    const third = gc.submit(4);
    await nextTurn(); // no room: 4 waits
    expect(batches).toEqual([[1], [2, 3]]);
    expect(gc.pending).toBe(1);
    gates.shift()!();
    await expect(first).resolves.toBe(1);
    await nextTurn();
    expect(batches).toEqual([[1], [2, 3], [4]]);
    gates.splice(0).forEach((g) => g());
    await nextTurn();
    gates.splice(0).forEach((g) => g());
    await expect(Promise.all([...second, third])).resolves.toEqual([2, 3, 4]);
    expect(maxOpen).toBe(2);
  });
});
