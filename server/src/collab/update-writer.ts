import type { Logger } from '../logger.ts';
import type { DocStore, StoredUpdate } from './doc-store.ts';
import { isPermanentDbError, retryPauseMs, retryTransient } from './db-errors.ts';

type Op =
  | { kind: 'append'; entry: StoredUpdate; done: () => void; queuedAt: number }
  | {
      kind: 'compact';
      docId: string;
      state: Uint8Array;
      upToSeq: number;
      closing: boolean;
      done: () => void;
      queuedAt: number;
    };

/**
 * Every write to the document store goes through here, in order. Appends arriving while a write
 * is in flight go out together in the next one (group commit across all documents), so the
 * database sees a few large writes instead of one per keystroke and an update is durable
 * milliseconds after it arrived. Compactions take their place in the same queue, so they never
 * race an append of their document. A write that failed for a passing reason (busy or
 * unreachable database) is retried with growing pauses. A write the database can never accept
 * is isolated from its batch and dropped with an error logged, so it cannot stall every other
 * document: a dropped append is still in the live document and its next snapshot.
 */
export class UpdateWriter {
  private queue: Op[] = [];
  /** Bytes of updates waiting to be stored (they grow while the database does not answer). */
  backlogBytes = 0;
  /** The last few thousand updates' time from arrival to stored, for /healthz and benchmarks. */
  private readonly durableAfterMs = new Array<number>(4096).fill(0);
  private durableCount = 0;
  private draining: Promise<void> | null = null;
  private sweeping: Promise<void> | null = null;
  persistedCount = 0;

  private readonly maxBatch: number;
  private readonly windowMs: number;

  constructor(
    private readonly store: DocStore,
    private readonly logger: Logger,
    opts: {
      /** The most appends one write carries. */
      maxBatch?: number;
      /**
       * How long the oldest waiting append lets others gather before they are written (0: write
       * at once). Each write costs the database a transaction whatever its size, so under load
       * a few milliseconds of gathering mean many fewer writes; a batch that waited behind a
       * slow write goes at once.
       */
      windowMs?: number;
    } = {},
  ) {
    this.maxBatch = opts.maxBatch ?? 2_000;
    this.windowMs = opts.windowMs ?? 0;
  }

  write(entry: StoredUpdate): Promise<void> {
    this.backlogBytes += entry.update.length;
    const queuedAt = Date.now();
    return this.enqueue((done) => ({
      kind: 'append',
      queuedAt,
      entry,
      done: () => {
        this.backlogBytes -= entry.update.length;
        this.durableAfterMs[this.durableCount++ % this.durableAfterMs.length] = Date.now() - queuedAt;
        done();
      },
    }));
  }

  compact(docId: string, state: Uint8Array, upToSeq: number, closing: boolean): Promise<void> {
    return this.enqueue((done) => ({ kind: 'compact', queuedAt: Date.now(), docId, state, upToSeq, closing, done }));
  }

  /**
   * Deletes log entries snapshots have made redundant. Outside the queue on purpose: a sweep
   * scans the log (seconds on FerretDB/SQLite under load) and must not hold up live edits; it
   * only touches entries that are already durable in a snapshot, so it cannot race an append.
   */
  sweep(): Promise<void> {
    this.sweeping ??= this.store
      .sweep()
      .catch((err: unknown) => this.logger.warn({ err }, 'sweeping the update log failed; will retry'))
      .finally(() => (this.sweeping = null));
    return this.sweeping;
  }

  /** Arrival-to-stored time of recent updates: median and 99th percentile, in ms. */
  durableLatency(): { p50: number; p99: number } {
    const recent = this.durableAfterMs.slice(0, Math.min(this.durableCount, this.durableAfterMs.length));
    recent.sort((a, b) => a - b);
    const at = (q: number) => recent[Math.min(recent.length - 1, Math.floor(q * recent.length))] ?? 0;
    return { p50: at(0.5), p99: at(0.99) };
  }

  /** How long the oldest write still waiting has waited (0 when none): the database's health as writes see it. */
  oldestWaitMs(now = Date.now()): number {
    const oldest = this.queue[0];
    return oldest ? now - oldest.queuedAt : 0;
  }

  /** Resolves once no live edit is waiting to be stored (compactions may still be queued). */
  async appendsStored(): Promise<void> {
    while (this.draining && this.queue.some((op) => op.kind === 'append')) await this.draining;
  }

  /** Resolves once everything queued so far is durable. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private enqueue(make: (done: () => void) => Op): Promise<void> {
    return new Promise((resolve) => {
      this.queue.push(make(resolve));
      this.startDraining();
    });
  }

  /**
   * A write queued from a callback of the drain's last batch arrives before the drain's promise
   * settles: the drain that just ended picks it up instead of leaving it stranded.
   */
  private startDraining(): void {
    this.draining ??= this.drain().finally(() => {
      this.draining = null;
      if (this.queue.length > 0) this.startDraining();
    });
  }

  private async drain(): Promise<void> {
    let failures = 0;
    while (this.queue.length > 0) {
      const gathering = this.gatheringMs();
      if (gathering > 0) await new Promise((r) => setTimeout(r, gathering));
      const batch = this.nextBatch();
      try {
        await this.execute(batch);
      } catch (err) {
        if (isPermanentDbError(err)) {
          await this.isolate(batch);
        } else {
          failures++;
          this.logger.error({ err, pending: this.queue.length, failures }, 'storing documents failed; retrying');
          await new Promise((r) => setTimeout(r, retryPauseMs(failures)));
          continue;
        }
      }
      failures = 0;
      this.queue.splice(0, batch.length);
      for (const op of batch) op.done();
    }
  }

  /** How much longer appends gather: until the oldest has waited `windowMs` or a full batch waits. */
  private gatheringMs(): number {
    const first = this.queue[0];
    if (first?.kind !== 'append' || this.queue.length >= this.maxBatch) return 0;
    return first.queuedAt + this.windowMs - Date.now();
  }

  /** Writes a refused batch one operation at a time; what still fails for good is dropped. */
  private async isolate(batch: Op[]): Promise<void> {
    for (const op of batch) {
      await retryTransient(() => this.execute([op]), {
        withinMs: Infinity,
        onRetry: (err, attempt) => this.logger.error({ err, attempt }, 'storing documents failed; retrying'),
      }).catch((err: unknown) => {
        const docId = op.kind === 'append' ? op.entry.docId : op.docId;
        this.logger.error({ err, docId, op: op.kind }, 'the database refused a write for good; dropped it');
      });
    }
  }

  /** A run of appends, or a single other operation. */
  private nextBatch(): Op[] {
    const first = this.queue[0];
    if (first && first.kind !== 'append') return [first];
    const end = this.queue.findIndex((op, i) => op.kind !== 'append' || i >= this.maxBatch);
    return this.queue.slice(0, end === -1 ? undefined : end);
  }

  private async execute(batch: Op[]): Promise<void> {
    const first = batch[0];
    if (first?.kind === 'compact') return this.store.compact(first.docId, first.state, first.upToSeq, first.closing);
    const entries = batch.flatMap((op) => (op.kind === 'append' ? [op.entry] : []));
    await this.store.appendMany(entries);
    this.persistedCount += entries.length;
  }
}
