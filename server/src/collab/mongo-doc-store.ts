import { Schema, mongo, type Connection } from 'mongoose';
import type { DocStore, LoadedDoc, StoredUpdate } from './doc-store.ts';

const updateSchema = new Schema(
  {
    docId: { type: String, required: true },
    seq: { type: Number, required: true },
    update: { type: Buffer, required: true },
  },
  { collection: 'yjs_updates', versionKey: false },
);
updateSchema.index({ docId: 1, seq: 1 }, { unique: true });

const snapshotSchema = new Schema(
  {
    _id: { type: String, required: true },
    state: { type: Buffer, required: true },
    upToSeq: { type: Number, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'yjs_snapshots', versionKey: false },
);

/**
 * FerretDB v1 has no transactions, so compaction writes the snapshot first and deletes the log
 * prefix second; a crash in between leaves entries the snapshot already holds, and applying a
 * Yjs update twice is harmless.
 */
export function mongoDocStore(connection: Connection): DocStore {
  const Updates = connection.model('YjsUpdate', updateSchema);
  const Snapshots = connection.model('YjsSnapshot', snapshotSchema);

  return {
    async load(docId: string): Promise<LoadedDoc> {
      const snapshot = await Snapshots.findById(docId).lean();
      const upTo = snapshot?.upToSeq ?? 0;
      const log = await Updates.find({ docId, seq: { $gt: upTo } })
        .sort({ seq: 1 })
        .lean();
      const updates = [...(snapshot ? [bytesOf(snapshot.state)] : []), ...log.map((u) => bytesOf(u.update))];
      return { updates, lastSeq: log.at(-1)?.seq ?? upTo };
    },

    async appendMany(updates: StoredUpdate[]): Promise<void> {
      if (updates.length === 0) return;
      try {
        await Updates.insertMany(
          updates.map((u) => ({ docId: u.docId, seq: u.seq, update: Buffer.from(u.update) })),
          { ordered: false, lean: true },
        );
      } catch (err) {
        // A retried batch may find part of itself already stored: same (docId, seq), same bytes.
        if (!onlyDuplicateKeyErrors(err)) throw err;
      }
    },

    async compact(docId: string, state: Uint8Array, upToSeq: number): Promise<void> {
      await Snapshots.updateOne(
        { _id: docId },
        { $set: { state: Buffer.from(state), upToSeq, at: new Date() } },
        { upsert: true },
      );
      await Updates.deleteMany({ docId, seq: { $lte: upToSeq } });
    },

    async docsWithLog(): Promise<string[]> {
      return (await Updates.distinct('docId')) as string[];
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
