import { mongo, type Connection } from 'mongoose';
import { bucketOf, HashBuckets, HASH_BUCKETS } from '../db/hash-buckets.ts';
import { onlyDuplicateKeyErrors } from '../db/connection.ts';
import { dropIfExists, runOnce } from '../db/migrations.ts';
import { SupersededWriteError, type DocStore, type LoadedDoc, type StoredUpdate } from './doc-store.ts';

interface SnapshotRow {
  _id: string; // the docId
  state: mongo.Binary | Buffer | null;
  upToSeq: number;
  /**
   * Loaded and not yet closed cleanly: only then can log entries newer than the snapshot exist.
   * Always with a mark in `yjs_open_<xx>` (see OpenMark).
   */
  open: boolean;
  at: Date;
  /** The lease epoch of the writer that stored it (several processes only; see DocStore.compact). */
  epoch?: number;
}

interface LogEntry {
  _id: string; // `${docId}:${seq}`
  docId: string;
  seq: number;
  update: mongo.Binary | Buffer;
}

/**
 * A document whose snapshot row says open also has a mark here (`yjs_open_<xx>`), written before
 * that row and deleted after its closing compaction: start-up finds the documents a crash left
 * open from these small rows. Filtering the snapshot rows on `open` decoded every stored snapshot
 * on FerretDB v1 (its own code filters anything but `_id`): 5.5 s of its CPU at every start of a
 * database of 10,000 debriefs, while devices were reconnecting.
 */
interface OpenMark {
  _id: string; // the docId
  at: Date;
}
const OPEN_MARKS = 'yjs_open';
const OPEN_MARK_BUCKET = /^yjs_open_[0-9a-f]{2}$/;

const LOG_PREFIX = 'yjs_log_';
/** Log entries are written into one collection per time window of this length. */
export const LOG_WINDOW_MS = 10 * 60_000;
/** Snapshots are spread over this many collections, `yjs_snapshots_00` … `yjs_snapshots_ff`. */
export const SNAPSHOT_BUCKETS = HASH_BUCKETS;
const SNAPSHOT_PREFIX = 'yjs_snapshots_';
const BUCKET_NAME = /^yjs_snapshots_[0-9a-f]{2}$/;
/** Where the code before the buckets kept every snapshot; moved into the buckets once. */
export const LEGACY_SNAPSHOTS = 'yjs_snapshots';

/** The log collection of the window `time` falls in. */
export function logWindowName(time: number): string {
  return `${LOG_PREFIX}${Math.floor(time / LOG_WINDOW_MS)}`;
}

