import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { afterAll, describe, expect, inject, it } from 'vitest';
import * as Y from 'yjs';
import { withDatabaseName } from '../../../tests/helpers/test-server.ts';
import { createLogger } from '../logger.ts';
import { docStoreContract } from './doc-store.contract.ts';
import {
  LEGACY_SNAPSHOTS,
  LOG_WINDOW_MS,
  SNAPSHOT_BUCKETS,
  mongoDocStore,
  moveLegacySnapshots,
  snapshotCollectionName,
} from './mongo-doc-store.ts';
import { UpdateWriter } from './update-writer.ts';

const connections: mongoose.Connection[] = [];

afterAll(async () => {
  for (const c of connections) {
    await c.dropDatabase().catch(() => undefined);
    await c.close();
  }
});

/** A store on a database of its own, so tests never see each other's documents. */
async function freshStore() {
  const uri = withDatabaseName(inject('mongoUri'), `kb_store_${randomBytes(4).toString('hex')}`);
  const connection = await mongoose.createConnection(uri, { retryWrites: false }).asPromise();
  connections.push(connection);
  const store = mongoDocStore(connection);
  await Promise.all(Object.values(connection.models).map((m) => m.init()));
  return { store, connection };
}

/** Three updates of a list, and the state after all of them. */
function history() {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (const word of ['a', 'b', 'c']) doc.getArray('list').push([word]);
  return { updates, stateAfter: (n: number) => stateOf(updates.slice(0, n)) };
}
const stateOf = (updates: Uint8Array[]) => {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  return Y.encodeStateAsUpdate(doc);
};
const listOf = (updates: Uint8Array[]) => {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc.getArray('list').toArray();
};

interface Row {
  _id: string;
  state: unknown;
  upToSeq: number;
  open: boolean;
}

/** A snapshot as the code before the buckets wrote it: one collection for every document. */
async function writeLegacySnapshot(
  connection: mongoose.Connection,
  docId: string,
  snapshot: { state: Uint8Array | null; upToSeq: number; open: boolean },
) {
  await connection.collection<Row>(LEGACY_SNAPSHOTS).insertOne({
    _id: docId,
    state: snapshot.state && Buffer.from(snapshot.state),
    upToSeq: snapshot.upToSeq,
    open: snapshot.open,
    at: new Date(),
  } as Row);
}

/** Log entries as any version wrote them: in the collection of the window of `time`. */
async function writeLogEntries(
  connection: mongoose.Connection,
  time: number,
  docId: string,
  updates: Uint8Array[],
  from: number,
) {
  await connection
    .collection(`yjs_log_${Math.floor(time / LOG_WINDOW_MS)}`)
    .insertMany(
      updates.map((u, i) => ({ _id: `${docId}:${from + i}` as never, docId, seq: from + i, update: Buffer.from(u) })),
    );
}

const rowIn = (connection: mongoose.Connection, name: string, docId: string) =>
  connection.collection<Row>(name).findOne({ _id: docId });

