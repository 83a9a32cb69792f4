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

const updateSchema = new Schema(
  {
    _id: { type: String, required: true }, // `${docId}:${seq}`
    docId: { type: String, required: true },
    seq: { type: Number, required: true },
    update: { type: Buffer, required: true },
  },
  { collection: 'yjs_updates', versionKey: false },
);
updateSchema.index({ docId: 1, seq: 1 });

/**
 * Shaped for FerretDB v1 on SQLite, which uses no secondary index (any filter but `_id` equality
 * scans the collection; measured ≈0.7 s at 20,000 log entries) yet inserts a batch of
 * documents cheaply (≈0.04 ms each):
 * - appends from every document go into `yjs_updates` as one insertMany per group commit;
 * - a document is read by `_id` from `yjs_snapshots`; the log is scanned only for documents whose
 *   snapshot says they were left open (a crash), never on the normal path;
 * - entries a snapshot has made redundant are deleted in bulk by sweep(), one scan for all
 *   documents, instead of one scan per compaction.
 * On MongoDB the `{docId, seq}` index serves the same queries. No transactions in FerretDB v1:
 * the snapshot is written before its entries are swept, and applying a Yjs update twice is
 * harmless.
 */
export function mongoDocStore(connection: Connection): DocStore {
  const Snapshots = connection.model('YjsSnapshot', snapshotSchema);
  const Updates = connection.model('YjsUpdate', updateSchema);
  /** Log entries covered by a snapshot, waiting for the next sweep. */
  let garbage: string[] = [];
  const compactedUpTo = new Map<string, number>();

  return {
    async load(docId: string): Promise<LoadedDoc> {
      const snapshot = await Snapshots.findById(docId).lean();
      const upTo = snapshot?.upToSeq ?? 0;
      let log: { seq: number; update: mongo.Binary | Buffer }[] = [];
      if (snapshot?.open) {
        // left open by a crash: read its whole log once; what the snapshot covers is garbage
        const all = await Updates.find({ docId }).sort({ seq: 1 }).lean();
        log = all.filter((u) => u.seq > upTo);
        garbage.push(...all.filter((u) => u.seq <= upTo).map((u) => `${docId}:${u.seq}`));
      }
      // Mark open before any append can happen, so a crash from here on is noticed.
      await Snapshots.updateOne(
        { _id: docId },
        { $set: { open: true, at: new Date() }, $setOnInsert: { upToSeq: 0, state: null } },
        { upsert: true },
      );
      compactedUpTo.set(docId, upTo);
      const state = snapshot?.state ? [bytesOf(snapshot.state)] : [];
      return { updates: [...state, ...log.map((u) => bytesOf(u.update))], lastSeq: log.at(-1)?.seq ?? upTo };
    },

    async appendMany(updates: StoredUpdate[]): Promise<void> {
      if (updates.length === 0) return;
      try {
        await Updates.insertMany(
          updates.map((u) => ({
            _id: `${u.docId}:${u.seq}`,
            docId: u.docId,
            seq: u.seq,
            update: Buffer.from(u.update),
          })),
          { ordered: false, lean: true },
        );
      } catch (err) {
        // A retried batch may find part of itself already stored: same (docId, seq), same bytes.
        if (!onlyDuplicateKeyErrors(err)) throw err;
      }
    },

    async compact(docId: string, state: Uint8Array, upToSeq: number, closing: boolean): Promise<void> {
      await Snapshots.updateOne(
        { _id: docId },
        { $set: { state: Buffer.from(state), upToSeq, open: !closing, at: new Date() } },
        { upsert: true },
      );
      const from = compactedUpTo.get(docId) ?? 0;
      for (let seq = from + 1; seq <= upToSeq; seq++) garbage.push(`${docId}:${seq}`);
      if (closing) compactedUpTo.delete(docId);
      else compactedUpTo.set(docId, upToSeq);
    },

    async openDocs(): Promise<string[]> {
      return (await Snapshots.find({ open: true }, { _id: 1 }).lean()).map((s) => s._id);
    },

    async sweep(): Promise<void> {
      const ids = garbage;
      garbage = [];
      if (ids.length === 0) return;
      try {
        await Updates.deleteMany({ _id: { $in: ids } });
      } catch (err) {
        garbage.push(...ids);
        throw err;
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
