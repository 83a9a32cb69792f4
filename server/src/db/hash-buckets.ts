import { createHash } from 'node:crypto';
import type { AnyObject, Collection, Connection } from 'mongoose';
import { BatchedReads } from './batched-reads.ts';
import { onlyDuplicateKeyErrors } from './connection.ts';
import { dropIfExists, runOnce } from './migrations.ts';

/** A bucketed collection is spread over this many collections, `<prefix>_00` … `<prefix>_ff`. */
export const HASH_BUCKETS = 256;

/** The bucket of a key: the first byte of its SHA-256 as two hex digits, the same in every process. */
export function bucketOf(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 2);
}

const MOVE_BATCH = 500;

/**
 * One collection of rows read and written by `_id`, spread over 256 collections by a hash of the
 * `_id`. On FerretDB v1.24.2 with SQLite as released any read or write by `_id` passes over the
 * whole collection: a find by `_id` took 1 ms among 200 small rows and 35-65 ms among 30,000
 * (130-150 ms for an `_id` that is not there), an updateOne 9 ms among 200 and 76 ms among 20,000.
 * The embedded binary carries a patch that makes those use the `_id` index; the buckets still
 * keep them cheap on an unpatched FerretDB (`FERRETDB_BIN`). A collection that
 * grows with the age of the database and is used on the live path is kept here, so each read or
 * write costs what 1/256 of it holds. On MongoDB the same shape works as it is (each bucket has
 * its `_id` index).
 */
export class HashBuckets<T extends AnyObject & { _id: string }> {
  /** Per bucket: rows asked for at once (a restart, a morning) are read together. */
  private readonly reads = new Map<string, BatchedReads<T>>();

  constructor(
    readonly connection: Connection,
    readonly prefix: string,
  ) {}

  /** The row with this `_id`, or null. */
  read(key: string): Promise<T | null> {
    const name = this.nameOf(key);
    let reads = this.reads.get(name);
    if (!reads) {
      const rows = this.connection.collection<T>(name);
      reads = new BatchedReads<T>(
        (filter) => rows.find(filter as never).toArray() as Promise<T[]>,
        (row) => row._id,
      );
      this.reads.set(name, reads);
    }
    return reads.read(key);
  }

  /** Every bucket, for the rare work that visits all rows (a sweep, an account's deletion). */
  all(): Collection<T>[] {
    return Array.from({ length: HASH_BUCKETS }, (_, i) =>
      this.connection.collection<T>(`${this.prefix}_${i.toString(16).padStart(2, '0')}`),
    );
  }

  /** The name of the collection holding `key`'s row. */
  nameOf(key: string): string {
    return `${this.prefix}_${bucketOf(key)}`;
  }

  /** The items grouped by the name of the bucket their key falls in. */
  byBucket<V>(items: Iterable<V>, keyOf: (item: V) => string): Map<string, V[]> {
    const groups = new Map<string, V[]>();
    for (const item of items) {
      const name = this.nameOf(keyOf(item));
      const group = groups.get(name);
      if (group) group.push(item);
      else groups.set(name, [item]);
    }
    return groups;
  }

  /** The collection holding `key`'s row. */
  of(key: string): Collection<T> {
    return this.connection.collection<T>(this.nameOf(key));
  }

  /**
   * Moves the rows of the collection kept before the buckets into them, once per database (a
   * marker in `migrations`), then drops it. A row already in its bucket was written since by a
   * process that serves from the buckets, so it is the newer and stays. Safe to run again after
   * a crash part-way: moved rows are then already there.
   */
  async moveFrom(legacy: string): Promise<{ moved: number } | null> {
    return runOnce(this.connection, `${this.prefix}-in-buckets`, async () => {
      const moved = await this.insertAllAbsent(this.connection.collection<T>(legacy).find({}) as AsyncIterable<T>);
      await dropIfExists(this.connection.collection(legacy));
      return { moved };
    });
  }

  /** Inserts each row not yet in its bucket, in batches; returns how many it inserted. */
  async insertAllAbsent(rows: AsyncIterable<T>): Promise<number> {
    let inserted = 0;
    let batch: T[] = [];
    const flush = async () => {
      for (const sameBucket of this.byBucket(batch, (row) => row._id).values())
        inserted += await this.insertAbsent(sameBucket);
      batch = [];
    };
    for await (const row of rows) {
      batch.push(row);
      if (batch.length >= MOVE_BATCH) await flush();
    }
    await flush();
    return inserted;
  }

  /** Inserts the rows (all of one bucket) that are not there yet; one read and one insert. */
  private async insertAbsent(rows: T[]): Promise<number> {
    const bucket = this.of(rows[0]!._id);
    const ids = rows.map((r) => r._id);
    const present = new Set(
      (await bucket.find({ _id: { $in: ids } } as never, { projection: { _id: 1 } }).toArray()).map(
        (r) => r._id as string,
      ),
    );
    const absent = rows.filter((r) => !present.has(r._id));
    if (absent.length === 0) return 0;
    try {
      return (await bucket.insertMany(absent as never[], { ordered: false })).insertedCount;
    } catch (err) {
      // written meanwhile by a live write or another process moving the same rows: theirs stays
      if (!onlyDuplicateKeyErrors(err)) throw err;
      return (err as { insertedCount?: number }).insertedCount ?? 0;
    }
  }
}
