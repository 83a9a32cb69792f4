import type { Logger } from '../logger.ts';
import type { DocStore, StoredUpdate } from './doc-store.ts';

interface Pending {
  entry: StoredUpdate;
  resolve: () => void;
}

/**
 * Group commit for every document at once: updates arriving while a write is in flight go
 * out together in the next one, so the database sees a few large writes instead of one per
 * keystroke, and an update is durable a few milliseconds after it arrived. A failed write is
 * retried (nothing is dropped) with growing pauses.
 */
export class UpdateWriter {
  private queue: Pending[] = [];
  private draining: Promise<void> | null = null;
  persistedCount = 0;

  constructor(
    private readonly store: DocStore,
    private readonly logger: Logger,
    private readonly maxBatch = 2_000,
  ) {}

  write(entry: StoredUpdate): Promise<void> {
    return new Promise((resolve) => {
      this.queue.push({ entry, resolve });
      this.draining ??= this.drain().finally(() => (this.draining = null));
    });
  }

  /** Resolves once everything queued so far is durable. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    let failures = 0;
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, this.maxBatch);
      try {
        await this.store.appendMany(batch.map((p) => p.entry));
      } catch (err) {
        failures++;
        this.logger.error({ err, pending: this.queue.length, failures }, 'storing document updates failed; retrying');
        await new Promise((r) => setTimeout(r, Math.min(5_000, 100 * 2 ** failures)));
        continue;
      }
      failures = 0;
      this.queue.splice(0, batch.length);
      this.persistedCount += batch.length;
      for (const p of batch) p.resolve();
    }
  }
}
