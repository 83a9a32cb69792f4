import type { Logger } from '../logger.ts';
import { isPermanentDbError, retryPauseMs, retryTransient } from './db-errors.ts';

export interface LaneWrite {
  queuedAt: number;
  /** Called once the write is stored (or dropped for good). */
  done: () => void;
}

export interface LaneOptions<W extends LaneWrite> {
  /** What the lane writes, for the log. */
  name: string;
  logger: Logger;
  /** Stores a batch (all of one call). */
  execute(batch: W[]): Promise<void>;
  /** The most writes one batch carries. */
  maxBatch: number;
  /** How much longer the waiting writes gather before the next batch goes (≤ 0: now). */
  gatheringMs?(waiting: readonly W[]): number;
  /** For the log when a write is dropped. */
  describe(write: W): { docId: string; op: string };
}

/**
 * One ordered queue of database writes with its own drain: writes go out in batches, one batch
 * at a time. A batch that failed for a passing reason (busy or unreachable database) is retried
 * with growing pauses. A batch the database can never accept is written again one write at a
 * time, and what still fails for good is dropped with an error logged, so it cannot stall every
 * write behind it.
 */
export class WriteLane<W extends LaneWrite> {
  private readonly queue: W[] = [];
  private draining: Promise<void> | null = null;
  /** Since when the write at the head of the queue has waited there (its turn came then). */
  private headSince = 0;

  constructor(private readonly opts: LaneOptions<W>) {}

  push(write: W): void {
    if (this.queue.length === 0) this.headSince = Date.now();
    this.queue.push(write);
    this.startDraining();
  }

  /**
   * How long the lane has not moved: since the write now at its head got its turn (0 when
   * empty). It grows while the database does not answer, not while a long queue moves.
   */
  stalledMs(now = Date.now()): number {
    return this.queue.length === 0 ? 0 : now - this.headSince;
  }

  /** Resolves once every write queued so far is stored. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
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
      const gathering = this.opts.gatheringMs?.(this.queue) ?? 0;
      if (gathering > 0) await new Promise((r) => setTimeout(r, gathering));
      const batch = this.queue.slice(0, this.opts.maxBatch);
      try {
        await this.opts.execute(batch);
      } catch (err) {
        if (isPermanentDbError(err)) {
          await this.isolate(batch);
        } else {
          failures++;
          this.opts.logger.error(
            { err, lane: this.opts.name, pending: this.queue.length, failures },
            'storing documents failed; retrying',
          );
          await new Promise((r) => setTimeout(r, retryPauseMs(failures)));
          continue;
        }
      }
      failures = 0;
      this.queue.splice(0, batch.length);
      this.headSince = Date.now();
      for (const write of batch) write.done();
    }
  }

  /** Writes a refused batch one write at a time; what still fails for good is dropped. */
  private async isolate(batch: W[]): Promise<void> {
    for (const write of batch) {
      await retryTransient(() => this.opts.execute([write]), {
        withinMs: Infinity,
        onRetry: (err, attempt) =>
          this.opts.logger.error({ err, lane: this.opts.name, attempt }, 'storing documents failed; retrying'),
      }).catch((err: unknown) => {
        this.opts.logger.error(
          { err, ...this.opts.describe(write) },
          'the database refused a write for good; dropped it',
        );
      });
    }
  }
}
