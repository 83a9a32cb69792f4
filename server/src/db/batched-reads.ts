/**
 * Most ids a read asks for at once: a long `$in` list costs little more to scan for, but one
 * answer must stay well under MongoDB's 16 MB message limit.
 */
const MAX_BATCH = 500;

/**
 * Up to this many ids are read one `_id` equality each, in parallel. FerretDB v1 on SQLite
 * filters an equality on `_id` inside SQLite but an `$in` in its own code, decoding every stored
 * document: one `$in` of a single id cost 14 to 28 times an equality read (43 against 3 ms in a
 * collection of 1,000 documents, 1,418 against 51 ms at 30,000). MongoDB answers either from its
 * index.
 */
const EQUALITY_READS_UP_TO = 12;

/** The query a batch sends: one id, or many. */
export type IdFilter = { _id: string } | { _id: { $in: string[] } };

interface Waiter<T> {
  resolve(doc: T | null): void;
  reject(err: unknown): void;
}

/**
 * Reads documents by `_id`, many in one query. On FerretDB v1.24.2 (SQLite) as released every read
 * scans its whole collection, a read by `_id` too (the embedded binary is patched to use the
 * `_id` index), and every read costs about a millisecond more to plan and answer: a
 * thousand devices opening debriefs at once (a restart, a studio's morning) made thousands of
 * such reads, each waiting its turn. Here ids asked for while a read is in flight go out together
 * in the next one (`{ _id: { $in } }`, or equality reads while they are few): a burst costs a few
 * scans, a single request one read as before. A read always starts after it was asked for, so it
 * sees every write that finished before (an answer is never shared with a read that was already
 * on its way); an id asked for twice in one batch is read once.
 */
export class BatchedReads<T> {
  private waiting = new Map<string, Waiter<T>[]>();
  private reading: Promise<void> | null = null;

  constructor(
    /** The documents matching the filter (in any order). */
    private readonly find: (filter: IdFilter) => Promise<T[]>,
    private readonly idOf: (doc: T) => string,
  ) {}

  read(id: string): Promise<T | null> {
    return new Promise((resolve, reject) => {
      const waiters = this.waiting.get(id);
      if (waiters) waiters.push({ resolve, reject });
      else this.waiting.set(id, [{ resolve, reject }]);
      this.reading ??= this.drain();
    });
  }

  private async drain(): Promise<void> {
    // ids asked for in the same turn of the event loop go out together, the first one included
    await Promise.resolve();
    while (this.waiting.size > 0) {
      const batch = [...this.waiting].slice(0, MAX_BATCH);
      for (const [id] of batch) this.waiting.delete(id);
      try {
        const found = new Map((await this.readBatch(batch.map(([id]) => id))).map((doc) => [this.idOf(doc), doc]));
        for (const [id, waiters] of batch) for (const w of waiters) w.resolve(found.get(id) ?? null);
      } catch (err) {
        for (const [, waiters] of batch) for (const w of waiters) w.reject(err);
      }
    }
    this.reading = null;
  }

  private async readBatch(ids: string[]): Promise<T[]> {
    if (ids.length > EQUALITY_READS_UP_TO) return this.find({ _id: { $in: ids } });
    return (await Promise.all(ids.map((id) => this.find({ _id: id })))).flat();
  }
}