describe('mongoDocStore (real FerretDB/MongoDB)', () => {
  docStoreContract(async () => (await freshStore()).store);

  it("through the writer, an append queued behind its document's closing compaction is still loaded", async () => {
    const { store } = await freshStore();
    let release!: () => void;
    const compactionsHeld = new Promise<void>((r) => (release = r));
    const writer = new UpdateWriter(
      {
        ...store,
        compact: async (...args) => {
          await compactionsHeld;
          return store.compact(...args);
        },
      },
      createLogger('silent'),
    );
    const { updates, stateAfter } = history();
    await writer.write({ docId: 'd', seq: 1, update: updates[0]! });
    const closing = writer.compact('d', stateAfter(1), 1, true);
    const reopened = writer.write({ docId: 'd', seq: 2, update: updates[1]! });
    await new Promise((r) => setTimeout(r, 50));
    release();
    await Promise.all([closing, reopened]);
    expect(listOf((await store.load('d')).updates)).toEqual(['a', 'b']);
  });

  it("a new document's snapshot and its first append at the same moment both land (FerretDB refuses one of two racing upserts)", async () => {
    const { store } = await freshStore();
    const { updates, stateAfter } = history();
    // 40 races: before the store wrote a refused upsert again, about a third lost one write
    for (let i = 0; i < 40; i++) {
      const docId = `race-${i}`;
      await Promise.all([
        store.compact(docId, stateAfter(1), 0, false, 5), // a writer's takeover snapshot (fenced)
        store.appendMany([{ docId, seq: 1, update: updates[1]! }]),
      ]);
      expect(listOf((await store.load(docId)).updates)).toEqual(['a', 'b']);
    }
  });

  it('drops a past log window once snapshots cover every document in it, and not before', async () => {
    let clock = Date.UTC(2026, 10, 27, 9, 0);
    const { connection } = await freshStore();
    const store = mongoDocStore(connection, () => clock);
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 5; i++) doc.getMap('m').set(`k${i}`, i);
    await store.load('swept');
    await store.load('pinned');
    await store.appendMany(updates.map((update, i) => ({ docId: 'swept', seq: i + 1, update })));
    await store.appendMany([{ docId: 'pinned', seq: 1, update: updates[0]! }]);
    const windowOf = async () =>
      (await connection.db!.listCollections({}, { nameOnly: true }).toArray()).filter((c) =>
        c.name.startsWith('yjs_log_'),
      );
    expect(await windowOf()).toHaveLength(1);

    await store.compact('swept', Y.encodeStateAsUpdate(doc), 5, true);
    clock += LOG_WINDOW_MS;
    await store.sweep();
    expect(await windowOf()).toHaveLength(1); // 'pinned' has no snapshot past its entry yet

    await store.compact('pinned', updates[0]!, 1, true);
    await store.sweep();
    expect(await windowOf()).toHaveLength(0);
    expect(await store.load('swept')).toMatchObject({ lastSeq: 5 });
  });

  it('keeps each snapshot in the bucket its docId hashes to, never in the legacy collection', async () => {
    const { store, connection } = await freshStore();
    // the mapping is part of the stored format: changing it would hide every stored snapshot
    expect(snapshotCollectionName('d')).toBe('yjs_snapshots_18');
    expect(snapshotCollectionName('64b7f0c2a1e4d3b2c1a09f8e')).toBe('yjs_snapshots_30');
    const names = new Set(Array.from({ length: 4096 }, (_, i) => snapshotCollectionName(`doc-${i}`)));
    expect(names.size).toBe(SNAPSHOT_BUCKETS);
    for (const name of names) expect(name).toMatch(/^yjs_snapshots_[0-9a-f]{2}$/);

    const { updates } = history();
    await store.load('d');
    await store.appendMany([{ docId: 'd', seq: 1, update: updates[0]! }]);
    const marked = await rowIn(connection, 'yjs_snapshots_18', 'd');
    expect(marked).toMatchObject({ open: true, upToSeq: 0 });
    expect(marked?.state ?? null).toBeNull();
    await store.compact('d', stateOf(updates.slice(0, 1)), 1, true);
    expect(await rowIn(connection, 'yjs_snapshots_18', 'd')).toMatchObject({ open: false, upToSeq: 1 });
    expect(await rowIn(connection, LEGACY_SNAPSHOTS, 'd')).toBeNull();
  });

  it('moves the legacy collection into the buckets once, and a second start does not read it', async () => {
    const { store, connection } = await freshStore();
    const { stateAfter } = history();
    await writeLegacySnapshot(connection, 'old', { state: stateAfter(3), upToSeq: 3, open: false });
    // as the seed wrote it: a closed snapshot at seq 0
    await writeLegacySnapshot(connection, 'seeded', { state: stateAfter(2), upToSeq: 0, open: false });
    expect(await moveLegacySnapshots(connection)).toEqual({ moved: 2 });
    expect(await connection.db!.listCollections({ name: LEGACY_SNAPSHOTS }).toArray()).toEqual([]);
    expect(await rowIn(connection, snapshotCollectionName('old'), 'old')).toMatchObject({ open: false, upToSeq: 3 });
    const old = await store.load('old');
    expect(old.lastSeq).toBe(3);
    expect(old.updates).toHaveLength(1);
    expect(listOf(old.updates)).toEqual(['a', 'b', 'c']);
    expect(await store.load('seeded')).toMatchObject({ lastSeq: 0, updates: [expect.anything()] });
    expect(await store.openDocs()).toEqual([]);

    // the next start finds the marker and never reads the old collection: a row written there
    // now (as by an old server still running) is neither moved nor loaded
    await writeLegacySnapshot(connection, 'late', { state: stateAfter(1), upToSeq: 1, open: true });
    expect(await moveLegacySnapshots(connection)).toBeNull();
    expect(await rowIn(connection, LEGACY_SNAPSHOTS, 'late')).not.toBeNull();
    expect(await store.load('late')).toEqual({ updates: [], lastSeq: 0, clean: true });
    expect(await store.openDocs()).toEqual([]);
  });

  it('finds open documents from their marks: rows of a database written before the marks once, stale marks dropped', async () => {
    const { connection, store } = await freshStore();
    const { stateAfter } = history();
    // written before the marks: only the snapshot row says open
    await connection
      .collection<Row>(snapshotCollectionName('unmarked'))
      .insertOne({ _id: 'unmarked', state: Buffer.from(stateAfter(1)), upToSeq: 1, open: true, at: new Date() } as Row);
    expect(await store.openDocs()).toEqual(['unmarked']);
    // the pass over snapshot rows ran once: a row that says open without a mark is not seen again
    await connection
      .collection<Row>(snapshotCollectionName('late'))
      .insertOne({ _id: 'late', state: null, upToSeq: 0, open: true, at: new Date() } as Row);
    expect(await store.openDocs()).toEqual(['unmarked']);

    await store.appendMany([{ docId: 'new', seq: 1, update: Y.encodeStateAsUpdate(new Y.Doc()) }]);
    expect((await store.openDocs()).sort()).toEqual(['new', 'unmarked']);
    await store.compact('new', stateAfter(1), 1, true);
    expect(await store.openDocs()).toEqual(['unmarked']);

    // a stop between the closing compaction and the mark's deletion: the mark is dropped, once
    const marks = connection.collection<{ _id: string; at: Date }>(
      `yjs_open_${snapshotCollectionName('stale').slice(-2)}`,
    );
    await marks.insertOne({ _id: 'stale', at: new Date() });
    await connection
      .collection<Row>(snapshotCollectionName('stale'))
      .insertOne({ _id: 'stale', state: Buffer.from(stateAfter(1)), upToSeq: 1, open: false, at: new Date() } as Row);
    expect(await store.openDocs()).toEqual(['unmarked']);
    expect(await marks.findOne({ _id: 'stale' })).toBeNull();
  });

  it('a legacy document left open by a crash is moved open, is listed, loads its log, and compacts in its bucket', async () => {
    const clock = Date.UTC(2026, 10, 27, 9, 0);
    const { connection } = await freshStore();
    const { updates, stateAfter } = history();
    await writeLegacySnapshot(connection, 'crashed', { state: stateAfter(1), upToSeq: 1, open: true });
    await writeLegacySnapshot(connection, 'closed', { state: stateAfter(1), upToSeq: 1, open: false });
    await writeLogEntries(connection, clock - LOG_WINDOW_MS, 'crashed', updates.slice(1), 2);
    await moveLegacySnapshots(connection);

    const store = mongoDocStore(connection, () => clock);
    expect(await store.openDocs()).toEqual(['crashed']);
    const loaded = await store.load('crashed');
    expect(loaded.lastSeq).toBe(3);
    expect(listOf(loaded.updates)).toEqual(['a', 'b', 'c']);

    await store.compact('crashed', stateAfter(3), 3, true);
    const bucket = snapshotCollectionName('crashed');
    expect(await rowIn(connection, bucket, 'crashed')).toMatchObject({ open: false, upToSeq: 3 });
    expect(await store.openDocs()).toEqual([]);
    await store.sweep(); // the window is covered by the bucket row now
    expect((await connection.db!.listCollections({ name: /^yjs_log_/ }).toArray()).map((c) => c.name)).toEqual([]);

    const again = await mongoDocStore(connection, () => clock).load('crashed');
    expect(again.lastSeq).toBe(3);
    expect(again.updates).toHaveLength(1);
    expect(listOf(again.updates)).toEqual(['a', 'b', 'c']);
  });

  it('merges a legacy snapshot into a bucket row written since without state (appended to, then crashed)', async () => {
    const { connection } = await freshStore();
    const { updates, stateAfter } = history();
    // what a version that read both collections left: the state in the legacy row, the document
    // marked open in its bucket by its first append, the newer updates only in the log
    await writeLegacySnapshot(connection, 'moving', { state: stateAfter(1), upToSeq: 1, open: false });
    await connection
      .collection<Row>(snapshotCollectionName('moving'))
      .insertOne({ _id: 'moving', state: null, upToSeq: 0, open: true, at: new Date() } as Row);
    await writeLogEntries(connection, Date.now(), 'moving', updates.slice(1), 2);
    // and one compacted in its bucket since: that row is the newer and stays
    await writeLegacySnapshot(connection, 'compacted', { state: stateAfter(1), upToSeq: 1, open: false });
    await connection.collection<Row>(snapshotCollectionName('compacted')).insertOne({
      _id: 'compacted',
      state: Buffer.from(stateAfter(3)),
      upToSeq: 3,
      open: false,
      at: new Date(),
    } as Row);
    await moveLegacySnapshots(connection);

    const after = mongoDocStore(connection); // the server restarted without closing it
    expect(await after.openDocs()).toEqual(['moving']);
    const loaded = await after.load('moving');
    expect(loaded.lastSeq).toBe(3);
    expect(listOf(loaded.updates)).toEqual(['a', 'b', 'c']);
    await after.compact('moving', stateAfter(2), 2, false); // a compaction that is not the last one
    const reloaded = await mongoDocStore(connection).load('moving');
    expect(reloaded.lastSeq).toBe(3);
    expect(listOf(reloaded.updates)).toEqual(['a', 'b', 'c']);
    expect(await after.openDocs()).toEqual(['moving']);

    const compacted = await after.load('compacted');
    expect(compacted).toMatchObject({ lastSeq: 3, updates: [expect.anything()] });
    expect(listOf(compacted.updates)).toEqual(['a', 'b', 'c']);
  });

  it('sweeps a past window covered by moved snapshots, and not one they do not cover', async () => {
    let clock = Date.UTC(2026, 10, 27, 9, 0);
    const { connection } = await freshStore();
    const { updates, stateAfter } = history();
    await writeLegacySnapshot(connection, 'covered', { state: stateAfter(2), upToSeq: 2, open: false });
    await writeLegacySnapshot(connection, 'behind', { state: stateAfter(1), upToSeq: 1, open: true });
    await writeLogEntries(connection, clock, 'covered', updates.slice(0, 2), 1);
    await moveLegacySnapshots(connection);
    const windows = async () => (await connection.db!.listCollections({ name: /^yjs_log_/ }).toArray()).length;

    clock += LOG_WINDOW_MS;
    await mongoDocStore(connection, () => clock).sweep();
    expect(await windows()).toBe(0);

    await writeLogEntries(connection, clock, 'behind', updates.slice(1), 2);
    clock += LOG_WINDOW_MS;
    await mongoDocStore(connection, () => clock).sweep();
    expect(await windows()).toBe(1); // entries 2 and 3 are only in the log
  });
});
