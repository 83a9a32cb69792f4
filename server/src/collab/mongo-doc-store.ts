import { createHash } from 'node:crypto';
import { mongo, type Connection } from 'mongoose';
import type { DocStore, LoadedDoc, StoredUpdate } from './doc-store.ts';

interface SnapshotRow {
  _id: string; // the docId
  state: mongo.Binary | Buffer | null;
  upToSeq: number;
  /** Loaded and not yet closed cleanly: only then can log entries newer than the snapshot exist. */
  open: boolean;
  at: Date;
}

interface LogEntry {
  _id: string; // `${docId}:${seq}`
  docId: string;
  seq: number;
  update: mongo.Binary | Buffer;
}

const LOG_PREFIX = 'yjs_log_';
/** Log entries are written into one collection per time window of this length. */
export const LOG_WINDOW_MS = 10 * 60_000;
/** Snapshots are spread over this many collections, `yjs_snapshots_00` … `yjs_snapshots_ff`. */
export const SNAPSHOT_BUCKETS = 256;
const SNAPSHOT_PREFIX = 'yjs_snapshots_';
const BUCKET_NAME = /^yjs_snapshots_[0-9a-f]{2}$/;
/** Where the code before the buckets kept every snapshot; read as a fallback, never written. */
export const LEGACY_SNAPSHOTS = 'yjs_snapshots';

/** The collection holding a document's snapshot: fixed for a docId (first byte of its SHA-256). */
export function snapshotCollectionName(docId: string): string {
  return SNAPSHOT_PREFIX + createHash('sha256').update(docId).digest('hex').slice(0, 2);
}

/**
 * Shaped for FerretDB v1 on SQLite, which uses no secondary index (any filter but `_id` equality
 * scans the whole collection: ≈0.7 s at 20,000 entries), inserts batches cheaply (≈0.04 ms a
 * document) but deletes slowly (≈0.8 ms a document: 6.5 s to sweep 8,000 entries), rewrites a
 * document in time that grows with its collection (an updateOne by `_id` that changes a 30 KB
 * snapshot: 30 ms at 500 rows, 104 ms at 2,000, 208 ms at 4,000) and drops a collection in about
 * a millisecond:
 * - a snapshot per document, read and written by `_id`, in one of 256 collections
 *   (`yjs_snapshots_<2 hex digits of SHA-256(docId)>`): each holds about 1/256 of the documents,
 *   so a compaction or a mark-open write stays cheap however many debriefs there are; only
 *   openDocs() (at start-up) visits them all;
 * - the update log of all documents in one collection per 10-minute window
 *   (`yjs_log_<window>`), written with one insertMany per group commit;
 * - the log is read only for documents whose snapshot says they were left open by a crash;
 * - a window's collection is dropped whole once every document that wrote to it has a snapshot
 *   past its last entry there: no per-entry deletes, no scans on the live path.
 * Databases written before the buckets keep every snapshot in `yjs_snapshots`. That collection is
 * only read: a document with no snapshot state in its bucket yet loads the legacy row's state
 * and upToSeq, read by `_id` (a bucket row with state came from a compaction after such a load,
 * so it is the newer; the bucket row's `open` flag, once it exists, is the one that counts),
 * openDocs() lists the legacy open rows whose document has no bucket row, and sweep() takes the
 * higher upToSeq of the two rows. The first write of such a document (mark open or compaction) goes to its
 * bucket; the legacy row stays, stale, as it was (deleting it would be a write in that big
 * collection).
 * On MongoDB the same shape works as it is. No transactions in FerretDB v1: a snapshot is always
 * written before the entries it covers can be dropped, and applying a Yjs update twice is harmless.
 */
