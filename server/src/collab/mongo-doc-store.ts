import { Schema, mongo, type Connection } from 'mongoose';
import type { DocStore, LoadedDoc, StoredUpdate } from './doc-store.ts';

const snapshotSchema = new Schema(
  {
    _id: { type: String, required: true },
    state: { type: Buffer, required: true },
    upToSeq: { type: Number, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'yjs_snapshots', versionKey: false },
);

const LOG_PREFIX = 'yjs_log_';
const DOC_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Snapshots live in `yjs_snapshots` (one per document, read by _id). Each document's update log
 * since its snapshot lives in its own small collection `yjs_log_<docId>`, dropped when compaction
 * empties it. Why not one log collection with an index: FerretDB v1 on SQLite uses no secondary
 * index, so finding or deleting one document's entries scanned every document's log (≈0.7 s per
 * query at 20,000 entries, measured); a per-document collection is read and emptied whole, in
 * milliseconds, on FerretDB and MongoDB alike, and only documents with unfolded edits have one.
 *
 * No transactions in FerretDB v1: compaction writes the snapshot first and trims the log second; a
 * crash in between leaves entries the snapshot already holds, and applying a Yjs update twice is
 * harmless.
 */
export function mongoDocStore(connection: Connection): DocStore {
  const Snapshots = connection.model('YjsSnapshot', snapshotSchema);
  const logOf = (docId: string) => {
    if (!DOC_ID.test(docId)) throw new Error(`document id not storable: ${docId}`);
    return connection.collection<{ seq: number; update: mongo.Binary | Buffer }>(LOG_PREFIX + docId);
  };

  return {
    async load(docId: string): Promise<LoadedDoc> {
      const snapshot = await Snapshots.findById(docId).lean();
      const upTo = snapshot?.upToSeq ?? 0;
      const log = (await logOf(docId).find({}).toArray()).filter((u) => u.seq > upTo).sort((a, b) => a.seq - b.seq);
      const updates = [...(snapshot ? [bytesOf(snapshot.state)] : []), ...log.map((u) => bytesOf(u.update))];
      return { updates, lastSeq: log.at(-1)?.seq ?? upTo };
    },

    async appendMany(updates: StoredUpdate[]): Promise<void> {
      const byDoc = new Map<string, StoredUpdate[]>();
      for (const u of updates) byDoc.set(u.docId, [...(byDoc.get(u.docId) ?? []), u]);
      for (const [docId, entries] of byDoc) {
        try {
          await logOf(docId).insertMany(
            entries.map((u) => ({ _id: u.seq as never, seq: u.seq, update: Buffer.from(u.update) })),
            { ordered: false },
          );
        } catch (err) {
          // A retried batch may find part of itself already stored: same seq, same bytes.
          if (!onlyDuplicateKeyErrors(err)) throw err;
        }
      }
    },

    async compact(docId: string, state: Uint8Array, upToSeq: number): Promise<void> {
      await Snapshots.updateOne(
        { _id: docId },
        { $set: { state: Buffer.from(state), upToSeq, at: new Date() } },
        { upsert: true },
      );
      const log = logOf(docId);
      await log.deleteMany({ seq: { $lte: upToSeq } });
      if ((await log.countDocuments({})) === 0) await log.drop().catch(() => undefined);
    },

    async docsWithLog(): Promise<string[]> {
      const collections = await connection.db!.listCollections({}, { nameOnly: true }).toArray();
      return collections.filter((c) => c.name.startsWith(LOG_PREFIX)).map((c) => c.name.slice(LOG_PREFIX.length));
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
