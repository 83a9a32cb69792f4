import type { Logger } from '../logger.ts';
import type { DocStore, StoredUpdate } from './doc-store.ts';
import { WriteLane, type LaneWrite } from './write-lane.ts';

interface AppendWrite extends LaneWrite {
  entry: StoredUpdate;
}

interface CompactWrite extends LaneWrite {
  docId: string;
  state: Uint8Array;
  upToSeq: number;
  closing: boolean;
}

/**
 * Every write to the document store goes through here, in two lanes that write side by side.
 * Appends arriving while a write is in flight go out together in the next one (group commit
 * across all documents), so the database sees a few large writes instead of one per keystroke
 * and an update is durable milliseconds after it arrived. Compactions (one snapshot write each)
 * have their own lane, so a burst of them (every open document reaching its snapshot count at
 * once, about 4 ms each on FerretDB/SQLite) no longer holds up live edits: in one queue it held
 * appends for up to 0.7 s at 2,000 edits/s. Order where it matters:
 * - a compaction enters its lane once every append queued before it is stored;
 * - a closing compaction (it marks the document closed, so a load reads no log) holds back
 *   later appends of its own document until it is stored; the first of them marks it open again.
 */
export class UpdateWriter {
  /** Bytes of updates waiting to be stored (they grow while the database does not answer). */
  backlogBytes = 0;
  /** The last few thousand updates' time from arrival to stored, for /healthz and benchmarks. */
  private readonly durableAfterMs = new Array<number>(4096).fill(0);
  private durableCount = 0;
  private sweeping: Promise<void> | null = null;
  persistedCount = 0;
  private readonly appends: WriteLane<AppendWrite>;
  private readonly compactions: WriteLane<CompactWrite>;
  /** Resolves when the last append queued so far is stored. */
  private lastAppend: Promise<void> = Promise.resolve();
  /** Per document, its closing compaction while one waits to be stored. */
  private readonly closings = new Map<string, Promise<void>>();
  /** Every write not stored yet (appends and compactions, in a lane or waiting to enter one). */
  private readonly unfinished = new Set<Promise<void>>();

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
    const maxBatch = opts.maxBatch ?? 2_000;
    const windowMs = opts.windowMs ?? 0;
    this.appends = new WriteLane<AppendWrite>({
      name: 'appends',
      logger,
      maxBatch,
      gatheringMs: (waiting) => (waiting.length >= maxBatch ? 0 : waiting[0]!.queuedAt + windowMs - Date.now()),
      execute: async (batch) => {
        await this.store.appendMany(batch.map((w) => w.entry));
        this.persistedCount += batch.length;
      },
      describe: (w) => ({ docId: w.entry.docId, op: 'append' }),
    });
    this.compactions = new WriteLane<CompactWrite>({
      name: 'compactions',
      logger,
      maxBatch: 1,
      execute: ([w]) => this.store.compact(w!.docId, w!.state, w!.upToSeq, w!.closing),
      describe: (w) => ({ docId: w.docId, op: 'compact' }),
    });
  }

  write(entry: StoredUpdate): Promise<void> {
    this.backlogBytes += entry.update.length;
    const queuedAt = Date.now();
    const append = () =>
      new Promise<void>((stored) => {
        this.appends.push({
          queuedAt,
          entry,
          done: () => {
            this.backlogBytes -= entry.update.length;
            this.durableAfterMs[this.durableCount++ % this.durableAfterMs.length] = Date.now() - queuedAt;
            stored();
          },
        });
      });
    const closing = this.closings.get(entry.docId);
    this.lastAppend = this.track(closing ? closing.then(append) : append());
    return this.lastAppend;
  }

  compact(docId: string, state: Uint8Array, upToSeq: number, closing: boolean): Promise<void> {
    const queuedAt = Date.now();
    const stored = this.track(
      this.lastAppend.then(
        () => new Promise<void>((done) => this.compactions.push({ queuedAt, docId, state, upToSeq, closing, done })),
      ),
    );
    if (closing) {
      this.closings.set(docId, stored);
      void stored.then(() => {
        if (this.closings.get(docId) === stored) this.closings.delete(docId);
      });
    }
    return stored;
  }

  private track(write: Promise<void>): Promise<void> {
    this.unfinished.add(write);
    void write.then(() => this.unfinished.delete(write));
    return write;
  }

  /**
   * Deletes log entries snapshots have made redundant. Outside the lanes on purpose: a sweep
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

  /** How long the writes have not moved (0 when none wait): the database's health as writes see it. */
  stalledMs(now = Date.now()): number {
    return Math.max(this.appends.stalledMs(now), this.compactions.stalledMs(now));
  }

  /** Resolves once no live edit is waiting to be stored (compactions may still be queued). */
  appendsStored(): Promise<void> {
    return this.appends.idle();
  }

  /** Resolves once everything queued so far is durable. */
  async idle(): Promise<void> {
    while (this.unfinished.size > 0) await Promise.all(this.unfinished);
  }
}