export function mongoDocStore(connection: Connection, now: () => number = Date.now): DocStore {
  const bucket = (docId: string) => connection.collection<SnapshotRow>(snapshotCollectionName(docId));
  const legacy = () => connection.collection<SnapshotRow>(LEGACY_SNAPSHOTS);
  const log = (name: string) => connection.collection<LogEntry>(name);
  /** Per log window: the last seq each document wrote there. Filled from the database for windows of earlier runs. */
  const windows = new Map<string, Map<string, number>>();
  const compactedUpTo = new Map<string, number>();
  const windowName = (time: number) => `${LOG_PREFIX}${Math.floor(time / LOG_WINDOW_MS)}`;
  const windowNumber = (name: string) => Number(name.slice(LOG_PREFIX.length));

  async function collectionNames(): Promise<string[]> {
    const collections = await connection.db!.listCollections({}, { nameOnly: true }).toArray();
    return collections.map((c) => c.name);
  }
  const logWindows = async () => (await collectionNames()).filter((n) => n.startsWith(LOG_PREFIX));

  /**
   * The snapshot a load starts from: the bucket row, or, while that holds no state yet (never
   * compacted since the buckets), the legacy row. A bucket row with state is always the newer:
   * it was written after a load that saw the legacy one. `open` is the bucket row's once it
   * exists: every write since the buckets went there.
   */
  async function snapshotOf(docId: string): Promise<Omit<SnapshotRow, 'at'> | null> {
    const row = await bucket(docId).findOne({ _id: docId });
    if (row?.state) return row;
    const old = await legacy().findOne({ _id: docId });
    if (!old) return row;
    if (!row) return old;
    return old.state || old.upToSeq > row.upToSeq ? { ...old, open: row.open } : row;
  }

  /** The upToSeq a load would start from, without reading the state. */
  async function upToSeqOf(docId: string): Promise<number | undefined> {
    const row = await bucket(docId).findOne({ _id: docId }, { projection: { upToSeq: 1 } });
    const old = await legacy().findOne({ _id: docId }, { projection: { upToSeq: 1 } });
    if (!row && !old) return undefined;
    return Math.max(row?.upToSeq ?? 0, old?.upToSeq ?? 0);
  }

  async function lastSeqs(name: string): Promise<Map<string, number>> {
    const known = windows.get(name);
    if (known) return known;
    const seqs = new Map<string, number>();
    for (const e of await log(name)
      .find({}, { projection: { docId: 1, seq: 1 } })
      .toArray()) {
      seqs.set(e.docId, Math.max(seqs.get(e.docId) ?? 0, e.seq));
    }
    windows.set(name, seqs);
    return seqs;
  }

  /**
   * A document is marked open (its snapshot may lag its log) before its first append after a
   * load or a clean close, in the same group commit: opening a debrief stays a pure read, and a
   * crash after any append is still noticed at the next start. One bulkWrite per bucket touched.
   */
  const markedOpen = new Set<string>();
  async function markOpen(docIds: Set<string>): Promise<void> {
    const unmarked = [...docIds].filter((id) => !markedOpen.has(id));
    if (unmarked.length === 0) return;
    const at = new Date();
    const byBucket = new Map<string, string[]>();
    for (const id of unmarked) {
      const name = snapshotCollectionName(id);
      byBucket.set(name, [...(byBucket.get(name) ?? []), id]);
    }
    for (const [name, ids] of byBucket) {
      await connection.collection<SnapshotRow>(name).bulkWrite(
        ids.map((_id) => ({
          updateOne: {
            filter: { _id },
            update: { $set: { open: true, at }, $setOnInsert: { upToSeq: 0, state: null } },
            upsert: true,
          },
        })),
        { ordered: false },
      );
    }
    for (const id of unmarked) markedOpen.add(id);
  }

  return {
    async load(docId: string): Promise<LoadedDoc> {
      const snapshot = await snapshotOf(docId);
      const upTo = snapshot?.upToSeq ?? 0;
      let entries: LogEntry[] = [];
      if (snapshot?.open) {
        // left open by a crash: its newest edits may be only in the log
        for (const name of await logWindows()) entries.push(...(await log(name).find({ docId }).toArray()));
        entries = entries.filter((e) => e.seq > upTo).sort((a, b) => a.seq - b.seq);
      }
      compactedUpTo.set(docId, upTo);
      const state = snapshot?.state ? [bytesOf(snapshot.state)] : [];
      return { updates: [...state, ...entries.map((e) => bytesOf(e.update))], lastSeq: entries.at(-1)?.seq ?? upTo };
    },

    async appendMany(updates: StoredUpdate[]): Promise<void> {
      if (updates.length === 0) return;
      await markOpen(new Set(updates.map((u) => u.docId)));
      const name = windowName(now());
      try {
        await log(name).insertMany(
          updates.map((u) => ({
            _id: `${u.docId}:${u.seq}`,
            docId: u.docId,
            seq: u.seq,
            update: Buffer.from(u.update),
          })),
          { ordered: false },
        );
      } catch (err) {
        // A retried batch may find part of itself already stored: same (docId, seq), same bytes.
        if (!onlyDuplicateKeyErrors(err)) throw err;
      }
      const seqs = windows.get(name) ?? new Map<string, number>();
      for (const u of updates) seqs.set(u.docId, Math.max(seqs.get(u.docId) ?? 0, u.seq));
      windows.set(name, seqs);
    },

    async compact(docId: string, state: Uint8Array, upToSeq: number, closing: boolean): Promise<void> {
      await bucket(docId).updateOne(
        { _id: docId },
        { $set: { state: Buffer.from(state), upToSeq, open: !closing, at: new Date() } },
        { upsert: true },
      );
      compactedUpTo.set(docId, upToSeq);
      if (closing) markedOpen.delete(docId);
    },

    async openDocs(): Promise<string[]> {
      const names = await collectionNames();
      const open: string[] = [];
      for (const name of names.filter((n) => BUCKET_NAME.test(n))) {
        const rows = await connection
          .collection<SnapshotRow>(name)
          .find({ open: true }, { projection: { _id: 1 } })
          .toArray();
        open.push(...rows.map((r) => r._id));
      }
      if (names.includes(LEGACY_SNAPSHOTS)) {
        // left open under the code before the buckets, and not written since
        const rows = await legacy()
          .find({ open: true }, { projection: { _id: 1 } })
          .toArray();
        for (const { _id } of rows) {
          if (!(await bucket(_id).findOne({ _id }, { projection: { _id: 1 } }))) open.push(_id);
        }
      }
      return open;
    },

    async sweep(): Promise<void> {
      const current = windowNumber(windowName(now()));
      for (const name of await logWindows()) {
        if (!(windowNumber(name) < current)) continue; // the window being written, or not ours
        const seqs = await lastSeqs(name);
        let covered = true;
        for (const [docId, seq] of seqs) {
          const upTo = compactedUpTo.get(docId) ?? (await upToSeqOf(docId));
          if (upTo === undefined || upTo < seq) covered = false;
          else compactedUpTo.set(docId, upTo);
          if (!covered) break;
        }
        if (!covered) continue;
        await log(name)
          .drop()
          .catch(() => undefined);
        windows.delete(name);
      }
    },
  };
}

function onlyDuplicateKeyErrors(err: unknown): boolean {
  const e = err as { code?: number; writeErrors?: { code?: number; err?: { code?: number } }[] };
  if (e.writeErrors?.length) return e.writeErrors.every((w) => (w.code ?? w.err?.code) === 11000);
  return e.code === 11000;
}

/** Lean reads hand back BSON Binary values, not Buffers. */
function bytesOf(value: mongo.Binary | Buffer): Uint8Array {
  return value instanceof mongo.Binary ? value.buffer.subarray(0, value.length()) : new Uint8Array(value);
}
