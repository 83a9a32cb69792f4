import type { Logger } from '../logger.ts';
import type { DocStore, StoredUpdate } from './doc-store.ts';

type Op =
  | { kind: 'append'; entry: StoredUpdate; done: () => void }
  | { kind: 'compact'; docId: string; state: Uint8Array; upToSeq: number; done: () => void };

/**
 * Every write to the document store goes through here, in order. Appends arriving while a write
 * is in flight go out together in the next one (group commit across all documents), so the
 * database sees a few large writes instead of one per keystroke and an update is durable
 * milliseconds after it arrived. Compactions take their place in the same queue, so a
 * compaction never races an append of the same document. A failed write is retried with
 * growing pauses; nothing is dropped.
 */
export class UpdateWriter {
  private queue: Op[] = [];
  private draining: Promise<void> | null = null;
  persistedCount = 0;

  constructor(
    private readonly store: DocStore,
    private readonly logger: Logger,
    private readonly maxBatch = 2_000,
  ) {}

  write(entry: StoredUpdate): Promise<void> {
    return this.enqueue((done) => ({ kind: 'append', entry, done }));
  }

  compact(docId: string, state: Uint8Array, upToSeq: number): Promise<void> {
    return this.enqueue((done) => ({ kind: 'compact', docId, state, upToSeq, done }));
  }

  /** Resolves once everything queued so far is durable. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private enqueue(make: (done: () => void) => Op): Promise<void> {
    return new Promise((resolve) => {
      this.queue.push(make(resolve));
      this.draining ??= this.drain().finally(() => (this.draining = null));
    });
  }

  private async drain(): Promise<void> {
    let failures = 0;
    while (this.queue.length > 0) {
      const batch = this.nextBatch();
      try {
        await this.execute(batch);
      } catch (err) {
        failures++;
        this.logger.error({ err, pending: this.queue.length, failures }, 'storing documents failed; retrying');
        await new Promise((r) => setTimeout(r, Math.min(5_000, 100 * 2 ** failures)));
        continue;
      }
      failures = 0;
      this.queue.splice(0, batch.length);
      for (const op of batch) op.done();
    }
  }

  /** A run of appends, or a single compaction. */
  private nextBatch(): Op[] {
    if (this.queue[0]?.kind === 'compact') return [this.queue[0]];
    const end = this.queue.findIndex((op, i) => op.kind === 'compact' || i >= this.maxBatch);
    return this.queue.slice(0, end === -1 ? undefined : end);
  }

  private async execute(batch: Op[]): Promise<void> {
    const first = batch[0];
    if (first?.kind === 'compact') {
      await this.store.compact(first.docId, first.state, first.upToSeq);
      return;
    }
    const entries = batch.flatMap((op) => (op.kind === 'append' ? [op.entry] : []));
    await this.store.appendMany(entries);
    this.persistedCount += entries.length;
  }
}