/** The collection holding a document's snapshot: fixed for a docId (first byte of its SHA-256). */
export function snapshotCollectionName(docId: string): string {
  return SNAPSHOT_PREFIX + bucketOf(docId);
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
 *   so a compaction or a mark-open write stays cheap however many debriefs there are;
 * - a small mark per document left open (`yjs_open_<xx>`), which openDocs() (at start-up) reads;
 * - the update log of all documents in one collection per 10-minute window
 *   (`yjs_log_<window>`), written with one insertMany per group commit;
 * - the log is read only for documents whose snapshot says they were left open by a crash;
 * - a window's collection is dropped whole once every document that wrote to it has a snapshot
 *   past its last entry there: no per-entry deletes, no scans on the live path.
 * Databases written before the buckets are moved into them once (`moveLegacySnapshots`).
 * On MongoDB the same shape works as it is. No transactions in FerretDB v1: a snapshot is always
 * written before the entries it covers can be dropped, and applying a Yjs update twice is harmless.
 */
export function mongoDocStore(connection: Connection, now: () => number = Date.now): DocStore {
  const bucket = (docId: string) => connection.collection<SnapshotRow>(snapshotCollectionName(docId));
  const log = (name: string) => connection.collection<LogEntry>(name);
  const snapshots = new HashBuckets<SnapshotRow>(connection, LEGACY_SNAPSHOTS);
  const openMarks = new HashBuckets<OpenMark>(connection, OPEN_MARKS);
  const readSnapshot = (docId: string): Promise<SnapshotRow | null> => snapshots.read(docId);
  /** Per log window: the last seq each document wrote there. Filled from the database for windows of earlier runs. */
  const windows = new Map<string, Map<string, number>>();
  const compactedUpTo = new Map<string, number>();
  const windowName = logWindowName;
  const windowNumber = (name: string) => Number(name.slice(LOG_PREFIX.length));

  async function collectionNames(): Promise<string[]> {
    const collections = await connection.db!.listCollections({}, { nameOnly: true }).toArray();
    return collections.map((c) => c.name);
  }
  const logWindows = async () => (await collectionNames()).filter((n) => n.startsWith(LOG_PREFIX));
  /**
   * The windows the sweep looks at: listed from the database once per window length (other
   * processes write windows too), plus those this process writes. Listing collections costs in
   * proportion to how many the database holds (2.5 s with a few thousand per-user collections on
   * FerretDB), too much for every 30 s sweep; a load after a crash always lists afresh.
   */
  let listedWindows: { names: Set<string>; at: number } | null = null;
  async function windowsToSweep(): Promise<string[]> {
    if (!listedWindows || Date.now() - listedWindows.at >= LOG_WINDOW_MS) {
      listedWindows = { names: new Set(await logWindows()), at: Date.now() };
    }
    return [...new Set([...listedWindows.names, ...windows.keys()])];
  }

  /** Whether the document's snapshot row says open, without reading the state. */
  async function saysOpen(docId: string): Promise<boolean> {
    return (await bucket(docId).findOne({ _id: docId }, { projection: { open: 1 } }))?.open === true;
  }

  /** The upToSeq a load would start from, without reading the state. */
  async function upToSeqOf(docId: string): Promise<number | undefined> {
    return (await bucket(docId).findOne({ _id: docId }, { projection: { upToSeq: 1 } }))?.upToSeq;
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
  /** Documents this process marked open, with the `at` of its mark (deleted only if still its own). */
  const markedOpen = new Map<string, Date>();
  async function markOpen(docIds: Set<string>): Promise<void> {
    const unmarked = [...docIds].filter((id) => !markedOpen.has(id));
    if (unmarked.length === 0) return;
    const at = new Date();
    const ownId = (id: string) => id;
    // the mark first: a snapshot row says open only while a mark lists it
    for (const [name, ids] of openMarks.byBucket(unmarked, ownId)) {
      await upsertAgainIfRaced(() =>
        connection.collection<OpenMark>(name).bulkWrite(
          ids.map((_id) => ({ updateOne: { filter: { _id }, update: { $set: { at } }, upsert: true } })),
          { ordered: false },
        ),
      );
    }
    for (const [name, ids] of snapshots.byBucket(unmarked, ownId)) {
      await upsertAgainIfRaced(() =>
        connection.collection<SnapshotRow>(name).bulkWrite(
          ids.map((_id) => ({
            updateOne: {
              filter: { _id },
              update: { $set: { open: true, at }, $setOnInsert: { upToSeq: 0, state: null } },
              upsert: true,
            },
          })),
          { ordered: false },
        ),
      );
    }
    for (const id of unmarked) markedOpen.set(id, at);
  }

  return {
    async load(docId: string): Promise<LoadedDoc> {
      const snapshot = await readSnapshot(docId);
      const upTo = snapshot?.upToSeq ?? 0;
      let entries: LogEntry[] = [];
      if (snapshot?.open) {
        // left open by a crash: its newest edits may be only in the log
        for (const name of await logWindows()) entries.push(...(await log(name).find({ docId }).toArray()));
        entries = entries.filter((e) => e.seq > upTo).sort((a, b) => a.seq - b.seq);
      }
      compactedUpTo.set(docId, upTo);
      const state = snapshot?.state ? [bytesOf(snapshot.state)] : [];
      return {
        updates: [...state, ...entries.map((e) => bytesOf(e.update))],
        lastSeq: entries.at(-1)?.seq ?? upTo,
        clean: !snapshot?.open,
      };
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

    async compact(docId: string, state: Uint8Array, upToSeq: number, closing: boolean, fence?: number): Promise<void> {
      const row = { state: Buffer.from(state), upToSeq, open: !closing, at: new Date() };
      if (fence === undefined) {
        await upsertAgainIfRaced(() => bucket(docId).updateOne({ _id: docId }, { $set: row }, { upsert: true }));
      } else {
        // one conditional write: a row of a newer writer matches no filter, and the upsert's
        // insert of the same _id is refused
        await upsertAgainIfRaced(() =>
          bucket(docId).updateOne(
            { _id: docId, $or: [{ epoch: { $exists: false } }, { epoch: { $lte: fence } }] },
            { $set: { ...row, epoch: fence } },
            { upsert: true },
          ),
        ).catch((err: unknown) => {
          if (!onlyDuplicateKeyErrors(err)) throw err;
          throw new SupersededWriteError(`${docId}: a snapshot of a newer writer is stored`, { cause: err });
        });
      }
      compactedUpTo.set(docId, upToSeq);
      const ownMark = markedOpen.get(docId);
      if (closing) {
        markedOpen.delete(docId);
        // only the mark this process wrote: a writer that stalled past its lease must not delete
        // the mark of the process that took the document over and marked it open since
        if (ownMark) await openMarks.of(docId).deleteOne({ _id: docId, at: ownMark });
      }
    },

    async openDocs(): Promise<string[]> {
      await markOpenSnapshotsOnce(connection, collectionNames, openMarks);
      const open: string[] = [];
      for (const name of (await collectionNames()).filter((n) => OPEN_MARK_BUCKET.test(n))) {
        for (const mark of await connection.collection<OpenMark>(name).find({}).toArray()) {
          if (await saysOpen(mark._id)) {
            open.push(mark._id);
            continue;
          }
          // closed since, with the mark left by a stop between the two writes. FerretDB reads,
          // then deletes by `_id`: a mark written again in between may go too, so look again
          await connection.collection<OpenMark>(name).deleteOne({ _id: mark._id, at: mark.at });
          if (await saysOpen(mark._id))
            await openMarks.of(mark._id).updateOne({ _id: mark._id }, { $set: { at: new Date() } }, { upsert: true });
        }
      }
      return open;
    },

    async sweep(): Promise<void> {
      const current = windowNumber(windowName(now()));
      for (const name of await windowsToSweep()) {
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
        listedWindows?.names.delete(name);
      }
    },
  };
}

const MOVE_BATCH = 500;

/**
 * Databases written before the marks: one pass over every snapshot row, once (a marker in
 * `migrations`), marking those that say open.
 */
async function markOpenSnapshotsOnce(
  connection: Connection,
  collectionNames: () => Promise<string[]>,
  openMarks: HashBuckets<OpenMark>,
): Promise<void> {
  await runOnce(connection, 'snapshot-open-marks', async () => {
    let marked = 0;
    for (const name of (await collectionNames()).filter((n) => BUCKET_NAME.test(n))) {
      const rows = await connection
        .collection<SnapshotRow>(name)
        .find({ open: true }, { projection: { _id: 1 } })
        .toArray();
      for (const { _id } of rows) {
        await openMarks.of(_id).updateOne({ _id }, { $setOnInsert: { at: new Date() } }, { upsert: true });
      }
      marked += rows.length;
    }
    return { marked };
  });
}

/**
 * Moves the snapshots of a database written before the buckets (one `yjs_snapshots` collection)
 * into their buckets, then drops that collection; once per database (a marker in `migrations`),
 * before the store serves: a load reads only the bucket. One pass over the old collection; per
 * batch and bucket, the rows already there are read in one query and the rest inserted together.
 * A bucket row can exist already when a version that read both wrote to it: a row with state
 * came from a compaction after a load that saw the old row, so it is the newer and stays; a row
 * without state (only marked open since) takes the old state and the higher upToSeq, and keeps
 * its own `open`. Safe to run again after a crash part-way: moved rows are then bucket rows with
 * the same values.
 */
export async function moveLegacySnapshots(connection: Connection): Promise<{ moved: number } | null> {
  return runOnce(connection, 'snapshots-in-buckets', async () => {
    const legacy = connection.collection<SnapshotRow>(LEGACY_SNAPSHOTS);
    const buckets = new HashBuckets<SnapshotRow>(connection, LEGACY_SNAPSHOTS);
    let moved = 0;
    let batch: SnapshotRow[] = [];
    const flush = async () => {
      for (const [name, rows] of buckets.byBucket(batch, (row) => row._id))
        moved += await moveIntoBucket(connection, name, rows);
      batch = [];
    };
    for await (const row of legacy.find({})) {
      batch.push(row);
      if (batch.length >= MOVE_BATCH) await flush();
    }
    await flush();
    await dropIfExists(connection.collection(LEGACY_SNAPSHOTS));
    return { moved };
  });
}

async function moveIntoBucket(connection: Connection, name: string, rows: SnapshotRow[]): Promise<number> {
  const bucket = connection.collection<SnapshotRow>(name);
  const present = new Map(
    (await bucket.find({ _id: { $in: rows.map((r) => r._id) } }).toArray()).map((r) => [r._id, r]),
  );
  const absent = rows.filter((r) => !present.has(r._id));
  if (absent.length > 0) await bucket.insertMany(absent, { ordered: false });
  for (const old of rows) {
    const row = present.get(old._id);
    if (!row || row.state) continue;
    await bucket.updateOne(
      { _id: old._id },
      { $set: { state: old.state, upToSeq: Math.max(old.upToSeq, row.upToSeq) } },
    );
  }
  return rows.length;
}

/**
 * Two upserts of one `_id` not stored yet, at the same moment (a document's first mark-open
 * and a snapshot of it, from the writer's two lanes), may both try to insert it: FerretDB
 * refuses the later insert as a duplicate key where MongoDB retries the upsert itself. The row
 * exists by then, so the same write once more updates it; a second refusal is a real one.
 */
async function upsertAgainIfRaced<T>(upsert: () => Promise<T>): Promise<T> {
  try {
    return await upsert();
  } catch (err) {
    if (!onlyDuplicateKeyErrors(err)) throw err;
    return upsert();
  }
}

/** Lean reads hand back BSON Binary values, not Buffers. */
function bytesOf(value: mongo.Binary | Buffer): Uint8Array {
  return value instanceof mongo.Binary ? value.buffer.subarray(0, value.length()) : new Uint8Array(value);
}
