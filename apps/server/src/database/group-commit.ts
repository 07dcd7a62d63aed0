/** The result of one item of a batch: its own value or its own error. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Group commit: items submitted while a batch is being written, or within the same turn of the
 * event loop, are written together by one call of `writeBatch` (one transaction, one fsync).
 * At most `maxInFlight` batches are written at a time (1 for SQLite: one writer; more for a
 * database that writes concurrently), each in arrival order. Each caller gets its own item's
 * result only once its whole batch has been written; an item's error is its own, and an error of
 * the batch as a whole (say, the commit failing) is every item's.
 */
export class GroupCommit<I, O> {
  private queue: { item: I; resolve: (value: O) => void; reject: (error: unknown) => void }[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly writeBatch: (items: I[]) => Promise<Settled<O>[]>,
    private readonly maxBatch = 500,
    private readonly maxInFlight = 1,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Items waiting for the next batch. */
  get pending(): number {
    return this.queue.length;
  }

  private schedule(): void {
    if (this.inFlight >= this.maxInFlight || this.scheduled) return;
    this.scheduled = true;
    // After the I/O callbacks of this turn: every request that arrived with this one joins it.
    setImmediate(() => {
      this.scheduled = false;
      this.startBatches();
    });
  }

  /** Starts batches from the queue while there is room; a finished batch starts the next at once. */
  private startBatches(): void {
    while (this.queue.length && this.inFlight < this.maxInFlight) void this.write(this.queue.splice(0, this.maxBatch));
  }

  private async write(batch: typeof this.queue): Promise<void> {
    this.inFlight++;
    try {
      let results: Settled<O>[];
      try {
        results = await this.writeBatch(batch.map((b) => b.item));
        if (results.length !== batch.length) throw new Error(`group commit: ${results.length} results for ${batch.length} items`);
      } catch (error) {
        for (const b of batch) b.reject(error);
        return;
      }
      batch.forEach((b, i) => {
        const r = results[i];
        if (r.ok) b.resolve(r.value);
        else b.reject(r.error);
      });
    } finally {
      this.inFlight--;
      this.startBatches();
    }
  }
}
