import { Schema, mongo, type Connection } from 'mongoose';
import type { DocStore, LoadedDoc, StoredUpdate } from './doc-store.ts';

const snapshotSchema = new Schema(
  {
    _id: { type: String, required: true },
    state: { type: Buffer, default: null },
    upToSeq: { type: Number, required: true },
    /** Loaded and not yet closed cleanly: only then can log entries newer than the snapshot exist. */
    open: { type: Boolean, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'yjs_snapshots', versionKey: false },
);

interface LogEntry {
  _id: string; // `${docId}:${seq}`
  docId: string;
  seq: number;
  update: mongo.Binary | Buffer;
}

const LOG_PREFIX = 'yjs_log_';
/** Log entries are written into one collection per time window of this length. */
export const LOG_WINDOW_MS = 10 * 60_000;

/**
 * Shaped for FerretDB v1 on SQLite, which uses no secondary index (any filter but `_id` equality
 * scans the whole collection: ≈0.7 s at 20,000 entries), inserts batches cheaply (≈0.04 ms a
 * document) but deletes slowly (≈0.8 ms a document: 6.5 s to sweep 8,000 entries), and drops a
 * collection in about a millisecond:
 * - a snapshot per document in `yjs_snapshots`, read by `_id`;
 * - the update log of all documents in one collection per 10-minute window
 *   (`yjs_log_<window>`), written with one insertMany per group commit;
 * - the log is read only for documents whose snapshot says they were left open by a crash;
 * - a window's collection is dropped whole once every document that wrote to it has a snapshot
 *   past its last entry there: no per-entry deletes, no scans on the live path.
 * On MongoDB the same shape works as it is. No transactions in FerretDB v1: a snapshot is always
 * written before the entries it covers can be dropped, and applying a Yjs update twice is harmless.
 */
export function mongoDocStore(connection: Connection, now: () => number = Date.now): DocStore {
  const Snapshots = connection.model('YjsSnapshot', snapshotSchema);
  const log = (name: string) => connection.collection<LogEntry>(name);
  /** Per log window: the last seq each document wrote there. Filled from the database for windows of earlier runs. */
  const windows = new Map<string, Map<string, number>>();
  const compactedUpTo = new Map<string, number>();
  const windowName = (time: number) => `${LOG_PREFIX}${Math.floor(time / LOG_WINDOW_MS)}`;
  const windowNumber = (name: string) => Number(name.slice(LOG_PREFIX.length));

  async function logWindows(): Promise<string[]> {
    const collections = await connection.db!.listCollections({}, { nameOnly: true }).toArray();
    return collections.map((c) => c.name).filter((n) => n.startsWith(LOG_PREFIX));
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
   * crash after any append is still noticed at the next start.
   */
  const markedOpen = new Set<string>();
  async function markOpen(docIds: Set<string>): Promise<void> {
    const unmarked = [...docIds].filter((id) => !markedOpen.has(id));
    if (unmarked.length === 0) return;
    const at = new Date();
    await Snapshots.bulkWrite(
      unmarked.map((_id) => ({
        updateOne: {
          filter: { _id },
          update: { $set: { open: true, at }, $setOnInsert: { upToSeq: 0, state: null } },
          upsert: true,
        },
      })),
      { ordered: false },
    );
    for (const id of unmarked) markedOpen.add(id);
  }

  return {
    async load(docId: string): Promise<LoadedDoc> {
      const snapshot = await Snapshots.findById(docId).lean();
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
      await Snapshots.updateOne(
        { _id: docId },
        { $set: { state: Buffer.from(state), upToSeq, open: !closing, at: new Date() } },
        { upsert: true },
      );
      compactedUpTo.set(docId, upToSeq);
      if (closing) markedOpen.delete(docId);
    },

    async openDocs(): Promise<string[]> {
      return (await Snapshots.find({ open: true }, { _id: 1 }).lean()).map((s) => s._id);
    },

    async sweep(): Promise<void> {
      const current = windowNumber(windowName(now()));
      for (const name of await logWindows()) {
        if (!(windowNumber(name) < current)) continue; // the window being written, or not ours
        const seqs = await lastSeqs(name);
        let covered = true;
        for (const [docId, seq] of seqs) {
          const upTo = compactedUpTo.get(docId) ?? (await Snapshots.findById(docId, { upToSeq: 1 }).lean())?.upToSeq;
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
